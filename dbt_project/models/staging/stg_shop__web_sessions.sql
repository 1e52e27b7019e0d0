with

-- the same session_id loaded twice (e.g. a re-sent file): the latest file wins
deduped as (

    {{ dedupe_latest_file(ref('stg_shop__web_sessions_versions'), ['session_id']) }}

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
