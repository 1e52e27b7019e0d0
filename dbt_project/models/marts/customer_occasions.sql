-- One row per customer per upcoming occasion: birthdays and first-purchase
-- anniversaries falling in [as_of_date, as_of_date + occasion_window_days), and
-- the follow-ups and loyalty rewards due on as_of_date (customer_order_occasions).
{%- set window_end = dbt.dateadd('day', var('occasion_window_days'), as_of_date()) %}
with

people as (

    select * from {{ ref('int_customers_merged') }}

),

order_totals as (

    select * from {{ ref('customer_order_totals') }}

),

order_occasions as (

    select * from {{ ref('customer_order_occasions') }}

),

-- birthdays and first purchases return every year (macro next_yearly_date)
dated as (

    select
        customer_id,
        'birthday' as occasion_type,
        cast(birthday as date) as origin_date

    from people
    where birthday < {{ as_of_date() }}

    union all

    select
        customer_id,
        'anniversary' as occasion_type,
        cast(first_order_at as date) as origin_date

    from order_totals

),

yearly as (

    select
        customer_id,
        occasion_type,
        {{ next_yearly_date('origin_date') }} as occasion_date,
        cast(null as {{ dbt.type_string() }}) as order_id

    from dated

),

occasions as (

    select * from yearly
    where occasion_date < cast({{ window_end }} as date)
    union all
    select * from order_occasions

),

final as (

    select
        customer_id,
        cast(occasion_type as {{ dbt.type_string() }}) as occasion_type,
        cast(occasion_date as date) as occasion_date,
        cast({{ dbt.datediff(as_of_date(), 'occasion_date', 'day') }} as {{ dbt.type_int() }}) as days_until,
        order_id,
        {{ as_of_date() }} as as_of_date

    from occasions

)

select * from final
