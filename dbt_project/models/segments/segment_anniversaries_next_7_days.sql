-- First-purchase anniversary within occasion_window_days (7) from the run date on.
with

members as (

    select distinct customer_id from {{ ref('customer_occasions') }}
    where occasion_type = 'anniversary'

)

{{ segment_members() }}
