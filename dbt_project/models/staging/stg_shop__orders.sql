with

-- one row per version: the same version loaded twice (e.g. a re-sent file), the latest
-- file wins; which version counts on the as-of date is int_orders_as_of's choice
deduped as (

    {{ dedupe_latest_file(ref('stg_shop__orders_versions'), ['order_id', 'version_at']) }}

),

final as (

    select
        order_id,
        customer_id,
        status,
        currency,
        amount,
        discount_amount,
        shipping_charged,
        shipping_cost,
        ordered_at,
        delivered_at,
        updated_at,
        version_at,
        source_file,
        source_line

    from deduped

)

select * from final
