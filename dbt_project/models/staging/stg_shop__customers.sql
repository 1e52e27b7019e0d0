with

-- computed where the dedupe reads it, not materialised (every column of every row)
source as {{ cte_inlined() }} (

    select * from {{ source('shop', 'customers') }}

),

renamed as {{ cte_inlined() }} (

    select
        ----------  ids
        cast(customer_id as {{ dbt.type_string() }}) as customer_id,

        ----------  text
        -- identity is resolved on this form, so ' Anna@X.com' and 'anna@x.com' match
        nullif(lower(trim(cast(email as {{ dbt.type_string() }}))), '') as email,
        cast(first_name as {{ dbt.type_string() }}) as first_name,
        cast(last_name as {{ dbt.type_string() }}) as last_name,
        cast(phone as {{ dbt.type_string() }}) as phone,
        upper(trim(cast(country as {{ dbt.type_string() }}))) as country,
        cast(acquisition_channel as {{ dbt.type_string() }}) as acquisition_channel,
        nullif(trim(cast(postal_code as {{ dbt.type_string() }})), '') as postal_code,

        ----------  booleans
        cast(marketing_consent as {{ dbt.type_boolean() }}) as marketing_consent,

        ----------  dates and timestamps
        cast(birthday as date) as birthday,
        cast(signed_up_at as {{ dbt.type_timestamp() }}) as signed_up_at,
        cast(unsubscribed_at as {{ dbt.type_timestamp() }}) as unsubscribed_at,
        cast(updated_at as {{ dbt.type_timestamp() }}) as updated_at,
        -- a version without updated_at was produced at sign-up
        cast(coalesce(updated_at, signed_up_at) as {{ dbt.type_timestamp() }}) as version_at,

        ----------  lineage
        cast(_source_file as {{ dbt.type_string() }}) as source_file,
        cast(_source_line as {{ dbt.type_bigint() }}) as source_line

    from source

),

-- one row per version: the same version loaded twice (e.g. a re-sent file), the latest
-- file wins; which version counts on the as-of date is int_customers_as_of's choice
deduped as (

    {{ dedupe_latest_file('renamed', ['customer_id', 'version_at']) }}

),

final as (

    select
        customer_id,
        email,
        first_name,
        last_name,
        phone,
        country,
        acquisition_channel,
        postal_code,
        marketing_consent,
        birthday,
        signed_up_at,
        unsubscribed_at,
        updated_at,
        version_at,
        source_file,
        source_line

    from deduped

)

select * from final
