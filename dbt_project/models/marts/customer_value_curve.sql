-- One row per customer: where they sit on the Pareto curve (ranked by net
-- sales) and on the whale curve (ranked by contribution). Read the Pareto share
-- at revenue_rank = 20% of customers; the whale curve is cum_profit_share
-- ordered by profit_rank (it peaks above 1 and falls back to exactly 1).
with

profitability as (

    select * from {{ ref('customer_profitability') }}

),

by_revenue as (

    select
        customer_id,
        net_sales,
        contribution,
        row_number() over (order by net_sales desc, customer_id asc) as revenue_rank,
        count(*) over () as customer_count,
        sum(net_sales) over () as total_net_sales,
        sum(contribution) over () as total_contribution

    from profitability

),

cumulated as (

    select
        *,
        sum(net_sales) over (order by revenue_rank rows between unbounded preceding and current row)
            as cum_net_sales,
        row_number() over (order by contribution desc, customer_id asc) as profit_rank

    from by_revenue

),

final as (

    select
        customer_id,
        cast(revenue_rank as {{ dbt.type_int() }}) as revenue_rank,
        cast(profit_rank as {{ dbt.type_int() }}) as profit_rank,
        net_sales,
        contribution,
        -- a double on both engines (1.0 * rank / count is a decimal(34,22) on Spark)
        cast(revenue_rank as {{ type_double() }}) / customer_count as cum_customer_share,
        -- x / x is exactly 1 in floating point, so the last share is exactly 1
        cast(cum_net_sales as {{ type_double() }})
        / nullif(cast(total_net_sales as {{ type_double() }}), 0) as cum_revenue_share,
        cast(
            sum(contribution) over (order by profit_rank rows between unbounded preceding and current row)
            as {{ type_double() }}
        ) / nullif(cast(total_contribution as {{ type_double() }}), 0) as cum_profit_share,
        cast(profit_rank as {{ type_double() }}) / customer_count as cum_customer_share_by_profit,
        revenue_rank <= customer_count * {{ var('top_tier_share') }} and net_sales > 0
            as is_top_20pct_revenue

    from cumulated

)

select * from final
