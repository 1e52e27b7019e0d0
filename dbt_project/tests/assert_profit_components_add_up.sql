-- Contribution = net sales - cost of goods - shipping - cost to serve -
-- marketing cost for every customer, and the cost totals equal the per-order
-- economics they come from (no order lost or counted twice by the joins).
-- Erased people's orders (no customer_id) belong to nobody: not compared.
with

profitability as (

    select * from {{ ref('customer_profitability') }}

),

economics as (

    select * from {{ ref('order_economics') }}

),

row_mismatches as (

    select
        customer_id,
        'row' as check_name

    from profitability
    where
        contribution
        != net_sales - cost_of_goods - shipping_cost - cost_to_serve - marketing_cost

),

total_mismatches as (

    select
        cast(null as {{ dbt.type_string() }}) as customer_id,
        'totals' as check_name

    from (
        select
            (select sum(cost_of_goods) from profitability) as profit_cogs,
            (select sum(shipping_cost) from profitability) as profit_shipping,
            (
                select sum(cost_of_goods) from economics
                where not is_cancelled and customer_id is not null
            ) as order_cogs,
            (
                select sum(shipping_cost) from economics
                where not is_cancelled and customer_id is not null
            ) as order_shipping
    ) as sums
    where
        coalesce(profit_cogs, 0) != coalesce(order_cogs, 0)
        or coalesce(profit_shipping, 0) != coalesce(order_shipping, 0)

),

final as (

    select * from row_mismatches
    union all
    select * from total_mismatches

)

select * from final
