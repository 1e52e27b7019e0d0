with

customers as (

    select * from {{ ref('stg_shop__customers') }}

),

-- an account whose every version is later did not exist yet on the as-of date
known_as_of as (

    {{ version_known_as_of('customers', 'customer_id', keep_later_versions=false) }}

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

    from known_as_of

)

select * from final
