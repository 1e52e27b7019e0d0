{#
    One row per customer interaction before as_of_date: email events, web
    sessions and support tickets, with the person's canonical customer_id.
    Incremental like orders (macros/incremental_state.sql): a daily build adds
    the interactions of new files and those dated since the last build, and
    re-attributes the ones whose person changed.
#}
{{
    config(
        unique_key=['channel', 'interaction_id'],
        meta={'incremental_inputs': [
            {'entity': 'email_events', 'key': 'event_id', 'column': 'interaction_id',
             'when': "channel = 'email'", 'times': ['occurred_at']},
            {'entity': 'web_sessions', 'key': 'session_id', 'column': 'interaction_id',
             'when': "channel = 'web'", 'times': ['started_at']},
            {'entity': 'support_tickets', 'key': 'ticket_id', 'column': 'interaction_id',
             'when': "channel = 'support'", 'times': ['opened_at']},
        ]},
    )
}}
{%- set plan = incremental_plan(announce=true) %}
{%- set changed = 'select * from people_changed' %}
-- read by the incremental macros (which files and keys are new):
-- depends_on: {{ ref('stg_shop__email_events') }}
-- depends_on: {{ ref('stg_shop__web_sessions') }}
-- depends_on: {{ ref('stg_shop__support_tickets') }}
-- depends_on: {{ ref('stg_loader__load_ledger') }}
-- depends_on: {{ ref('stg_shop__email_events_versions') }}
-- depends_on: {{ ref('stg_shop__web_sessions_versions') }}
-- depends_on: {{ ref('stg_shop__support_tickets_versions') }}
with

{%- if plan.mode == 'delta' %}
{{ incremental_once(plan, 'people_changed', incremental_people_changed(ref('int_customers_resolved'))) }}

-- a daily delta: only the latest versions of the touched rows and of those whose person changed
email_events as (
    {{ incremental_touched_rows(plan, 'email_events', ['event_id'], {'email_events': 'event_id'}, 'customer_id', changed) }}
),

web_sessions as (
    {{ incremental_touched_rows(plan, 'web_sessions', ['session_id'], {'web_sessions': 'session_id'}, 'customer_id', changed) }}
),

support_tickets as (
    {{ incremental_touched_rows(plan, 'support_tickets', ['ticket_id'], {'support_tickets': 'ticket_id'}, 'customer_id', changed) }}
),

unioned as (

    {{ interactions_union('email_events', 'web_sessions', 'support_tickets') }}

),
{%- else %}
unioned as (

    select * from {{ ref('int_interactions_unioned') }}

),
{%- endif %}

resolved as (

    select * from {{ ref('int_customers_resolved') }}

),

erased as (

    select * from {{ ref('int_customers_erased') }}

),

interactions_to_build as (

    select * from unioned
    where occurred_at < {{ as_of_date() }}
    {%- if plan.mode == 'delta' %}
        and (
            {{ incremental_touched(plan) }}
            -- an unchanged interaction whose person changed (a new duplicate account)
            or source_customer_id in ({{ changed }})
        )
    {%- endif %}

),

final as (

    select
        interactions_to_build.channel,
        interactions_to_build.interaction_id,
        interactions_to_build.interaction_type,
        resolved.customer_id,
        -- an erased person's interactions stay counted but name nobody
        case
            when erased.source_customer_id is null then interactions_to_build.source_customer_id
        end as source_customer_id,
        interactions_to_build.occurred_at,
        interactions_to_build.campaign_id,
        interactions_to_build.order_id,
        interactions_to_build.handling_minutes,
        interactions_to_build.page_views,
        interactions_to_build.duration_seconds

    from interactions_to_build
    left join resolved
        on interactions_to_build.source_customer_id = resolved.source_customer_id
    left join erased
        on interactions_to_build.source_customer_id = erased.source_customer_id

)

select * from final
