-- Good customers drifting away (RFM At Risk).
with

members as (

    select customer_id from {{ ref('customer_rfm') }}
    where segment in ('At Risk')

)

{{ segment_members() }}
