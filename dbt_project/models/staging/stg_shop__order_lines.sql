with

-- the same order_line_id loaded twice (e.g. a re-sent file): the latest file wins
deduped as (

    {{ dedupe_latest_file(ref('stg_shop__order_lines_versions'), ['order_line_id']) }}

),

final as (

    select
        order_line_id,
        order_id,
        product_id,
        quantity,
        unit_price,
        line_discount,
        source_file,
        source_line

    from deduped

)

select * from final
