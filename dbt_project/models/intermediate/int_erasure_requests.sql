-- One row per erasure request and phone key it names: the request as landed, with its phone in E.164
-- where written with + or 00, else every account's E.164 (int_phone_numbers, erased accounts too) whose
-- national number its digits are, in any country: a request has no country column, and "98765 43210" or
-- "07700 900123" must still name +91 98765 43210 and +44 7700 900123 (fail closed; pipelines/identity.py).
-- A table: the identity macros belong to dbt's connection (no view may call them).
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

final as (
    select
        erasures.email,
        erasures.customer_id,
        erasures.phone,
        coalesce(rapport_phone_key(erasures.phone), named_numbers.phone_e164) as phone_key,
        erasures.source_file,
        erasures.source_line
    from erasures
    left join named_numbers on rapport_phone_national(erasures.phone) = named_numbers.phone_national
)

select * from final
