-- Win back: lapsed or churned customers with positive lifetime contribution.
with

members as (

    select customer_id from {{ ref('customer_lifecycle') }}
    where is_win_back_candidate

)

{{ segment_members() }}
