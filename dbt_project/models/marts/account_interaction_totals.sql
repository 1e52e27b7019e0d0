-- One row per account (source customer id) with interactions strictly before as_of_date: its
-- email, web and support counts and latest dates, and the counts over the profit window (var
-- profit_window_days). customer_engagement adds up a person's accounts, so a merge or a new
-- duplicate account moves no total. Kept by the day (macros/fact_totals_state.sql): a next day
-- recomputes only the accounts the interactions delta touched or with a row leaving the window.
-- read by the delta's macros: which keys the fact's new files and dates touched
-- depends_on: {{ ref('stg_shop__email_events_versions') }}
-- depends_on: {{ ref('stg_shop__web_sessions_versions') }}
-- depends_on: {{ ref('stg_shop__support_tickets_versions') }}
-- depends_on: {{ ref('int_customers_erased') }}
{%- set window_days = var('profit_window_days') %}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='source_customer_id',
        pre_hook="{{ fact_totals_forget('interactions', var('profit_window_days')) }}",
        post_hook="{{ fact_totals_remember('interactions', var('profit_window_days')) }}",
    )
}}
{%- set plan = fact_totals_plan('interactions', window_days) %}
{%- set window_start = dbt.dateadd('day', -1 * window_days, as_of_date()) %}
with

interactions as (

    select * from {{ ref('interactions') }}
    where source_customer_id is not null
    {%- if plan.mode == 'delta' %}
        and source_customer_id in (select source_customer_id from {{ fact_totals_recomputed() }})
    {%- endif %}

),

counted as (

    select
        source_customer_id,
        sum(case when channel = 'email' and interaction_type = 'send' then 1 else 0 end) as email_sends,
        sum(case when channel = 'email' and interaction_type = 'open' then 1 else 0 end) as email_opens,
        sum(case when channel = 'email' and interaction_type = 'click' then 1 else 0 end) as email_clicks,
        sum(
            case
                when channel = 'email' and interaction_type = 'send' and occurred_at >= {{ window_start }} then 1
                else 0
            end
        ) as email_sends_12m,
        max(
            case when channel = 'email' and interaction_type in ('open', 'click') then occurred_at end
        ) as last_email_engaged_at,
        sum(case when channel = 'web' then 1 else 0 end) as web_sessions,
        max(case when channel = 'web' then occurred_at end) as last_session_at,
        sum(case when channel = 'support' then 1 else 0 end) as support_tickets,
        sum(case when channel = 'support' then coalesce(handling_minutes, 0) else 0 end) as support_minutes,
        sum(case when channel = 'support' and occurred_at >= {{ window_start }} then 1 else 0 end)
            as support_tickets_12m,
        sum(
            case
                when channel = 'support' and occurred_at >= {{ window_start }} then coalesce(handling_minutes, 0)
                else 0
            end
        ) as support_minutes_12m

    from interactions
    group by source_customer_id

),

final as (

    select
        source_customer_id,
        cast(email_sends as {{ dbt.type_bigint() }}) as email_sends,
        cast(email_opens as {{ dbt.type_bigint() }}) as email_opens,
        cast(email_clicks as {{ dbt.type_bigint() }}) as email_clicks,
        cast(email_sends_12m as {{ dbt.type_bigint() }}) as email_sends_12m,
        last_email_engaged_at,
        cast(web_sessions as {{ dbt.type_bigint() }}) as web_sessions,
        last_session_at,
        cast(support_tickets as {{ dbt.type_bigint() }}) as support_tickets,
        cast(support_minutes as {{ dbt.type_bigint() }}) as support_minutes,
        cast(support_tickets_12m as {{ dbt.type_bigint() }}) as support_tickets_12m,
        cast(support_minutes_12m as {{ dbt.type_bigint() }}) as support_minutes_12m

    from counted

)

select * from final
