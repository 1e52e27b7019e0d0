with

source as (

    select * from {{ source('shop', 'referrals') }}

),

renamed as (

    select
        ----------  ids
        cast(referral_id as {{ dbt.type_string() }}) as referral_id,
        cast(referrer_customer_id as {{ dbt.type_string() }}) as referrer_customer_id,
        cast(referred_customer_id as {{ dbt.type_string() }}) as referred_customer_id,

        ----------  booleans
        cast(converted as {{ dbt.type_boolean() }}) as converted,

        ----------  timestamps
        cast(referred_at as {{ dbt.type_timestamp() }}) as referred_at,

        ----------  lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

),

-- the same referral_id loaded twice (e.g. a re-sent file): the latest file wins
rows_ranked as (

    select
        *,
        row_number() over (
            partition by referral_id
            order by source_file desc, source_line desc
        ) as row_rank

    from renamed

),

final as (

    select
        referral_id,
        referrer_customer_id,
        referred_customer_id,
        converted,
        referred_at,
        source_file,
        source_line

    from rows_ranked
    where row_rank = 1

)

select * from final
