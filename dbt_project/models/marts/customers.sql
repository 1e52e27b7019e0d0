-- One row per person (customer 360): identity, orders and money, engagement,
-- consent and contact details, all as known strictly before as_of_date.
with

people as (

    select * from {{ ref('int_customers_merged') }}

),

consents as (

    select * from {{ ref('int_consents_resolved') }}

),

order_totals as (

    select * from {{ ref('customer_order_totals') }}

),

engagement as (

    select * from {{ ref('customer_engagement') }}

),

phones as (

    select * from {{ ref('int_customer_phones') }}

),

value_curve as (

    select * from {{ ref('customer_value_curve') }}

),

final as (

    select
        ----------  identity and contact
        people.customer_id,
        people.source_customer_ids,
        people.email,
        people.first_name,
        people.last_name,
        people.phone,
        phones.phone_e164,
        people.birthday,
        people.country,
        people.postal_code,
        people.acquisition_channel,
        people.signed_up_at,

        ----------  orders and money
        order_totals.first_order_at,
        order_totals.last_order_at,
        cast(coalesce(order_totals.orders, 0) as {{ dbt.type_int() }}) as orders,
        cast(coalesce(order_totals.items, 0) as {{ dbt.type_int() }}) as items,
        cast(coalesce(order_totals.gross_sales, 0) as {{ type_money() }}) as gross_sales,
        cast(coalesce(order_totals.discounts, 0) as {{ type_money() }}) as discounts,
        cast(coalesce(order_totals.returns, 0) as {{ dbt.type_int() }}) as returns,
        cast(coalesce(order_totals.refunds, 0) as {{ type_money() }}) as refunds,
        cast(coalesce(order_totals.net_sales, 0) as {{ type_money() }}) as net_sales,
        cast(coalesce(order_totals.net_sales, 0) as {{ type_money() }}) as net_revenue,
        order_totals.avg_order_value,
        cast(order_totals.avg_days_between_orders as {{ type_double() }}) as avg_days_between_orders,
        -- tenure runs from the first sign-up, or the first order for order-only ids
        {{ dbt.datediff(
            'cast(coalesce(people.signed_up_at, order_totals.first_order_at) as date)',
            as_of_date(), 'day'
        ) }} as tenure_days,
        coalesce(value_curve.is_top_20pct_revenue, false) as is_top_20pct_revenue,

        ----------  engagement
        engagement.email_sends,
        engagement.email_opens,
        engagement.email_clicks,
        cast(engagement.email_opens as {{ type_double() }}) / nullif(engagement.email_sends, 0)
            as email_open_rate,
        cast(engagement.email_clicks as {{ type_double() }}) / nullif(engagement.email_sends, 0)
            as email_click_rate,
        -- an open, a click or a web visit, whichever came last
        case
            when engagement.last_session_at is null then engagement.last_email_engaged_at
            when engagement.last_email_engaged_at is null then engagement.last_session_at
            when engagement.last_session_at > engagement.last_email_engaged_at
                then engagement.last_session_at
            else engagement.last_email_engaged_at
        end as last_engaged_at,
        engagement.web_sessions,
        engagement.support_tickets,
        engagement.support_minutes,
        engagement.latest_nps,
        engagement.nps_class,
        engagement.referrals_made,
        engagement.referrals_converted,

        ----------  consent
        consents.has_marketing_consent,
        consents.unsubscribed_at

    from people
    left join order_totals
        on people.customer_id = order_totals.customer_id
    left join engagement
        on people.customer_id = engagement.customer_id
    left join phones
        on people.customer_id = phones.customer_id
    left join value_curve
        on people.customer_id = value_curve.customer_id
    left join consents
        on people.customer_id = consents.customer_id

)

select * from final
