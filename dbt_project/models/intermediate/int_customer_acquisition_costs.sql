-- One row per person signed up before as_of_date whose acquisition channel spent
-- money in their sign-up month: their share of that month's spend. People are
-- acquired in the month and through the channel of their first sign-up, and a
-- channel's monthly spend is shared equally by the people it acquired that month.
with

people as (

    select * from {{ ref('int_customers_merged') }}

),

marketing_spend as (

    select * from {{ ref('stg_shop__marketing_spend') }}

),

acquired as (

    select
        customer_id,
        acquisition_channel,
        signed_up_at,
        {{ dbt.date_trunc('month', 'signed_up_at') }} as signup_month

    from people
    where signed_up_at < {{ as_of_date() }}

),

cohorts as (

    select
        signup_month,
        acquisition_channel,
        count(*) as cohort_size

    from acquired
    group by signup_month, acquisition_channel

),

final as (

    select
        acquired.customer_id,
        acquired.signed_up_at,
        -- a double on both engines (Spark would keep a decimal of its own scale)
        cast(marketing_spend.spend as {{ type_double() }}) / cohorts.cohort_size as acquisition_cost

    from acquired
    inner join cohorts
        on
            acquired.signup_month = cohorts.signup_month
            and acquired.acquisition_channel = cohorts.acquisition_channel
    inner join marketing_spend
        on
            cast(acquired.signup_month as date) = marketing_spend.month
            and acquired.acquisition_channel = marketing_spend.channel

)

select * from final
