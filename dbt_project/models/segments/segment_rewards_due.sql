-- Loyalty reward earned by the previous day's orders, due on the run date.
with

members as (

    select distinct customer_id from {{ ref('customer_occasions') }}
    where occasion_type = 'loyalty_reward'

)

{{ segment_members() }}
