-- One row per source customer id of a person who is not erased, mapped to the
-- person's canonical customer_id. Every mart and fact reads people through this
-- model, so an erased person leaves them all; their orders stay as anonymous
-- revenue (no customer id) in the facts.
with

matched as (

    select * from {{ ref('int_customers_matched') }}

),

erased as (

    select * from {{ ref('int_customers_erased') }}

),

final as (

    select matched.*
    from matched
    left join erased
        on matched.source_customer_id = erased.source_customer_id
    where erased.source_customer_id is null

)

select * from final
