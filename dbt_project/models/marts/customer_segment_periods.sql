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

{% if plan.mode == 'delta' -%}
long_history as (

    {{ segment_history_long('history') }}

),

{{ segment_periods_next_day('long_history') }},
{%- else -%}
-- the latest recorded run: a period last seen on it is current
history_dates as (

    select as_of_date from {{ ref('customer_segment_history') }}
    where as_of_date <= {{ as_of_date() }}

),

{{ segment_periods_full('history', 'history_dates') }},
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
