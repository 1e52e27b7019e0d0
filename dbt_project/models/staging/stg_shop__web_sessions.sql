with

source as (

    select * from {{ source('shop', 'web_sessions') }}

),

renamed as (

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

),

-- the same session_id loaded twice (e.g. a re-sent file): the latest file wins
deduped as (

    {{ dedupe_latest_file('renamed', ['session_id']) }}

),

final as (

    select
        session_id,
        customer_id,
        page_views,
        duration_seconds,
        started_at,
        source_file,
        source_line

    from deduped

)

select * from final
