-- One row per person signed up before as_of_date whose acquisition channel spent
-- money in their sign-up month: their share of that month's spend. People are
-- acquired in the month and through the channel of their first sign-up, and a
-- channel's monthly spend is shared equally by the people it acquired that month,
-- in whole cents that add up to the spend (DECISIONLOG.md "profitability").
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

-- the month's spend in whole cents, split as evenly as cents allow (largest
-- remainder): every share is the same exact quotient, so the cents left over go one
-- each to the earliest sign-ups, and the shares add up to the spend to the cent
shares as (

    select
        acquired.customer_id,
        acquired.signed_up_at,
        cast(marketing_spend.spend * 100 as {{ dbt.type_bigint() }}) as spend_cents,
        cohorts.cohort_size,
        row_number() over (
            partition by acquired.signup_month, acquired.acquisition_channel
            order by acquired.signed_up_at, acquired.customer_id
        ) as signup_order

    from acquired
    inner join cohorts
        on
            acquired.signup_month = cohorts.signup_month
            and acquired.acquisition_channel = cohorts.acquisition_channel
    inner join marketing_spend
        on
            cast(acquired.signup_month as date) = marketing_spend.month
            and acquired.acquisition_channel = marketing_spend.channel

),

final as (

    select
        customer_id,
        signed_up_at,
        -- (spend - remainder) / size is a whole number (exact in a double on both engines),
        -- and cents * 0.01 is exact in decimal: no engine's rounding is involved
        cast(
            cast(
                cast((spend_cents - spend_cents % cohort_size) / cohort_size as {{ dbt.type_bigint() }})
                + case when signup_order <= spend_cents % cohort_size then 1 else 0 end
                as {{ type_money() }}
            ) * 0.01
            as {{ type_money() }}
        ) as acquisition_cost

    from shares

)

select * from final
