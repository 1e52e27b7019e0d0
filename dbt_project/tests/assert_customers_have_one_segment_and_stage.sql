-- Every customer with a non-cancelled order is in exactly one lifecycle stage;
-- every customer is in exactly one profit tier; every RFM-scored customer in
-- exactly one segment; nobody without orders is staged.
-- Counted per customer once per mart and joined, not by a subquery per customer and
-- mart: one scan of each mart (1M customers: ~3x less CPU, DECISIONLOG.md issue 16 i18dbt).
with

customers as (

    select * from {{ ref('customers') }}

),

lifecycle as (

    select * from {{ ref('customer_lifecycle') }}

),

profitability as (

    select * from {{ ref('customer_profitability') }}

),

rfm as (

    select * from {{ ref('customer_rfm') }}

),

stage_counts as (

    select
        customer_id,
        count(*) as stages
    from lifecycle
    group by customer_id

),

tier_counts as (

    select
        customer_id,
        count(*) as tiers
    from profitability
    where profit_tier is not null
    group by customer_id

),

rfm_counts as (

    select
        customer_id,
        count(*) as rfm_rows,
        count(segment) as segments
    from rfm
    group by customer_id

),

counts as (

    select
        customers.customer_id,
        customers.orders,
        coalesce(stage_counts.stages, 0) as stages,
        coalesce(tier_counts.tiers, 0) as tiers,
        coalesce(rfm_counts.rfm_rows, 0) as rfm_rows,
        coalesce(rfm_counts.segments, 0) as segments

    from customers
    left join stage_counts
        on customers.customer_id = stage_counts.customer_id
    left join tier_counts
        on customers.customer_id = tier_counts.customer_id
    left join rfm_counts
        on customers.customer_id = rfm_counts.customer_id

),

final as (

    select * from counts
    where
        (orders > 0 and stages != 1)
        or (orders = 0 and stages != 0)
        or tiers != 1
        or rfm_rows != segments
        or segments > 1

)

select * from final
