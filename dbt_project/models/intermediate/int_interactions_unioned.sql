-- One row per interaction on any channel, as landed (any date): email events, web
-- sessions and support tickets in one shape, with the source customer id. The
-- interactions fact attributes them to people and keeps those before as_of_date.
with

email_events as (

    select * from {{ ref('stg_shop__email_events') }}

),

web_sessions as (

    select * from {{ ref('stg_shop__web_sessions') }}

),

support_tickets as (

    select * from {{ ref('stg_shop__support_tickets') }}

),

final as (

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

    from email_events

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

    from web_sessions

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

    from support_tickets

)

select * from final
