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
deduped as (

    {{ dedupe_latest_file('renamed', ['referral_id']) }}

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

    from deduped

)

select * from final
