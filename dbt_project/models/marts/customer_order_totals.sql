-- One row per person with an order before as_of_date: lifetime and profit-window (var profit_window_days)
-- order totals, and the gaps between orders lifecycle stages need. Cancelled orders count for nothing.
{%- set profit_window_start = dbt.dateadd('day', -1 * var('profit_window_days'), as_of_date()) %}
with

order_economics as (

    select * from {{ ref('order_economics') }}

),

-- read a second time, not shared with the totals: DuckDB keeps a CTE read twice in full
order_keys as (

    select
        customer_id,
        order_id,
        ordered_at,
        is_cancelled
    from {{ ref('order_economics') }}

),

kept_orders as (

    select
        *,
        ordered_at >= {{ profit_window_start }} as is_in_profit_window

    from order_economics
    -- an erased person's orders are anonymous revenue: no person to total
    where not is_cancelled and customer_id is not null

),

-- the gap ending at the latest order (comeback or habit; order_id breaks ties): keys and dates only
latest_orders as (

    select
        customer_id,
        ordered_at,
        lead(ordered_at) over (partition by customer_id order by ordered_at desc, order_id desc)
            as previous_ordered_at,
        row_number() over (partition by customer_id order by ordered_at desc, order_id desc)
            as recency_rank

    from order_keys
    where not is_cancelled and customer_id is not null

),

totals as (

    select
        customer_id,
        min(ordered_at) as first_order_at,
        max(ordered_at) as last_order_at,
        count(*) as orders,
        sum(items) as items,
        sum(gross_sales) as gross_sales,
        sum(discounts) as discounts,
        sum(refunds) as refunds,
        sum(returns) as returns,
        sum(net_revenue) as net_sales,
        sum(cost_of_goods) as cost_of_goods,
        sum(shipping_cost) as shipping_cost,
        count(*) filter (where is_cost_of_goods_defaulted) as orders_cost_of_goods_defaulted,
        count(*) filter (where is_shipping_cost_defaulted) as orders_shipping_cost_defaulted,
        sum(case when is_in_profit_window then 1 else 0 end) as orders_12m,
        sum(case when is_in_profit_window then net_revenue else 0 end) as net_sales_12m,
        sum(case when is_in_profit_window then cost_of_goods else 0 end) as cost_of_goods_12m,
        sum(case when is_in_profit_window then shipping_cost else 0 end) as shipping_cost_12m,
        sum(case when is_in_profit_window then returns else 0 end) as returns_12m

    from kept_orders
    group by customer_id

),

final as (

    select
        totals.customer_id,
        totals.first_order_at,
        totals.last_order_at,
        cast(totals.orders as {{ dbt.type_int() }}) as orders,
        cast(totals.items as {{ dbt.type_int() }}) as items,
        cast(totals.gross_sales as {{ type_money() }}) as gross_sales,
        cast(totals.discounts as {{ type_money() }}) as discounts,
        cast(totals.refunds as {{ type_money() }}) as refunds,
        cast(totals.returns as {{ dbt.type_int() }}) as returns,
        cast(totals.net_sales as {{ type_money() }}) as net_sales,
        cast(totals.cost_of_goods as {{ type_money() }}) as cost_of_goods,
        cast(totals.shipping_cost as {{ type_money() }}) as shipping_cost,
        cast(totals.orders_cost_of_goods_defaulted as {{ dbt.type_int() }}) as orders_cost_of_goods_defaulted,
        cast(totals.orders_shipping_cost_defaulted as {{ dbt.type_int() }}) as orders_shipping_cost_defaulted,
        cast(totals.orders_12m as {{ dbt.type_int() }}) as orders_12m,
        cast(totals.net_sales_12m as {{ type_money() }}) as net_sales_12m,
        cast(totals.cost_of_goods_12m as {{ type_money() }}) as cost_of_goods_12m,
        cast(totals.shipping_cost_12m as {{ type_money() }}) as shipping_cost_12m,
        cast(totals.returns_12m as {{ dbt.type_int() }}) as returns_12m,
        cast({{ money_divide('totals.net_sales', 'totals.orders') }} as {{ type_money() }}) as avg_order_value,
        -- usual rhythm: mean days between orders, a double on both engines (Spark keeps a decimal)
        case
            when totals.orders > 1
                then cast({{ dbt.datediff(
                    'cast(totals.first_order_at as date)', 'cast(totals.last_order_at as date)', 'day'
                ) }} as {{ type_double() }}) / (totals.orders - 1)
        end as avg_days_between_orders,
        {{ dbt.datediff(
            'cast(latest_orders.previous_ordered_at as date)', 'cast(latest_orders.ordered_at as date)', 'day'
        ) }} as last_gap_days

    from totals
    left join latest_orders
        on totals.customer_id = latest_orders.customer_id and latest_orders.recency_rank = 1

)

select * from final
