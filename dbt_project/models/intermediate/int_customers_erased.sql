-- One row per source customer id whose person asked to be erased. A request naming any
-- account of a person (source or canonical id, email key, phone key) erases every account
-- of that person. Keys by the one identity rule (pipelines/identity.py: Unicode whitespace,
-- case, NFC, gmail canonical form, E.164), which each engine registers as functions
-- (pipelines/dbt_plugin.py, scripts/spark_dbt.py). The keys stay here (in no mart) because
-- the export must still send the person a removal and sweep them from earlier export
-- folders (pipelines/export/blocked.py reads this table once marts.customers lost them).
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
