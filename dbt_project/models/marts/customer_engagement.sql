-- One row per person: email, web, support, NPS and referral activity strictly
-- before as_of_date, over all merged accounts. Counts over the profit window
-- (var profit_window_days) feed the 12-month contribution.
{%- set profit_window_start = dbt.dateadd('day', -1 * var('profit_window_days'), as_of_date()) %}
with

resolved as (

    select * from {{ ref('int_customers_resolved') }}

),

interactions as (

    select * from {{ ref('interactions') }}
    where customer_id is not null

),

nps_and_referrals as (

    select * from {{ ref('int_customer_nps_and_referrals') }}

),

people as (

    select distinct customer_id from resolved

),

emails as (

    select
        customer_id,
        sum(case when interaction_type = 'send' then 1 else 0 end) as email_sends,
        sum(case when interaction_type = 'open' then 1 else 0 end) as email_opens,
        sum(case when interaction_type = 'click' then 1 else 0 end) as email_clicks,
        sum(
            case
                when interaction_type = 'send' and occurred_at >= {{ profit_window_start }} then 1
                else 0
            end
        ) as email_sends_12m,
        max(case when interaction_type in ('open', 'click') then occurred_at end) as last_email_engaged_at

    from interactions
    where channel = 'email'
    group by customer_id

),

sessions as (

    select
        customer_id,
        count(*) as web_sessions,
        max(occurred_at) as last_session_at

    from interactions
    where channel = 'web'
    group by customer_id

),

tickets as (

    select
        customer_id,
        count(*) as support_tickets,
        sum(coalesce(handling_minutes, 0)) as support_minutes,
        sum(case when occurred_at >= {{ profit_window_start }} then 1 else 0 end) as support_tickets_12m,
        sum(
            case
                when occurred_at >= {{ profit_window_start }} then coalesce(handling_minutes, 0)
                else 0
            end
        ) as support_minutes_12m

    from interactions
    where channel = 'support'
    group by customer_id

),

final as (

    select
        people.customer_id,
        cast(coalesce(emails.email_sends, 0) as {{ dbt.type_int() }}) as email_sends,
        cast(coalesce(emails.email_opens, 0) as {{ dbt.type_int() }}) as email_opens,
        cast(coalesce(emails.email_clicks, 0) as {{ dbt.type_int() }}) as email_clicks,
        cast(coalesce(emails.email_sends_12m, 0) as {{ dbt.type_int() }}) as email_sends_12m,
        emails.last_email_engaged_at,
        cast(coalesce(sessions.web_sessions, 0) as {{ dbt.type_int() }}) as web_sessions,
        sessions.last_session_at,
        cast(coalesce(tickets.support_tickets, 0) as {{ dbt.type_int() }}) as support_tickets,
        cast(coalesce(tickets.support_minutes, 0) as {{ dbt.type_int() }}) as support_minutes,
        cast(coalesce(tickets.support_tickets_12m, 0) as {{ dbt.type_int() }}) as support_tickets_12m,
        cast(coalesce(tickets.support_minutes_12m, 0) as {{ dbt.type_int() }}) as support_minutes_12m,
        nps_and_referrals.latest_nps,
        {{ nps_class('nps_and_referrals.latest_nps') }} as nps_class,
        cast(coalesce(nps_and_referrals.referrals_made, 0) as {{ dbt.type_int() }}) as referrals_made,
        cast(coalesce(nps_and_referrals.referrals_converted, 0) as {{ dbt.type_int() }})
            as referrals_converted

    from people
    left join emails
        on people.customer_id = emails.customer_id
    left join sessions
        on people.customer_id = sessions.customer_id
    left join tickets
        on people.customer_id = tickets.customer_id
    left join nps_and_referrals
        on people.customer_id = nps_and_referrals.customer_id

)

select * from final
