-- One row per person: email, web, support, NPS and referral activity strictly
-- before as_of_date, over all merged accounts (their totals: account_interaction_totals,
-- kept by the day). Counts over the profit window (var profit_window_days) feed the
-- 12-month contribution.
with

resolved as (

    select * from {{ ref('int_customers_resolved') }}

),

account_totals as (

    select * from {{ ref('account_interaction_totals') }}

),

nps_and_referrals as (

    select * from {{ ref('int_customer_nps_and_referrals') }}

),

people as (

    select distinct customer_id from resolved

),

-- a person's accounts added up (an account's totals: account_interaction_totals)
totals as (

    select
        resolved.customer_id,
        sum(account_totals.email_sends) as email_sends,
        sum(account_totals.email_opens) as email_opens,
        sum(account_totals.email_clicks) as email_clicks,
        sum(account_totals.email_sends_12m) as email_sends_12m,
        max(account_totals.last_email_engaged_at) as last_email_engaged_at,
        sum(account_totals.web_sessions) as web_sessions,
        max(account_totals.last_session_at) as last_session_at,
        sum(account_totals.support_tickets) as support_tickets,
        sum(account_totals.support_minutes) as support_minutes,
        sum(account_totals.support_tickets_12m) as support_tickets_12m,
        sum(account_totals.support_minutes_12m) as support_minutes_12m

    from account_totals
    inner join resolved
        on account_totals.source_customer_id = resolved.source_customer_id
    group by resolved.customer_id

),

final as (

    select
        people.customer_id,
        cast(coalesce(totals.email_sends, 0) as {{ dbt.type_int() }}) as email_sends,
        cast(coalesce(totals.email_opens, 0) as {{ dbt.type_int() }}) as email_opens,
        cast(coalesce(totals.email_clicks, 0) as {{ dbt.type_int() }}) as email_clicks,
        cast(coalesce(totals.email_sends_12m, 0) as {{ dbt.type_int() }}) as email_sends_12m,
        totals.last_email_engaged_at,
        cast(coalesce(totals.web_sessions, 0) as {{ dbt.type_int() }}) as web_sessions,
        totals.last_session_at,
        cast(coalesce(totals.support_tickets, 0) as {{ dbt.type_int() }}) as support_tickets,
        cast(coalesce(totals.support_minutes, 0) as {{ dbt.type_int() }}) as support_minutes,
        cast(coalesce(totals.support_tickets_12m, 0) as {{ dbt.type_int() }}) as support_tickets_12m,
        cast(coalesce(totals.support_minutes_12m, 0) as {{ dbt.type_int() }}) as support_minutes_12m,
        nps_and_referrals.latest_nps,
        {{ nps_class('nps_and_referrals.latest_nps') }} as nps_class,
        cast(coalesce(nps_and_referrals.referrals_made, 0) as {{ dbt.type_int() }}) as referrals_made,
        cast(coalesce(nps_and_referrals.referrals_converted, 0) as {{ dbt.type_int() }})
            as referrals_converted

    from people
    left join totals
        on people.customer_id = totals.customer_id
    left join nps_and_referrals
        on people.customer_id = nps_and_referrals.customer_id

)

select * from final
