-- One row per customer, dimension and as-of date on which the customer's value
-- changed from the previous recorded run (e.g. Champions -> At Risk). Entering
-- or leaving a dimension (null, e.g. no longer RFM-scored) counts as a move.
-- "Who moved from Champions to At Risk this week" is one filter on this table.
with

-- runs dated after this run's as-of date are left out, so a backfilled day's transitions
-- are those known on that day
history as (

    select * from {{ ref('customer_segment_history') }}
    where as_of_date <= {{ as_of_date() }}

),

long_history as (

    {{ segment_history_long('history') }}

),

with_previous as (

    select
        *,
        lag(value) over (partition by customer_id, dimension order by as_of_date) as previous_value,
        lag(as_of_date) over (partition by customer_id, dimension order by as_of_date) as previous_as_of_date

    from long_history

),

final as (

    select
        customer_id,
        cast(dimension as {{ dbt.type_string() }}) as dimension,
        previous_value as from_value,
        value as to_value,
        as_of_date,
        previous_as_of_date as from_as_of_date

    from with_previous
    where
        previous_as_of_date is not null
        and (
            previous_value != value
            or (previous_value is null and value is not null)
            or (previous_value is not null and value is null)
        )

)

select * from final
