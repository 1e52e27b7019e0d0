-- Every loaded version of each products row, not deduplicated: the keys and dates the incremental
-- facts look up to find what a new file touched (macros/incremental_state.sql). A superset of
-- stg_shop__products's keys, read without its dedupe, so the look-up is a plain filtered scan.
with

source as (

    select * from {{ source('shop', 'products') }}

),

final as (

    select
        cast(product_id as {{ dbt.type_string() }}) as product_id,
        cast(_source_file as {{ dbt.type_string() }}) as source_file

    from source

)

select * from final
