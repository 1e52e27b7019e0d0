-- One row per erasure request as landed (every file's rows count: an erasure is
-- never undone by a later file leaving it out; the identity rule matches later).
with

source as (

    select * from {{ source('shop', 'erasures') }}

),

final as (

    select
        cast(email as {{ dbt.type_string() }}) as email,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(phone as {{ dbt.type_string() }}) as phone,
        -- kept as written: an erasure applies from the moment it lands, whatever its date
        cast(requested_at as {{ dbt.type_string() }}) as requested_at,
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

)

select * from final
