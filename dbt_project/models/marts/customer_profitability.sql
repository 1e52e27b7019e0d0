-- One row per customer: contribution = net sales - cost of goods - shipping the
-- shop paid - cost to serve - marketing cost, lifetime and over the profit
-- window, with a profit tier. Rules and rates: DECISIONLOG.md "profitability".
with

people as (

    select * from {{ ref('int_customers_merged') }}

),

order_totals as (

    select * from {{ ref('customer_order_totals') }}

),

engagement as (

    select * from {{ ref('customer_engagement') }}

),

acquisition_costs as (

    select * from {{ ref('int_customer_acquisition_costs') }}

),

components as (

    select
        people.customer_id,
        coalesce(order_totals.net_sales, 0) as net_sales,
        coalesce(order_totals.cost_of_goods, 0) as cost_of_goods,
        coalesce(order_totals.shipping_cost, 0) as shipping_cost,
        {{ cost_source('order_totals.orders_cost_of_goods_defaulted', 'order_totals.orders') }} as cost_of_goods_source,
        {{ cost_source('order_totals.orders_shipping_cost_defaulted', 'order_totals.orders') }} as shipping_cost_source,
        {{ cost_to_serve(
            'engagement.support_minutes', 'engagement.support_tickets', 'coalesce(order_totals.returns, 0)'
        ) }} as cost_to_serve,
        cast(coalesce(acquisition_costs.acquisition_cost, 0) as {{ type_money() }}) as acquisition_cost,
        cast(engagement.email_sends * {{ var('cost_per_email') }} as {{ type_money() }}) as email_cost,
        coalesce(order_totals.orders_12m, 0) as orders_12m,
        coalesce(order_totals.net_sales_12m, 0) as net_sales_12m,
        coalesce(order_totals.cost_of_goods_12m, 0) + coalesce(order_totals.shipping_cost_12m, 0)
        + {{ cost_to_serve(
            'engagement.support_minutes_12m', 'engagement.support_tickets_12m', 'coalesce(order_totals.returns_12m, 0)'
        ) }}
        + cast(engagement.email_sends_12m * {{ var('cost_per_email') }} as {{ type_money() }})
            as costs_12m

    from people
    inner join engagement
        on people.customer_id = engagement.customer_id
    left join order_totals
        on people.customer_id = order_totals.customer_id
    left join acquisition_costs
        on people.customer_id = acquisition_costs.customer_id

),

contributions as (

    select
        *,
        cast(acquisition_cost + email_cost as {{ type_money() }}) as marketing_cost,
        cast(
            net_sales - cost_of_goods - shipping_cost - cost_to_serve - acquisition_cost - email_cost
            as {{ type_money() }}
        ) as contribution,
        cast(net_sales_12m - costs_12m as {{ type_money() }}) as contribution_12m

    from components

),

-- the top share (var top_tier_share) of all customers by contribution, if they earn
ranked as (

    select
        *,
        row_number() over (order by contribution desc, customer_id asc) as profit_rank,
        count(*) over () as customer_count

    from contributions

),

final as (

    select
        customer_id,
        net_sales,
        cost_of_goods,
        shipping_cost,
        cost_to_serve,
        marketing_cost,
        contribution,
        cost_of_goods_source,
        shipping_cost_source,
        cast(case when net_sales != 0 then 100.0 * contribution / net_sales end as {{ dbt.type_numeric() }})
            as margin_pct,
        {{ profit_tier('contribution', 'profit_rank', 'customer_count') }} as profit_tier,
        cast(profit_rank as {{ dbt.type_int() }}) as profit_rank,
        cast(orders_12m as {{ dbt.type_int() }}) as orders_12m,
        contribution_12m,
        -- only a buyer in the window, and not on assumed costs alone (see the column's description)
        orders_12m > 0 and contribution_12m < 0
        and (
            cost_of_goods_source in ('measured', 'mixed') or shipping_cost_source in ('measured', 'mixed')
            or cost_to_serve > 0 or marketing_cost > 0
        ) as costs_more_than_earns,
        {{ as_of_date() }} as as_of_date

    from ranked

)

select * from final
