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

    {{ interactions_union('email_events', 'web_sessions', 'support_tickets') }}

)

select * from final
