-- One row per person with a non-blank phone: the number in E.164 as int_phone_numbers
-- parsed it (null when not possible in its country).
{{ config(materialized='table') }}

with

people as (

    select * from {{ ref('int_customers_merged') }}

),

numbers as (

    select * from {{ ref('int_phone_numbers') }}

),

final as (

    select
        people.customer_id,
        numbers.phone_e164

    from people
    left join numbers
        on
            people.phone = numbers.phone
            and people.country is not distinct from numbers.country
    where {{ phone_is_written('people.phone') }}

)

select * from final
