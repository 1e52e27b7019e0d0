with

customers as (

    select * from {{ ref('stg_shop__customers') }}

),

-- an account whose every version is later still existed if it signed up before the
-- as-of date (a shop may export each account in its final state only); one that signed
-- up later did not exist yet
known_as_of as (

    {{ version_known_as_of('customers', 'customer_id', keep_later_if='signed_up_at < ' ~ as_of_date()) }}

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
        -- a version produced after the as-of date says nothing of consent on it: unknown,
        -- so no consent (an opt-out it carries still applies: int_consents_resolved)
        case when version_at < {{ as_of_date() }} or version_at is null then marketing_consent end
            as marketing_consent,
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
