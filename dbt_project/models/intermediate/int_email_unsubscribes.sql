-- One row per email event whose version that counts (the latest file wins, as in
-- stg_shop__email_events) is an unsubscribe, at any date. Only the events with an
-- unsubscribe version are deduplicated: any other event's latest version is no
-- unsubscribe, and deduplicating every event (12M at 1M customers) cost more than
-- the rest of the consent model.
with

versions as (

    select * from {{ ref('stg_shop__email_events_versions') }}

),

-- the same relation again, not `versions` read twice: DuckDB would materialise a CTE read
-- twice, i.e. every version of every email event (DECISIONLOG.md, helper i27dbt)
unsubscribe_rows as (

    select * from {{ ref('stg_shop__email_events_versions') }}

),

unsubscribe_versions as (

    select * from versions
    where event_id in (
        select unsubscribe_rows.event_id
        from unsubscribe_rows
        where unsubscribe_rows.event_type = 'unsubscribe'
    )

),

deduped as (

    {{ dedupe_latest_file('unsubscribe_versions', ['event_id']) }}

),

final as (

    select
        event_id,
        customer_id,
        occurred_at,
        source_file,
        source_line

    from deduped
    where event_type = 'unsubscribe'

)

select * from final
