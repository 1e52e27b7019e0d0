with

source as (

    select * from {{ source('shop', 'returns') }}

),

renamed as (

    select
        ----------  ids
        cast(return_id as {{ dbt.type_string() }}) as return_id,
        cast(order_id as {{ dbt.type_string() }}) as order_id,
        cast(order_line_id as {{ dbt.type_string() }}) as order_line_id,

        ----------  text
        cast(reason as {{ dbt.type_string() }}) as reason,

        ----------  numerics
        cast(quantity as {{ dbt.type_int() }}) as quantity,
        cast(refund_amount as {{ type_money() }}) as refund_amount,

        ----------  timestamps
        cast(returned_at as {{ dbt.type_timestamp() }}) as returned_at,

        ----------  lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

),

-- the same return_id loaded twice (e.g. a re-sent file): the latest file wins
deduped as (

    {{ dedupe_latest_file('renamed', ['return_id']) }}

),

final as (

    select
        return_id,
        order_id,
        order_line_id,
        reason,
        quantity,
        refund_amount,
        returned_at,
        source_file,
        source_line

    from deduped

)

select * from final
