with

source as (

    select * from {{ source('loader', '_load_ledger') }}

),

final as (

    select
        cast(source_file as {{ dbt.type_string() }}) as source_file,
        cast(entity as {{ dbt.type_string() }}) as entity,
        cast(checksum as {{ dbt.type_string() }}) as checksum,
        cast(rows_loaded as {{ dbt.type_bigint() }}) as rows_loaded,
        cast(loaded_at as {{ dbt.type_timestamp() }}) as loaded_at

    from source

)

select * from final
