{#
    customer_segment_periods on the next day (DECISIONLOG.md "segment periods by the day").
    The periods as of the last build plus the history's new day are the periods as of the new
    day: each customer's open period is extended, or closed and followed by a new one. That
    holds only while the history before the new day is what the last build saw, so the delta
    runs only when
      - the last build is recorded (post-hook below) with this model's code, for a date before
        the as-of date, and is the latest history date before it (no day was added between);
      - no history slice was written since for a date on or before the recorded one (a rerun
        or backfill: customer_segment_history's post-hook deletes the record);
      - the built periods' runs, the erased people's left out, count the history before the
        as-of date (nothing else changed it);
      - the history has rows for the as-of date.
    Anything else rebuilds every period from the history, which is what --full-refresh gives.
    Spark: always the full build (insert_overwrite replaces the table; no row-level delete).
#}

{#- {'mode': 'full' | 'delta', 'reason': text, 'since': last recorded as-of date} -#}
{% macro segment_periods_plan(history, announce=true) %}
    {{ return(adapter.dispatch('segment_periods_plan')(history, announce)) }}
{% endmacro %}

{% macro default__segment_periods_plan(history, announce=true) %}
    {%- set new = incremental_new_table_plan(announce) -%}
    {%- if new -%}{{ return(new) }}{%- endif -%}
    {%- set probe -%}
        select
            (
                select cast(max(as_of_date) as {{ dbt.type_string() }}) from incremental_state.builds
                where model_name = '{{ this.identifier }}' and fingerprint = '{{ _incremental_fingerprint() }}'
            ),
            (
                select cast(max(as_of_date) as {{ dbt.type_string() }}) from {{ history }}
                where as_of_date < {{ as_of_date() }}
            ),
            (select count(*) from {{ history }} where as_of_date = {{ as_of_date() }}),
            (select 3 * count(*) from {{ history }} where as_of_date < {{ as_of_date() }}),
            (
                select coalesce(sum(runs), 0) from {{ this }}
                where customer_id not in ({{ _segment_periods_erased() }})
            )
    {%- endset -%}
    {%- set since, before, today, history_runs, built_runs = run_query(probe).rows[0] -%}
    {%- if since is none -%}
        {%- set plan = {'mode': 'full', 'reason': 'no record of a build with this code', 'since': none} -%}
    {%- elif before != since -%}
        {%- set plan = {'mode': 'full', 'reason': 'history before the as-of date ends ' ~ before
            ~ ', not on the last build (' ~ since ~ ')', 'since': since} -%}
    {%- elif history_runs != built_runs -%}
        {%- set plan = {'mode': 'full', 'reason': 'history changed since the last build', 'since': since} -%}
    {%- elif today == 0 -%}
        {%- set plan = {'mode': 'full', 'reason': 'no history for the as-of date', 'since': since} -%}
    {%- else -%}
        {%- set plan = {'mode': 'delta', 'reason': 'one history day after ' ~ since, 'since': since} -%}
    {%- endif -%}
    {%- if announce -%}
        {{ log(this.identifier ~ ': ' ~ plan.mode ~ ' build (' ~ plan.reason ~ ')', info=true) }}
    {%- endif -%}
    {{ return(plan) }}
{% endmacro %}

{% macro _segment_periods_erased() -%}
    select customer_id from {{ ref('int_customers_erased') }} where customer_id is not null
{%- endmacro %}

{% macro spark__segment_periods_plan(history, announce=true) %}
    {{ return({'mode': 'full', 'reason': 'Spark rebuilds the periods whole', 'since': none}) }}
{% endmacro %}


{#- Pre-hook of customer_segment_periods: a full build over the built table starts from no rows
    (delete+insert would keep a period whose key the new build no longer has). -#}
{% macro segment_periods_reset() %}
    {{ return(adapter.dispatch('segment_periods_reset')()) }}
{% endmacro %}

{% macro default__segment_periods_reset() %}
    {%- if is_incremental() and segment_periods_plan(ref('customer_segment_history'), false).mode == 'full' -%}
        delete from {{ this }}
    {%- else -%}
        select 1
    {%- endif -%}
{% endmacro %}

{% macro spark__segment_periods_reset() %}
    select 1
{% endmacro %}


{#- Post-hook of customer_segment_periods: erased people's periods go (the delta keeps the rows
    it does not touch), and the build is recorded for the next plan. -#}
{% macro segment_periods_remember() %}
    {{ return(adapter.dispatch('segment_periods_remember')()) }}
{% endmacro %}

{% macro default__segment_periods_remember() %}
    delete from {{ this }} where customer_id in (select customer_id from {{ ref('int_customers_erased') }});
    delete from incremental_state.builds where model_name = '{{ this.identifier }}';
    insert into incremental_state.builds (model_name, as_of_date, fingerprint)
    values ('{{ this.identifier }}', {{ as_of_date() }}, '{{ _incremental_fingerprint() }}')
{% endmacro %}

{% macro spark__segment_periods_remember() %}
    select 1
{% endmacro %}


{#- Post-hook of customer_segment_history: a slice written on or before the periods' recorded
    date (rerun, backfill) makes their next build a full one. -#}
{% macro segment_periods_forget() %}
    {{ return(adapter.dispatch('segment_periods_forget')()) }}
{% endmacro %}

{% macro default__segment_periods_forget() %}
    delete from incremental_state.builds
    where model_name = 'customer_segment_periods' and as_of_date >= {{ as_of_date() }}
{% endmacro %}

{% macro spark__segment_periods_forget() %}
    select 1
{% endmacro %}


{#- The delta's CTEs, ending in `periods`: the built open periods of people not erased, each
    extended by the as-of date's run when its value is the same, else closed there and followed
    by a new period; an open period that was current and has no run today is current no more.
    `today` is the long history of the as-of date. -#}
{% macro segment_periods_next_day(today) -%}
next_day_joined as (

    select
        coalesce(built.customer_id, today.customer_id) as customer_id,
        coalesce(built.dimension, today.dimension) as dimension,
        built.value as built_value,
        built.valid_from as built_from,
        built.last_seen_as_of as built_last_seen,
        built.runs as built_runs,
        built.customer_id is not null as has_open,
        today.customer_id is not null as seen_today,
        today.value as today_value,
        built.customer_id is not null and today.customer_id is not null and coalesce(
            built.value = today.value, built.value is null and today.value is null
        ) as continues

    from (
        select * from {{ this }}
        where valid_to is null and customer_id not in ({{ _segment_periods_erased() }})
    ) as built
    full outer join {{ today }} as today
        on built.customer_id = today.customer_id and built.dimension = today.dimension
    where built.is_current or today.customer_id is not null

),

periods as (

    select
        customer_id,
        dimension,
        built_value as value,
        built_from as valid_from,
        case when seen_today and not continues then {{ as_of_date() }} end as valid_to,
        case when continues then {{ as_of_date() }} else built_last_seen end as last_seen_as_of,
        built_runs + case when continues then 1 else 0 end as runs,
        continues as is_current
    from next_day_joined
    where has_open

    union all

    select
        customer_id,
        dimension,
        today_value as value,
        {{ as_of_date() }} as valid_from,
        cast(null as date) as valid_to,
        {{ as_of_date() }} as last_seen_as_of,
        1 as runs,
        true as is_current
    from next_day_joined
    where seen_today and not continues

)
{%- endmacro %}

