with

-- the same event_id loaded twice (e.g. a re-sent file): the latest file wins
deduped as (

    {{ dedupe_latest_file(ref('stg_shop__email_events_versions'), ['event_id']) }}

),

final as (

    select
        event_id,
        customer_id,
        campaign_id,
        event_type,
        occurred_at,
        source_file,
        source_line

    from deduped

)

select * from final
