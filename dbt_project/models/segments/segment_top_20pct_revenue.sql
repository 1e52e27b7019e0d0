-- For key-account managers: the customers making up the top 20% of revenue.
with

members as (

    select customer_id from {{ ref('customers') }}
    where is_top_20pct_revenue

)

{{ segment_members() }}
