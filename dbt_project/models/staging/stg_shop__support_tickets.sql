with

-- the same ticket_id loaded twice (e.g. a re-sent file): the latest file wins
deduped as (

    {{ dedupe_latest_file(ref('stg_shop__support_tickets_versions'), ['ticket_id']) }}

),

final as (

    select
        ticket_id,
        customer_id,
        order_id,
        reason,
        handling_minutes,
        opened_at,
        source_file,
        source_line

    from deduped

)

select * from final
