-- Every loaded version of each orders row, not deduplicated: the keys and dates the incremental
-- facts look up to find what a new file touched (macros/incremental_state.sql). A superset of
-- stg_shop__orders's keys, read without its dedupe, so the look-up is a plain filtered scan.
with

source as (

    select * from {{ source('shop', 'orders') }}

),

final as (

    select
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(ordered_at as {{ dbt.type_timestamp() }}) as ordered_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        cast(_source_file as {{ dbt.type_string() }}) as source_file

    from source

)

select * from final
