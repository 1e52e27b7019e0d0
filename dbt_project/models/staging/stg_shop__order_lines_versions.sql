-- Every loaded version of each order_lines row, renamed and cast, not deduplicated: the rows
-- stg_shop__order_lines dedupes, and those the incremental facts look up to find what a new
-- file touched (macros/incremental_state.sql). A daily delta filters this to the touched
-- keys before deduplicating them (a filter cannot pass a dedupe's window).
with

source as (

    select * from {{ source('shop', 'order_lines') }}

),

final as (

    select
        ----------  ids
        cast(order_line_id as {{ dbt.type_string() }}) as order_line_id,
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(product_id as {{ dbt.type_string() }}) as product_id,

        ----------  numerics
        cast(quantity as {{ dbt.type_int() }}) as quantity,
        cast(unit_price as {{ type_money() }}) as unit_price,
        cast(line_discount as {{ type_money() }}) as line_discount,

        ----------  lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

)

select * from final
