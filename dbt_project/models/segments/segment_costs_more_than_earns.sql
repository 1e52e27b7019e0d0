-- To scale back cost to serve: negative contribution over profit_window_days.
with

members as (

    select customer_id from {{ ref('customer_profitability') }}
    where costs_more_than_earns

)

{{ segment_members() }}
