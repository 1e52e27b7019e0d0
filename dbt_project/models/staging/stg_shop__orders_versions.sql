-- Every loaded version of each orders row, renamed and cast, not deduplicated: the rows
-- stg_shop__orders dedupes, and those the incremental facts look up to find what a new
-- file touched (macros/incremental_state.sql). A daily delta filters this to the touched
-- keys before deduplicating them (a filter cannot pass a dedupe's window).
with

source as (

    select * from {{ source('shop', 'orders') }}

),

final as (

    select
        ----------  ids
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,

        ----------  text
        lower(trim(cast(status as {{ dbt.type_string() }}))) as status,
        upper(trim(cast(currency as {{ dbt.type_string() }}))) as currency,

        ----------  numerics
        cast(amount as {{ type_money() }}) as amount,
        cast(discount_amount as {{ type_money() }}) as discount_amount,
        cast(shipping_charged as {{ type_money() }}) as shipping_charged,
        cast(shipping_cost as {{ type_money() }}) as shipping_cost,

        ----------  timestamps
        cast(ordered_at as {{ dbt.type_timestamp() }}) as ordered_at,
        cast(delivered_at as {{ dbt.type_timestamp() }}) as delivered_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        -- a version without updated_at was produced when the order was placed
        cast(coalesce(updated_at, ordered_at) as {{ dbt.type_timestamp() }}) as version_at,

        ----------  lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

)

select * from final
