-- One row per order of marts.orders: items, gross value, cost of goods and
-- returns, the per-order inputs of the customer 360 and of profitability.
with

orders as (

    select * from {{ ref('orders') }}

),

order_lines as (

    select * from {{ ref('order_lines') }}

),

returns as (

    select * from {{ ref('stg_shop__returns') }}

),

lines_per_order as (

    select
        order_id,
        sum(quantity) as items,
        sum(line_gross) as line_gross,
        sum(line_discount) as line_discount,
        sum(line_cost) as line_cost,
        -- returned units go back to stock, so their cost of goods is credited
        sum(restocked_cost) as restocked_cost

    from order_lines
    group by order_id

),

returns_per_order as (

    select
        order_id,
        count(*) as returns

    from returns
    where returned_at < {{ as_of_date() }}
    group by order_id

),

final as (

    select
        orders.order_id,
        orders.customer_id,
        orders.ordered_at,
        orders.is_cancelled,
        orders.delivered_at,
        orders.net_revenue,
        orders.refunds,
        cast(coalesce(lines_per_order.items, 0) as {{ dbt.type_int() }}) as items,
        -- gross = before discounts; without lines the order's own discount is used
        cast(
            orders.amount + coalesce(orders.discount, lines_per_order.line_discount, 0)
            as {{ type_money() }}
        ) as gross_sales,
        cast(coalesce(orders.discount, lines_per_order.line_discount, 0) as {{ type_money() }}) as discounts,
        cast(lines_per_order.line_gross - lines_per_order.line_discount as {{ type_money() }}) as line_net,
        -- a cancelled order ships nothing: no goods, no carrier, no returns
        cast(
            case
                when orders.is_cancelled then 0
                when lines_per_order.order_id is null then orders.amount * {{ var('default_cogs_rate') }}
                else lines_per_order.line_cost - lines_per_order.restocked_cost
            end
            as {{ type_money() }}
        ) as cost_of_goods,
        -- no order lines with unit costs: cost of goods is var default_cogs_rate of the amount
        not orders.is_cancelled and lines_per_order.order_id is null as is_cost_of_goods_defaulted,
        cast(
            case when orders.is_cancelled then 0 else coalesce(orders.shipping_cost, 0) end
            as {{ type_money() }}
        ) as shipping_cost,
        not orders.is_cancelled and orders.shipping_cost is null as is_shipping_cost_defaulted,
        cast(
            case when orders.is_cancelled then 0 else coalesce(returns_per_order.returns, 0) end
            as {{ dbt.type_int() }}
        ) as returns

    from orders
    left join lines_per_order
        on orders.order_id = lines_per_order.order_id
    left join returns_per_order
        on orders.order_id = returns_per_order.order_id

)

select * from final
