-- One row per brand ambassador: a promoter (latest NPS 9-10) who bought more
-- than once, or anyone whose referrals converted; ranked by referral value
-- (net sales before as_of_date of the people they brought in).
with

customers as (

    select * from {{ ref('customers') }}

),

resolved as (

    select * from {{ ref('int_customers_resolved') }}

),

referrals as (

    select * from {{ ref('stg_shop__referrals') }}

),

-- a converted referral names the new account; count each referred person once
referred_people as (

    select distinct
        referrers.customer_id as referrer_id,
        referred.customer_id as referred_id

    from referrals
    inner join resolved as referrers
        on referrals.referrer_customer_id = referrers.source_customer_id
    inner join resolved as referred
        on referrals.referred_customer_id = referred.source_customer_id
    where
        referrals.referred_at < {{ as_of_date() }}
        and coalesce(referrals.converted, true)
        and referrers.customer_id != referred.customer_id

),

referral_values as (

    select
        referred_people.referrer_id as customer_id,
        sum(customers.net_sales) as referral_value

    from referred_people
    inner join customers
        on referred_people.referred_id = customers.customer_id
    group by referred_people.referrer_id

),

ambassadors as (

    select
        customers.customer_id,
        customers.referrals_converted,
        customers.nps_class,
        customers.orders,
        coalesce(referral_values.referral_value, 0) as referral_value

    from customers
    left join referral_values
        on customers.customer_id = referral_values.customer_id
    where
        (customers.nps_class = 'promoter' and customers.orders >= 2)
        or customers.referrals_converted > 0

),

final as (

    select
        customer_id,
        cast(row_number() over by_value as {{ dbt.type_int() }}) as ambassador_rank,
        cast(referral_value as {{ type_money() }}) as referral_value,
        referrals_converted,
        nps_class,
        orders,
        {{ as_of_date() }} as as_of_date

    from ambassadors
    window by_value as (order by referral_value desc, referrals_converted desc, orders desc, customer_id asc)

)

select * from final
