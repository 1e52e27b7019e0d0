-- One row per source customer id whose person asked to be erased. A request naming any
-- account of a person (source or canonical id, email key, phone key) erases every account
-- of that person; so does any key of a person erased before (remembered as keyed hashes by
-- pipelines/forget and the export): once forget removed their customers row, the request
-- alone no longer links them to a later row under another form (their old id on an order, a
-- new account with their email or phone). Keys by the one identity rule (pipelines/identity.py),
-- which each engine registers as functions (pipelines/dbt_plugin.py, scripts/spark_dbt.py).
-- The keys stay here (in no mart) because the export must still send the person a removal
-- and sweep them from earlier export folders (pipelines/export/blocked.py reads this table
-- once marts.customers lost them).
{{ config(materialized='table') }}

with

matched as (

    select * from {{ ref('int_customers_matched') }}

),

customers as (

    select * from {{ ref('int_customers_as_of') }}

),

erasures as (

    select * from {{ ref('stg_shop__erasures') }}

),

remembered as (

    select * from {{ ref('stg_exports__erased_keys') }}

),

requests as (

    select
        rapport_id_key(customer_id) as id_key,
        rapport_email_key(email) as email_key,
        rapport_phone_key(phone) as phone_key

    from erasures

),

accounts as (

    select
        matched.source_customer_id,
        matched.customer_id,
        rapport_email_key(coalesce(customers.email, matched.email)) as email_key,
        rapport_phone_key(customers.phone) as phone_key

    from matched
    left join customers
        on matched.source_customer_id = customers.customer_id

),

-- each account's keys as keyed hashes (rapport_hmac: the erasure key's HMAC,
-- pipelines/erasure_key.py); a canonical id is some account's source id
accounts_hashed as (

    select
        customer_id,
        'id' as kind,
        rapport_hmac(source_customer_id) as digest
    from accounts
    union all
    select
        customer_id,
        'email' as kind,
        rapport_hmac(email_key) as digest
    from accounts
    union all
    select
        customer_id,
        'phone' as kind,
        rapport_hmac(phone_key) as digest
    from accounts

),

erased_people as (

    -- four equality joins, not one join on an OR of them: DuckDB runs an OR condition as a
    -- nested loop over every account and request (36 s at 1M customers)
    select accounts.customer_id
    from accounts
    inner join requests
        on accounts.source_customer_id = requests.id_key

    union

    select accounts.customer_id
    from accounts
    inner join requests
        on accounts.customer_id = requests.id_key

    union

    select accounts.customer_id
    from accounts
    inner join requests
        on accounts.email_key = requests.email_key

    union

    select accounts.customer_id
    from accounts
    inner join requests
        on accounts.phone_key = requests.phone_key

    union

    -- erased before, by any key
    select accounts_hashed.customer_id
    from accounts_hashed
    inner join remembered
        on
            accounts_hashed.kind = remembered.kind
            and accounts_hashed.digest = remembered.digest

),

final as (

    select
        accounts.source_customer_id,
        accounts.customer_id,
        accounts.email_key,
        accounts.phone_key

    from accounts
    inner join erased_people
        on accounts.customer_id = erased_people.customer_id

)

select * from final
