-- One row per person: may we send them marketing email on the as-of date?
with

resolved as (

    select * from {{ ref('int_customers_resolved') }}

),

customers as (

    select * from {{ ref('int_customers_as_of') }}

),

email_unsubscribes as (

    select * from {{ ref('int_email_unsubscribes') }}

),

people as (

    select distinct customer_id from resolved

),

-- across merged accounts, the most recently updated account's flag is the person's wish
account_consents as (

    select
        resolved.customer_id,
        customers.marketing_consent,
        row_number() over (
            partition by resolved.customer_id
            order by customers.version_at desc nulls last, customers.customer_id desc
        ) as recency_rank

    from resolved
    inner join customers
        on resolved.source_customer_id = customers.customer_id

),

account_unsubscribes as (

    select
        resolved.customer_id,
        customers.unsubscribed_at

    from resolved
    inner join customers
        on resolved.source_customer_id = customers.customer_id
    -- the account version is already the one known on the as-of date (int_customers_as_of); an opt-out
    -- it carries applies whatever date it bears, so a future or wrong date never delays it
    where customers.unsubscribed_at is not null

),

event_unsubscribes as (

    select
        resolved.customer_id,
        email_unsubscribes.occurred_at as unsubscribed_at

    from resolved
    inner join email_unsubscribes
        on resolved.source_customer_id = email_unsubscribes.customer_id
    where email_unsubscribes.occurred_at < {{ as_of_date() }}

),

all_unsubscribes as (

    select * from account_unsubscribes
    union all
    select * from event_unsubscribes

),

-- an opt-out on any merged account, from the profile or an event, is sticky
unsubscribes as (

    select
        customer_id,
        max(unsubscribed_at) as unsubscribed_at

    from all_unsubscribes
    group by customer_id

),

final as (

    select
        people.customer_id,
        latest_consents.marketing_consent,
        unsubscribes.unsubscribed_at,
        coalesce(latest_consents.marketing_consent, false)
        and unsubscribes.unsubscribed_at is null as has_marketing_consent

    from people
    left join account_consents as latest_consents
        on people.customer_id = latest_consents.customer_id and latest_consents.recency_rank = 1
    left join unsubscribes
        on people.customer_id = unsubscribes.customer_id

)

select * from final
