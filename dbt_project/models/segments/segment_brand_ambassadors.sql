-- Promoters with repeat orders and converted referrers, for referral and review asks.
with

members as (

    select customer_id from {{ ref('brand_ambassadors') }}
    where true

)

{{ segment_members() }}
