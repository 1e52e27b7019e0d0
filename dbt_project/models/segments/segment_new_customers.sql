-- Post-purchase follow-up: an order delivered follow_up_after_days before the run.
with

members as (

    select distinct customer_id from {{ ref('customer_occasions') }}
    where occasion_type = 'post_purchase_follow_up'

)

{{ segment_members() }}
