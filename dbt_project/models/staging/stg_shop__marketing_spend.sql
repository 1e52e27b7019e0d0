with

source as (

    select * from {{ source('shop', 'marketing_spend') }}

),

renamed as (

    select
        ----------  text
        cast(channel as {{ dbt.type_string() }}) as channel,

        ----------  numerics
        cast(spend as {{ type_money() }}) as spend,

        ----------  dates
        cast(month as date) as month,

        ----------  lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

),

-- the same month, channel loaded twice (e.g. a re-sent file): the latest file wins
deduped as (

    {{ dedupe_latest_file('renamed', ['month', 'channel']) }}

),

final as (

    select
        channel,
        spend,
        month,
        source_file,
        source_line

    from deduped

)

select * from final
