{#
    The full build's CTEs, ending in `periods`: every period of every customer and dimension
    from the recorded runs in `history` (customer_segment_history's columns; `history_dates`
    its as_of_date column, for the latest run). A period starts at a customer's first run and
    wherever a dimension's value differs from the run before (null = null); it ends before the
    next start, or is open.
    Two sorts of one row per customer and run, the three dimensions side by side: the first
    numbers the runs and sees the run before, the second finds each start's next start of the
    same dimension among the later runs (dates and numbers grow with the run, so the smallest
    later one is the next). Unpivoted, with windows over customer and dimension, it was three
    sorts of three rows per run and a group by (DECISIONLOG.md, helper i27dbt).
#}
{% macro segment_periods_full(history, history_dates) -%}
{%- set dimensions = ['rfm_segment', 'lifecycle_stage', 'profit_tier'] %}
numbered_runs as (

    select
        customer_id,
        as_of_date,
        {%- for d in dimensions %}
        {{ d }},
        lag({{ d }}) over by_run as previous_{{ d }},
        {%- endfor %}
        lag(as_of_date) over by_run as previous_as_of,
        row_number() over by_run as run_number

    from {{ history }}
    window by_run as (partition by customer_id order by as_of_date)

),

run_starts as (

    select
        *,
        {%- for d in dimensions %}
        previous_as_of is null or not coalesce(
            previous_{{ d }} = {{ d }}, previous_{{ d }} is null and {{ d }} is null
        ) as starts_{{ d }}{{ ',' if not loop.last }}
        {%- endfor %}

    from numbered_runs

),

next_starts as (

    select
        *,
        {%- for d in dimensions %}
        min(case when starts_{{ d }} then as_of_date end) over later_runs as next_from_{{ d }},
        min(case when starts_{{ d }} then previous_as_of end) over later_runs as next_previous_{{ d }},
        min(case when starts_{{ d }} then run_number end) over later_runs as next_number_{{ d }},
        {%- endfor %}
        max(as_of_date) over all_runs as last_as_of,
        count(*) over all_runs as run_count

    from run_starts
    window
        later_runs as (
            partition by customer_id order by as_of_date rows between 1 following and unbounded following
        ),
        all_runs as (
            partition by customer_id order by as_of_date
            rows between unbounded preceding and unbounded following
        )

),

periods as (
    {%- for d in dimensions %}

    select
        customer_id,
        '{{ d }}' as dimension,
        {{ d }} as value,
        as_of_date as valid_from,
        next_from_{{ d }} as valid_to,
        coalesce(next_previous_{{ d }}, last_as_of) as last_seen_as_of,
        coalesce(next_number_{{ d }}, run_count + 1) - run_number as runs,
        coalesce(next_previous_{{ d }}, last_as_of) = (select max(as_of_date) from {{ history_dates }}) as is_current

    from next_starts
    where starts_{{ d }}
    {%- if not loop.last %}

    union all
    {%- endif %}
    {%- endfor %}

)
{%- endmacro %}
