-- Every loaded version of each web_sessions row, not deduplicated: the keys and dates the incremental
-- facts look up to find what a new file touched (macros/incremental_state.sql). A superset of
-- stg_shop__web_sessions's keys, read without its dedupe, so the look-up is a plain filtered scan.
with

source as (

    select * from {{ source('shop', 'web_sessions') }}

),

final as (

    select
        cast(session_id as {{ dbt.type_string() }}) as session_id,
        cast(started_at as {{ dbt.type_timestamp() }}) as started_at,
        cast(_source_file as {{ dbt.type_string() }}) as source_file

    from source

)

select * from final
