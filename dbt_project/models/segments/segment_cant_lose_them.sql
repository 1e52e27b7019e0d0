-- Former top customers gone quiet (RFM Cannot Lose Them).
with

members as (

    select customer_id from {{ ref('customer_rfm') }}
    where segment in ('Cannot Lose Them')

)

{{ segment_members() }}
