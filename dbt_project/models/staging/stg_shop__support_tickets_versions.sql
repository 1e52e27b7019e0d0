-- Every loaded version of each support_tickets row, renamed and cast, not deduplicated: the rows
-- stg_shop__support_tickets dedupes, and those the incremental facts look up to find what a new
-- file touched (macros/incremental_state.sql). A daily delta filters this to the touched
-- keys before deduplicating them (a filter cannot pass a dedupe's window).
with

source as (

    select * from {{ source('shop', 'support_tickets') }}

),

final as (

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

)

select * from final
