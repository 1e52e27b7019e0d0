-- Every loaded version of each web_sessions row, renamed and cast, not deduplicated: the rows
-- stg_shop__web_sessions dedupes, and those the incremental facts look up to find what a new
-- file touched (macros/incremental_state.sql). A daily delta filters this to the touched
-- keys before deduplicating them (a filter cannot pass a dedupe's window).
with

source as (

    select * from {{ source('shop', 'web_sessions') }}

),

final as (

    select
        ----------  ids
        cast(session_id as {{ dbt.type_string() }}) as session_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,

        ----------  numerics
        cast(page_views as {{ dbt.type_int() }}) as page_views,
        cast(duration_seconds as {{ dbt.type_int() }}) as duration_seconds,

        ----------  timestamps
        cast(started_at as {{ dbt.type_timestamp() }}) as started_at,

        ----------  lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

)

select * from final
