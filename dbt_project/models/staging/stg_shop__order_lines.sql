with

source as (

    select * from {{ source('shop', 'order_lines') }}

),

renamed as (

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

),

-- the same order_line_id loaded twice (e.g. a re-sent file): the latest file wins
deduped as (

    {{ dedupe_latest_file('renamed', ['order_line_id']) }}

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
