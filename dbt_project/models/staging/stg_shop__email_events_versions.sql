-- Every loaded version of each email_events row, renamed and cast, not deduplicated: the rows
-- stg_shop__email_events dedupes, and those the incremental facts look up to find what a new
-- file touched (macros/incremental_state.sql). A daily delta filters this to the touched
-- keys before deduplicating them (a filter cannot pass a dedupe's window).
with

source as (

    select * from {{ source('shop', 'email_events') }}

),

final as (

    select
        ----------  ids
        cast(event_id as {{ dbt.type_string() }}) as event_id,
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(campaign_id as {{ dbt.type_string() }}) as campaign_id,

        ----------  text
        lower(trim(cast(event_type as {{ dbt.type_string() }}))) as event_type,

        ----------  timestamps
        cast(occurred_at as {{ dbt.type_timestamp() }}) as occurred_at,

        ----------  lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

)

select * from final
