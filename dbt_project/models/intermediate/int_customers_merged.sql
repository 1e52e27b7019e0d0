-- One row per person: the merged source accounts' profile.
-- Most people have one account: only those with several go through the ordered aggregate and
-- the window (1M customers: 19k of 973k people); one account is its own list and freshest.
with

resolved as (

    select * from {{ ref('int_customers_resolved') }}

),

customers as (

    select * from {{ ref('int_customers_as_of') }}

),

people as (

    select
        customer_id,
        count(*) as account_count,
        min(source_customer_id) as source_customer_id,
        min(email) as email,
        min(signed_up_at) as signed_up_at

    from resolved
    group by customer_id

),

listed_ids as (

    select
        resolved.customer_id,
        {{ dbt.listagg('resolved.source_customer_id', "'|'", 'order by resolved.source_customer_id') }}
            as source_customer_ids

    from resolved
    inner join people
        on resolved.customer_id = people.customer_id
    where people.account_count > 1
    group by resolved.customer_id

),

accounts as (

    select
        resolved.customer_id,
        resolved.is_canonical,
        people.account_count,
        customers.first_name,
        customers.last_name,
        customers.phone,
        customers.birthday,
        customers.country,
        customers.postal_code,
        customers.acquisition_channel,
        customers.version_at,
        customers.customer_id as source_customer_id

    from resolved
    inner join people
        on resolved.customer_id = people.customer_id
    inner join customers
        on resolved.source_customer_id = customers.customer_id

),

-- contact details: the most recently updated account is the freshest
latest_accounts as (

    select
        *,
        1 as recency_rank
    from accounts
    where account_count = 1
    union all
    select
        *,
        row_number() over (
            partition by customer_id
            order by version_at desc nulls last, source_customer_id desc
        ) as recency_rank
    from accounts
    where account_count > 1

),

final as (

    select
        people.customer_id,
        case
            when people.account_count = 1 then people.source_customer_id
            else listed_ids.source_customer_ids
        end as source_customer_ids,
        people.email,
        latest_accounts.first_name,
        latest_accounts.last_name,
        latest_accounts.phone,
        latest_accounts.birthday,
        latest_accounts.country,
        latest_accounts.postal_code,
        canonical_accounts.acquisition_channel,
        people.signed_up_at

    from people
    left join listed_ids
        on people.customer_id = listed_ids.customer_id
    left join latest_accounts
        on people.customer_id = latest_accounts.customer_id and latest_accounts.recency_rank = 1
    -- acquisition belongs to the first sign-up, i.e. the canonical account
    left join accounts as canonical_accounts
        on people.customer_id = canonical_accounts.customer_id and canonical_accounts.is_canonical

)

select * from final
