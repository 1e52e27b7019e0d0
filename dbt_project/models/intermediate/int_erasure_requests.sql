-- One row per identity key an erasure request names, as a keyed digest (rapport_hmac, as forget and the export
-- remember keys): the id, the email, and the phone in E.164 where written with + or 00, else every account's
-- E.164 (int_phone_numbers, erased accounts too) whose national number its digits are, in any country: a
-- request has no country column, and "98765 43210" must still name +91 98765 43210 (fail closed;
-- pipelines/identity.py). Digests only: no copy of the erasure list's plain values outlives forget_erased.
{{ config(materialized='table') }}

with

erasures as (
    select * from {{ ref('stg_shop__erasures') }}
),

numbers as (
    select distinct phone_e164 from {{ ref('int_phone_numbers') }}
    where phone_e164 is not null
),

national_requests as (
    select distinct rapport_phone_national(phone) as phone_national
    from erasures
    where rapport_phone_national(phone) is not null
),

-- digits that are a number's national number ("098765 43210"), or all its digits ("919876543210")
named_numbers as (
    select
        national_requests.phone_national,
        numbers.phone_e164
    from national_requests
    inner join numbers on national_requests.phone_national = rapport_phone_nsn(numbers.phone_e164)
    union
    select
        national_requests.phone_national,
        numbers.phone_e164
    from national_requests
    inner join numbers on concat('+', national_requests.phone_national) = numbers.phone_e164
),

requests as (
    select
        erasures.email,
        erasures.customer_id,
        coalesce(rapport_phone_key(erasures.phone), named_numbers.phone_e164) as phone_key
    from erasures
    left join named_numbers on rapport_phone_national(erasures.phone) = named_numbers.phone_national
),

digests as (
    select
        kinds.kind,
        {{ erasure_digest('kinds.kind', 'rapport_id_key(requests.customer_id)', 'rapport_email_key(requests.email)',
            'requests.phone_key') }} as digest
    from requests
    cross join (values ('id'), ('email'), ('phone')) as kinds (kind)
),

final as (
    select distinct
        kind,
        digest
    from digests
    where digest is not null
)

select * from final
