-- The last customer on each curve holds exactly the whole: cumulative shares of
-- customers, revenue and profit end at 1 (revenue/profit only when the total is
-- non-zero), and never exceed 1 for customers and revenue (net sales >= 0).
with

curve as (

    select * from {{ ref('customer_value_curve') }}

),

last_rows as (

    select
        (select cum_customer_share from curve where revenue_rank = (select max(revenue_rank) from curve))
            as customer_share,
        (select cum_revenue_share from curve where revenue_rank = (select max(revenue_rank) from curve))
            as revenue_share,
        (select cum_profit_share from curve where profit_rank = (select max(profit_rank) from curve))
            as profit_share,
        (select sum(net_sales) from curve) as total_net_sales,
        (select sum(contribution) from curve) as total_contribution,
        (select count(*) from curve where cum_customer_share > 1 or cum_revenue_share > 1) as overshoots

),

final as (

    select * from last_rows
    where
        customer_share != 1
        or (total_net_sales != 0 and revenue_share != 1)
        or (total_contribution != 0 and profit_share != 1)
        or overshoots > 0

)

select * from final
