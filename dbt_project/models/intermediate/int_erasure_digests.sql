-- One row per keyed digest that erases a person: every key an erasure request names, and every key
-- remembered as an erased person's (keyed hashes forget and the export keep). named_by_request
-- tells them apart: forget remembers the keys of people a request names only, so someone reached
-- through a remembered key (a phone they share) does not pass it on (DECISIONLOG, stop 18).
with

erasures as (

    select * from {{ ref('stg_shop__erasures') }}

),

remembered as (

    select * from {{ ref('stg_exports__erased_keys') }}

),

-- requests hashed as remembered keys are (rapport_hmac, pipelines/erasure_key.py), so matching is
-- one equality join, not an OR (a nested loop); a canonical id is some account's source id
final as (

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

)

select * from final
