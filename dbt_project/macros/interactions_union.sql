{#
    Email events, web sessions and support tickets in one shape (one row each), with the
    source customer id: int_interactions_unioned over the staging models, and the
    interactions fact's daily delta over the touched rows only (macros/incremental_state.sql).
#}
{% macro interactions_union(email_events, web_sessions, support_tickets) -%}
    select
        'email' as channel,
        event_id as interaction_id,
        event_type as interaction_type,
        customer_id as source_customer_id,
        occurred_at,
        campaign_id,
        cast(null as {{ dbt.type_string() }}) as order_id,
        cast(null as {{ dbt.type_int() }}) as handling_minutes,
        cast(null as {{ dbt.type_int() }}) as page_views,
        cast(null as {{ dbt.type_int() }}) as duration_seconds

    from {{ email_events }}

    union all

    select
        'web' as channel,
        session_id as interaction_id,
        'session' as interaction_type,
        customer_id as source_customer_id,
        started_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        cast(null as {{ dbt.type_string() }}) as order_id,
        cast(null as {{ dbt.type_int() }}) as handling_minutes,
        page_views,
        duration_seconds

    from {{ web_sessions }}

    union all

    select
        'support' as channel,
        ticket_id as interaction_id,
        'ticket' as interaction_type,
        customer_id as source_customer_id,
        opened_at as occurred_at,
        cast(null as {{ dbt.type_string() }}) as campaign_id,
        order_id,
        handling_minutes,
        cast(null as {{ dbt.type_int() }}) as page_views,
        cast(null as {{ dbt.type_int() }}) as duration_seconds

    from {{ support_tickets }}
{%- endmacro %}
