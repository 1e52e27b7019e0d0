-- Net sales summed over customers (360 and profitability) = over orders = over
-- the per-order economics, to the cent.
with

totals as (

    select
        (select coalesce(sum(net_sales), 0) from {{ ref('customers') }}) as customers_net_sales,
        (select coalesce(sum(net_sales), 0) from {{ ref('customer_profitability') }})
            as profitability_net_sales,
        (select coalesce(sum(net_revenue), 0) from {{ ref('orders') }}) as orders_net_sales,
        (
            select coalesce(sum(gross_sales - discounts - refunds), 0)
            from {{ ref('int_order_economics') }}
            where not is_cancelled
        ) as economics_net_sales

),

final as (

    select * from totals
    where
        customers_net_sales != orders_net_sales
        or profitability_net_sales != orders_net_sales
        or economics_net_sales != orders_net_sales

)

select * from final
