-- Every loaded version of each order_lines row, not deduplicated: the keys and dates the incremental
-- facts look up to find what a new file touched (macros/incremental_state.sql). A superset of
-- stg_shop__order_lines's keys, read without its dedupe, so the look-up is a plain filtered scan.
with

source as (

    select * from {{ source('shop', 'order_lines') }}

),

final as (

    select
        cast(order_line_id as {{ dbt.type_string() }}) as order_line_id,
        cast(_source_file as {{ dbt.type_string() }}) as source_file

    from source

)

select * from final
