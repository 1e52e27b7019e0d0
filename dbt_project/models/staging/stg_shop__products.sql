with

source as (

    select * from {{ source('shop', 'products') }}

),

renamed as (

    select
        ----------  ids
        cast(product_id as {{ dbt.type_string() }}) as product_id,

        ----------  text
        cast(product_name as {{ dbt.type_string() }}) as product_name,
        cast(category as {{ dbt.type_string() }}) as category,

        ----------  numerics
        cast(price as {{ type_money() }}) as price,
        cast(unit_cost as {{ type_money() }}) as unit_cost,

        ----------  lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

),

-- the same product_id loaded twice (e.g. a re-sent file): the latest file wins
deduped as (

    {{ dedupe_latest_file('renamed', ['product_id']) }}

),

final as (

    select
        product_id,
        product_name,
        category,
        price,
        unit_cost,
        source_file,
        source_line

    from deduped

)

select * from final
