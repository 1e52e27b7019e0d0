-- Net revenue must be the same, to the cent, in marts.customers, in marts.orders
-- and recomputed straight from raw (independently of staging): amounts of
-- non-cancelled orders placed before as_of_date (in the version known on
-- as_of_date) minus their refunds from returns before as_of_date. Erased
-- people's orders count as anonymous revenue (no customer in either mart).
with

raw_orders as (

    select * from {{ source('shop', 'orders') }}

),

raw_returns as (

    select * from {{ source('shop', 'returns') }}

),

mart_orders as (

    select * from {{ ref('orders') }}

),

mart_customers as (

    select * from {{ ref('customers') }}

),

-- latest version produced before as_of_date, else the earliest later one
raw_order_versions as (

    select
        order_id,
        ordered_at,
        amount,
        lower(trim(status)) as status,
        row_number() over (
            partition by order_id
            order by
                case when coalesce(updated_at, ordered_at) < {{ as_of_date() }} then 0 else 1 end,
                case
                    when coalesce(updated_at, ordered_at) < {{ as_of_date() }}
                        then coalesce(updated_at, ordered_at)
                end desc nulls last,
                coalesce(updated_at, ordered_at) asc,
                _source_file desc,
                _source_line desc
        ) as version_rank

    from raw_orders

),

raw_counted_orders as (

    select order_id, amount
    from raw_order_versions
    where
        version_rank = 1
        and ordered_at < {{ as_of_date() }}
        and coalesce(status, '') != 'cancelled'

),

raw_return_copies as (

    select
        return_id,
        order_id,
        returned_at,
        refund_amount,
        row_number() over (
            partition by return_id
            order by _source_file desc, _source_line desc
        ) as copy_rank

    from raw_returns

),

raw_distinct_returns as (

    select order_id, refund_amount
    from raw_return_copies
    where
        copy_rank = 1
        and returned_at < {{ as_of_date() }}

),

raw_refunds as (

    select sum(raw_distinct_returns.refund_amount) as refunds
    from raw_distinct_returns
    inner join raw_counted_orders
        on raw_distinct_returns.order_id = raw_counted_orders.order_id

),

totals as (

    select
        (select coalesce(sum(amount), 0) from raw_counted_orders)
        - (select coalesce(refunds, 0) from raw_refunds) as raw_net_revenue,
        (select coalesce(sum(net_revenue), 0) from mart_orders) as orders_net_revenue,
        -- erased people are not in customers: their orders are anonymous revenue
        -- (customer_id null in orders), added back so the total still reconciles
        (select coalesce(sum(net_revenue), 0) from mart_customers)
        + (select coalesce(sum(net_revenue), 0) from mart_orders where customer_id is null)
            as customers_net_revenue

),

final as (

    select * from totals
    where
        raw_net_revenue != orders_net_revenue
        or raw_net_revenue != customers_net_revenue

)

select * from final
