-- One row per order line with a return before as_of_date: units returned and
-- refunded (a line may come back in several returns).
with

returns as (

    select * from {{ ref('stg_shop__returns') }}

),

final as (

    select
        order_line_id,
        sum(coalesce(quantity, 0)) as returned_units,
        sum(coalesce(refund_amount, 0)) as refunds

    from returns
    where returned_at < {{ as_of_date() }}
    group by order_line_id

)

select * from final
