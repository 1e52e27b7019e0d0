-- Every loaded version of each support_tickets row, not deduplicated: the keys and dates the incremental
-- facts look up to find what a new file touched (macros/incremental_state.sql). A superset of
-- stg_shop__support_tickets's keys, read without its dedupe, so the look-up is a plain filtered scan.
with

source as (

    select * from {{ source('shop', 'support_tickets') }}

),

final as (

    select
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(opened_at as {{ dbt.type_timestamp() }}) as opened_at,
        cast(_source_file as {{ dbt.type_string() }}) as source_file

    from source

)

select * from final
