-- Every loaded version of each email_events row, not deduplicated: the keys and dates the incremental
-- facts look up to find what a new file touched (macros/incremental_state.sql). A superset of
-- stg_shop__email_events's keys, read without its dedupe, so the look-up is a plain filtered scan.
with

source as (

    select * from {{ source('shop', 'email_events') }}

),

final as (

    select
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,
        cast(_source_file as {{ dbt.type_string() }}) as source_file

    from source

)

select * from final
