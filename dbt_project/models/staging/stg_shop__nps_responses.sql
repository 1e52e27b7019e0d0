with

source as (

    select * from {{ source('shop', 'nps_responses') }}

),

renamed as (

    select
        ----------  ids
        cast(response_id as {{ dbt.type_string() }}) as response_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,

        ----------  numerics
        cast(score as {{ dbt.type_int() }}) as score,

        ----------  timestamps
        cast(responded_at as {{ dbt.type_timestamp() }}) as responded_at,

        ----------  lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

),

-- the same response_id loaded twice (e.g. a re-sent file): the latest file wins
deduped as (

    {{ dedupe_latest_file('renamed', ['response_id']) }}

),

final as (

    select
        response_id,
        customer_id,
        score,
        responded_at,
        source_file,
        source_line

    from deduped

)

select * from final
