with

orders as (

    select * from {{ ref('stg_shop__orders') }}

),

-- an order whose every version is later keeps its earliest one (its file may hold only
-- its final state), so an order placed before the as-of date is never lost
known_as_of as (

    {{ version_known_as_of('orders', 'order_id', keep_later_if='true') }}

),

final as (

    select
        order_id,
        customer_id,
        status,
        currency,
        amount,
        discount_amount,
        shipping_charged,
        shipping_cost,
        ordered_at,
        delivered_at,
        updated_at,
        version_at,
        source_file,
        source_line

    from known_as_of

)

select * from final
