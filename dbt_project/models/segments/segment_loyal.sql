-- Regular buyers worth rewarding (RFM Loyal).
with

members as (

    select customer_id from {{ ref('customer_rfm') }}
    where segment in ('Loyal')

)

{{ segment_members() }}
