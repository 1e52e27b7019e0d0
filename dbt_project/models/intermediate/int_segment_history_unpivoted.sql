-- One row per customer, dimension (rfm_segment, lifecycle_stage, profit_tier) and
-- recorded run of marts.customer_segment_history up to this run's as-of date: the
-- long shape transitions and periods are computed on. Runs dated after it are left
-- out, so a backfilled day's transitions and periods are those known on that day.
with

history as (

    select * from {{ ref('customer_segment_history') }}
    where as_of_date <= {{ as_of_date() }}

),

final as (

    select customer_id, as_of_date, 'rfm_segment' as dimension, rfm_segment as value from history
    union all
    select customer_id, as_of_date, 'lifecycle_stage' as dimension, lifecycle_stage as value from history
    union all
    select customer_id, as_of_date, 'profit_tier' as dimension, profit_tier as value from history

)

select * from final
