-- The CLV scores the fit wrote (source clv), for the segments that use them.
with

source as (

    select * from {{ source('clv', 'customer_clv') }}

),

renamed as (

    select
        customer_id,
        p_alive,
        expected_purchases_365d,
        expected_value_per_purchase,
        clv_12m,
        clv_decile

    from source

)

select * from renamed
