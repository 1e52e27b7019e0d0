-- Best customers: bought recently, often and much (RFM Champions).
with

members as (

    select customer_id from {{ ref('customer_rfm') }}
    where segment in ('Champions')

)

{{ segment_members() }}
