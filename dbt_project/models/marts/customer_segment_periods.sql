-- One row per customer, dimension and period in which the value stayed the same
-- over consecutive recorded runs: the snapshot (SCD type 2) shape of
-- customer_segment_history. Rebuilt from the history on every run, so a rerun or
-- a backfilled day corrects it, which an append-only dbt snapshot could not.
with

-- runs dated after this run's as-of date are left out, so a backfilled day's periods
-- are those known on that day
history as (

    select * from {{ ref('customer_segment_history') }}
    where as_of_date <= {{ as_of_date() }}

),

long_history as (

    {{ segment_history_long('history') }}

),

-- a period starts at the first run and wherever the value differs from the run before
changes as (

    select
        *,
        case
            when lag(as_of_date) over by_run is null then 1
            when lag(value) over by_run = value then 0
            when lag(value) over by_run is null and value is null then 0
            else 1
        end as starts_period

    from long_history
    window by_run as (partition by customer_id, dimension order by as_of_date)

),

numbered as (

    select
        *,
        sum(starts_period) over (
            partition by customer_id, dimension
            order by as_of_date
            rows between unbounded preceding and current row
        ) as period_number

    from changes

),

periods as (

    select
        customer_id,
        dimension,
        period_number,
        max(value) as value,
        min(as_of_date) as valid_from,
        max(as_of_date) as last_seen_as_of,
        count(*) as runs

    from numbered
    group by customer_id, dimension, period_number

),

latest_run as (

    select max(as_of_date) as as_of_date from long_history

),

final as (

    select
        periods.customer_id,
        cast(periods.dimension as {{ dbt.type_string() }}) as dimension,
        periods.value,
        periods.valid_from,
        lead(periods.valid_from) over (
            partition by periods.customer_id, periods.dimension order by periods.valid_from
        ) as valid_to,
        periods.last_seen_as_of,
        cast(periods.runs as {{ dbt.type_int() }}) as runs,
        periods.last_seen_as_of = latest_run.as_of_date as is_current

    from periods
    cross join latest_run

)

select * from final
