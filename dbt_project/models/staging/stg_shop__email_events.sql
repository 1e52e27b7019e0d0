with

source as (

    select * from {{ source('shop', 'email_events') }}

),

renamed as (

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

),

-- the same event_id loaded twice (e.g. a re-sent file): the latest file wins
deduped as (

    {{ dedupe_latest_file('renamed', ['event_id']) }}

),

final as (

    select
        event_id,
        customer_id,
        campaign_id,
        event_type,
        occurred_at,
        source_file,
        source_line

    from deduped

)

select * from final
