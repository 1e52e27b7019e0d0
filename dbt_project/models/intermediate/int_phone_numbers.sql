-- One row per distinct (phone, country) of a person with a non-blank phone: the number in
-- E.164 by phonenumbers' numbering plan (rapport_phone_e164, a Python UDF each engine
-- registers: pipelines/dbt_plugin.py, scripts/spark_dbt.py), and the version that parsed it.
-- Parsing is the slow part (~12 s per 1M numbers; the common mobile shapes skip it,
-- pipelines/phone_shapes.py, ~2 s per 1M), so where the engine can keep it
-- (phone_numbers_cache) the previous table's answers by the same version are reused and
-- only new pairs are parsed. Only pairs still in use are kept: an erased or changed number
-- leaves with the next build.
{{ config(materialized='table') }}

{%- set previous = phone_numbers_cache() %}

with

people as (

    select * from {{ ref('int_customers_merged') }}

),

pairs as (

    select distinct
        phone,
        country

    from people
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
