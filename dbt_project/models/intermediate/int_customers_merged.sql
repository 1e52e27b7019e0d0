-- One row per person: the merged source accounts' profile.
with

resolved as (

    select * from {{ ref('int_customers_resolved') }}

),

customers as (

    select * from {{ ref('int_customers_as_of') }}

),

source_ids as (

    select
        customer_id,
        {{ dbt.listagg('source_customer_id', "'|'", 'order by source_customer_id') }}
            as source_customer_ids,
        min(email) as email,
        min(signed_up_at) as signed_up_at

    from resolved
    group by customer_id

),

accounts as (

    select
        resolved.customer_id,
        resolved.is_canonical,
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
    inner join customers
        on resolved.source_customer_id = customers.customer_id

),

-- contact details: the most recently updated account is the freshest
latest_accounts as (

    select
        *,
        row_number() over (
            partition by customer_id
            order by version_at desc nulls last, source_customer_id desc
        ) as recency_rank

    from accounts

),

-- acquisition belongs to the first sign-up, i.e. the canonical account
canonical_accounts as (

    select
        customer_id,
        acquisition_channel
    from accounts
    where is_canonical

),

final as (

    select
        source_ids.customer_id,
        source_ids.source_customer_ids,
        source_ids.email,
        latest_accounts.first_name,
        latest_accounts.last_name,
        latest_accounts.phone,
        latest_accounts.birthday,
        latest_accounts.country,
        latest_accounts.postal_code,
        canonical_accounts.acquisition_channel,
        source_ids.signed_up_at

    from source_ids
    left join latest_accounts
        on
            source_ids.customer_id = latest_accounts.customer_id
            and latest_accounts.recency_rank = 1
    left join canonical_accounts
        on source_ids.customer_id = canonical_accounts.customer_id

)

select * from final
