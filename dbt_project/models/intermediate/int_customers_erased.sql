-- One row per source customer id of an erased person: every account of a person a request names by any identity
-- key (pipelines/identity.py; a phone as written and as E.164, a request's national one: int_erasure_requests) or
-- remembered as erased (keyed hashes forget and the export keep), or sharing a key the same day (one hop).
{{ config(materialized='table') }}

with

matched as (
    select * from {{ ref('int_customers_matched') }}
),

customers as (
    select * from {{ ref('int_customers_as_of') }}
),

erasures as (
    select * from {{ ref('int_erasure_requests') }}
),

remembered as (
    select * from {{ ref('stg_exports__erased_keys') }}
),

numbers as (
    select * from {{ ref('int_phone_numbers') }}
),

accounts as (
    select
        matched.source_customer_id,
        matched.customer_id,
        rapport_email_key(coalesce(customers.email, matched.email)) as email_key,
        coalesce(rapport_phone_key(numbers.phone_e164), rapport_phone_key(customers.phone)) as phone_key,
        rapport_phone_key(customers.phone) as written_phone_key
    from matched
    left join customers on matched.source_customer_id = customers.customer_id
    left join numbers on customers.phone = numbers.phone and customers.country is not distinct from numbers.country
),

-- requests keyed as remembered keys are (rapport_hmac): one equality join, not an OR (a nested loop)
erased_digests as (
    select
        kind,
        digest,
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
        accounts.customer_id,
        kinds.kind,
        {{ erasure_digest('kinds.form', 'accounts.source_customer_id', 'accounts.email_key',
            'accounts.written_phone_key', 'nullif(accounts.phone_key, accounts.written_phone_key)') }} as digest
    from accounts
    cross join (values ('id', 'id'), ('email', 'email'), ('phone', 'phone'), ('phone', 'e164')) as kinds (kind, form)
),

-- named_by_request: a request names them; forget remembers only their keys (DECISIONLOG, stop 18)
erased_people as (
    select
        account_digests.customer_id,
        bool_or(erased_digests.named_by_request) as named_by_request
    from account_digests
    inner join erased_digests
        on account_digests.kind = erased_digests.kind and account_digests.digest = erased_digests.digest
    group by account_digests.customer_id
),

-- one hop on the request's day: whom the next day reaches through the keys forget remembers of the named;
-- not named_by_request, so their keys are not remembered and it goes no further (DECISIONLOG, issue 16)
named_digests as (
    select distinct
        account_digests.kind,
        account_digests.digest
    from account_digests
    inner join erased_people on account_digests.customer_id = erased_people.customer_id
    where erased_people.named_by_request
),

one_hop as (
    select account_digests.customer_id
    from account_digests
    inner join named_digests
        on account_digests.kind = named_digests.kind and account_digests.digest = named_digests.digest
),

erased_ids as (
    select customer_id from erased_people
    union
    select customer_id from one_hop
),

final as (
    select
        accounts.source_customer_id,
        accounts.customer_id,
        accounts.email_key,
        accounts.phone_key,
        coalesce(erased_people.named_by_request, false) as named_by_request
    from accounts
    left join erased_people on accounts.customer_id = erased_people.customer_id
    -- one mailbox is one person: people match by email as loaded, so a hop person's s.am@gmail.com stayed
    where
        accounts.customer_id in (select erased_ids.customer_id from erased_ids)
        or accounts.email_key in (
            select erased.email_key from accounts as erased
            inner join erased_ids on erased.customer_id = erased_ids.customer_id
        )
)

select * from final
