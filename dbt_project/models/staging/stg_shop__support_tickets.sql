with

source as (

    select * from {{ source('shop', 'support_tickets') }}

),

renamed as (

    select
        ----------  ids
        cast(ticket_id as {{ dbt.type_string() }}) as ticket_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(order_id as {{ dbt.type_string() }}) as order_id,

        ----------  text
        cast(reason as {{ dbt.type_string() }}) as reason,

        ----------  numerics
        cast(handling_minutes as {{ dbt.type_int() }}) as handling_minutes,

        ----------  timestamps
        cast(opened_at as {{ dbt.type_timestamp() }}) as opened_at,

        ----------  lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

),

-- the same ticket_id loaded twice (e.g. a re-sent file): the latest file wins
deduped as (

    {{ dedupe_latest_file('renamed', ['ticket_id']) }}

),

final as (

    select
        ticket_id,
        customer_id,
        order_id,
        reason,
        handling_minutes,
        opened_at,
        source_file,
        source_line

    from deduped

)

select * from final
