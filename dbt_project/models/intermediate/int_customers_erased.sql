-- One row per source customer id of an erased person: every account of a person an erasure request names
-- by any identity key (pipelines/identity.py), or with a key remembered as an erased person's (keyed hashes
-- forget and the export keep: they link a later row under another form). No mart has these keys.
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

-- requests matched as remembered keys are, by keyed hash (rapport_hmac, pipelines/erasure_key.py):
-- one equality join, not an OR (a nested loop); a canonical id is some account's source id
erased_digests as (

    select
        'id' as kind,
        rapport_hmac(rapport_id_key(customer_id)) as digest,
        true as named_by_request
    from erasures
    union all
    select
        'email' as kind,
        rapport_hmac(rapport_email_key(email)) as digest,
        true as named_by_request
    from erasures
    union all
    select
        'phone' as kind,
        rapport_hmac(rapport_phone_key(phone)) as digest,
        true as named_by_request
    from erasures
    union all
    select
        kind,
        digest,
        false as named_by_request
    from remembered

),

account_digests as (

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

-- named_by_request: a request names them; forget remembers only their keys (DECISIONLOG, stop 18)
erased_people as (

    select
        account_digests.customer_id,
        bool_or(erased_digests.named_by_request) as named_by_request
    from account_digests
    inner join erased_digests
        on
            account_digests.kind = erased_digests.kind
            and account_digests.digest = erased_digests.digest
    group by account_digests.customer_id

),

final as (

    select
        accounts.source_customer_id,
        accounts.customer_id,
        accounts.email_key,
        accounts.phone_key,
        erased_people.named_by_request

    from accounts
    inner join erased_people
        on accounts.customer_id = erased_people.customer_id

)

select * from final
