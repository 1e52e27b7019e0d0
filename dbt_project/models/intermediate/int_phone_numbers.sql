-- One row per distinct (phone, country) of an account with a non-blank phone: the number in
-- E.164 by phonenumbers' numbering plan (rapport_phone_e164, a Python UDF each engine
-- registers: pipelines/dbt_plugin.py, scripts/spark_dbt.py), and the version that parsed it.
-- Every account, erased ones too, before erasure: int_customers_erased matches phones by it
-- (a national number), and int_customer_phones takes a person's (their freshest account's).
-- Parsing is the slow part (~12 s per 1M numbers; the common mobile shapes skip it,
-- pipelines/phone_shapes.py, ~2 s per 1M), so where the engine can keep it
-- (phone_numbers_cache) the previous table's answers by the same version are reused and
-- only new pairs are parsed. Only pairs still in use are kept: a changed number leaves with
-- the next build, an erased one with forget_erased (pipelines/forget/warehouse.py).
{{ config(materialized='table') }}

{%- set previous = phone_numbers_cache() %}

with

accounts as (

    select * from {{ ref('int_customers_as_of') }}

),

pairs as (

    select distinct
        phone,
        country

    from accounts
    where {{ phone_is_written('phone') }}

),

{% if previous is not none %}
known as (

    select * from {{ previous }}
    where parsed_with = rapport_phone_rules_version()

),

cached as (

    select
        pairs.phone,
        pairs.country,
        known.phone_e164,
        known.parsed_with

    from pairs
    inner join known
        on pairs.phone = known.phone
        and pairs.country is not distinct from known.country

),

todo as (

    select pairs.*
    from pairs
    left join known
        on pairs.phone = known.phone
        and pairs.country is not distinct from known.country
    where known.phone is null

),
{% else %}
todo as (

    select * from pairs

),
{% endif %}

parsed as (

    select
        phone,
        country,
        rapport_phone_e164(phone, country) as phone_e164,
        rapport_phone_rules_version() as parsed_with

    from todo

),

final as (

    select * from parsed
    {% if previous is not none %}
    union all
    select * from cached
    {% endif %}

)

select * from final
