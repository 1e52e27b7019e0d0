-- One row per customer, dimension and period of consecutive recorded runs with the same value:
-- customer_segment_history in snapshot (SCD type 2) shape. From the whole history, or on a next
-- day from the last build's periods and the new day (macros/segment_periods_state.sql says when),
-- so a rerun or a backfilled day still corrects it, which a dbt snapshot could not.
-- depends_on: {{ ref('int_customers_erased') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['customer_id', 'dimension', 'valid_from'],
        pre_hook="{{ segment_periods_reset() }}",
        post_hook="{{ segment_periods_remember() }}",
    )
}}
{%- set plan = segment_periods_plan(ref('customer_segment_history')) %}
with

-- runs dated after this run's as-of date are left out, so a backfilled day's periods
-- are those known on that day; the delta reads only the as-of date's runs
history as (

    select * from {{ ref('customer_segment_history') }}
    where as_of_date {{ '=' if plan.mode == 'delta' else '<=' }} {{ as_of_date() }}

),

long_history as (

    {{ segment_history_long('history') }}

),

{% if plan.mode == 'delta' -%}
{{ segment_periods_next_day('long_history') }},
{%- else -%}
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

grouped as (

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

periods as (

    select
        grouped.customer_id,
        grouped.dimension,
        grouped.value,
        grouped.valid_from,
        lead(grouped.valid_from) over (
            partition by grouped.customer_id, grouped.dimension order by grouped.valid_from
        ) as valid_to,
        grouped.last_seen_as_of,
        grouped.runs,
        grouped.last_seen_as_of = (select max(latest.as_of_date) from long_history as latest) as is_current

    from grouped

),
{%- endif %}

final as (

    select
        customer_id,
        cast(dimension as {{ dbt.type_string() }}) as dimension,
        value,
        valid_from,
        valid_to,
        last_seen_as_of,
        cast(runs as {{ dbt.type_int() }}) as runs,
        is_current

    from periods

)

select * from final
