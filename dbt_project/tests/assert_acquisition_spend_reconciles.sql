-- The acquisition spend allocated to people adds up to the spend file to the cent,
-- for every month and channel that acquired somebody (spend that acquired nobody is
-- not allocated, DECISIONLOG.md "profitability"), and every person charged is in
-- customer_profitability, so the mart's marketing cost carries the whole allocation.
with

acquisition_costs as (

    select * from {{ ref('int_customer_acquisition_costs') }}

),

people as (

    select * from {{ ref('int_customers_merged') }}

),

marketing_spend as (

    select * from {{ ref('stg_shop__marketing_spend') }}

),

profitability as (

    select * from {{ ref('customer_profitability') }}

),

allocated as (

    select
        cast({{ dbt.date_trunc('month', 'acquisition_costs.signed_up_at') }} as date) as month,
        people.acquisition_channel as channel,
        sum(acquisition_costs.acquisition_cost) as allocated_spend

    from acquisition_costs
    inner join people
        on acquisition_costs.customer_id = people.customer_id
    group by 1, 2

),

spend_mismatches as (

    select
        cast(null as {{ dbt.type_string() }}) as customer_id,
        'spend ' || allocated.channel || ' ' || cast(allocated.month as {{ dbt.type_string() }})
            as check_name

    from allocated
    left join marketing_spend
        on
            allocated.month = marketing_spend.month
            and allocated.channel = marketing_spend.channel
    where marketing_spend.spend is null or allocated.allocated_spend != marketing_spend.spend

),

missing_from_mart as (

    select
        acquisition_costs.customer_id,
        'not in customer_profitability' as check_name

    from acquisition_costs
    left join profitability
        on acquisition_costs.customer_id = profitability.customer_id
    where profitability.customer_id is null

),

final as (

    select * from spend_mismatches
    union all
    select * from missing_from_mart

)

select * from final
