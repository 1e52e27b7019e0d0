{#
    One row per customer per as-of date a run was made for: RFM segment,
    lifecycle stage and profit tier on that date. Incremental, keyed by
    as_of_date with delete+insert, so rerunning a day replaces that day's rows
    and running consecutive days builds a history. full_refresh is off: the
    history of past runs cannot be rebuilt from today's data, so
    `dbt build --full-refresh` must not wipe it. An erased person's rows of
    earlier runs are deleted after every build (post-hook), so they leave the
    history, its periods and transitions too. A day written again makes the
    periods' next build a full one (macros/segment_periods_state.sql).
#}
-- depends_on: {{ ref('int_customers_erased') }}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='as_of_date',
        full_refresh=false,
        partition_by=segment_history_partition(),
        post_hook=["{{ forget_erased_history() }}", "{{ segment_periods_forget() }}"],
    )
}}
with

profitability as (

    select * from {{ ref('customer_profitability') }}

),

customer_rfm as (

    select * from {{ ref('customer_rfm') }}

),

lifecycle as (

    select * from {{ ref('customer_lifecycle') }}

),

final as (

    select
        profitability.customer_id,
        {{ as_of_date() }} as as_of_date,
        cast(customer_rfm.segment as {{ dbt.type_string() }}) as rfm_segment,
        cast(lifecycle.lifecycle_stage as {{ dbt.type_string() }}) as lifecycle_stage,
        cast(profitability.profit_tier as {{ dbt.type_string() }}) as profit_tier

    from profitability
    left join customer_rfm
        on profitability.customer_id = customer_rfm.customer_id
    left join lifecycle
        on profitability.customer_id = lifecycle.customer_id

)

select * from final
