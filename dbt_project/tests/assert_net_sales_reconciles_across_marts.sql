-- Net sales summed over customers (360 and profitability) = over orders = over
-- the per-order economics, to the cent. Erased people are in no customer mart:
-- their orders (customer_id null in orders) are added back as anonymous revenue.
with

totals as (

    select
        (select coalesce(sum(net_sales), 0) from {{ ref('customers') }}) as customers_net_sales,
        (select coalesce(sum(net_sales), 0) from {{ ref('customer_profitability') }})
            as profitability_net_sales,
        (select coalesce(sum(net_revenue), 0) from {{ ref('orders') }}) as orders_net_sales,
        (
            select coalesce(sum(net_revenue), 0) from {{ ref('orders') }}
            where customer_id is null
        ) as anonymous_net_sales,
        (
            select coalesce(sum(gross_sales - discounts - refunds), 0)
            from {{ ref('order_economics') }}
            where not is_cancelled
        ) as economics_net_sales

),

final as (

    select * from totals
    where
        customers_net_sales + anonymous_net_sales != orders_net_sales
        or profitability_net_sales + anonymous_net_sales != orders_net_sales
        or economics_net_sales != orders_net_sales

)

select * from final
