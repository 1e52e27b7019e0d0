-- One row per customer per upcoming occasion: birthdays and first-purchase
-- anniversaries falling in [as_of_date, as_of_date + occasion_window_days),
-- post-purchase follow-ups (an order delivered follow_up_after_days ago) and
-- loyalty rewards earned by yesterday's orders (every loyalty_order_count-th
-- order, or crossing loyalty_spend_threshold of net sales); the last two are
-- due on as_of_date itself.
{%- set window_end = dbt.dateadd('day', var('occasion_window_days'), as_of_date()) %}
{%- set yesterday = dbt.dateadd('day', -1, as_of_date()) %}
with

people as (

    select * from {{ ref('int_customers_merged') }}

),

order_totals as (

    select * from {{ ref('customer_order_totals') }}

),

orders as (

    select * from {{ ref('orders') }}

),

-- the n-th return of a date: adding whole years to 29 Feb lands on 28 Feb in
-- other years, so leap-day birthdays are celebrated on 28 Feb
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

next_returns as (

    select
        *,
        cast(
            {{ dbt.dateadd('year', dbt.datediff('origin_date', as_of_date(), 'year'), 'origin_date') }}
            as date
        ) as this_years_date

    from dated

),

yearly as (

    select
        customer_id,
        occasion_type,
        case
            when this_years_date < {{ as_of_date() }}
                then cast(
                    {{ dbt.dateadd('year', dbt.datediff('origin_date', as_of_date(), 'year') ~ ' + 1',
                                   'origin_date') }}
                    as date
                )
            else this_years_date
        end as occasion_date,
        cast(null as {{ dbt.type_string() }}) as order_id

    from next_returns

),

follow_ups as (

    select
        customer_id,
        'post_purchase_follow_up' as occasion_type,
        {{ as_of_date() }} as occasion_date,
        max(order_id) as order_id

    from orders
    where
        not is_cancelled
        and customer_id is not null
        and delivered_at < {{ as_of_date() }}
        and cast(delivered_at as date)
        = cast({{ dbt.dateadd('day', -1 * var('follow_up_after_days'), as_of_date()) }} as date)
    group by customer_id

),

numbered_orders as (

    select
        customer_id,
        order_id,
        ordered_at,
        row_number() over (partition by customer_id order by ordered_at, order_id) as order_number,
        sum(net_revenue) over (
            partition by customer_id order by ordered_at, order_id
            rows between unbounded preceding and current row
        ) as cumulative_net_sales,
        net_revenue

    from orders
    where not is_cancelled

),

milestones as (

    select
        customer_id,
        'loyalty_reward' as occasion_type,
        {{ as_of_date() }} as occasion_date,
        max(order_id) as order_id

    from numbered_orders
    where
        ordered_at >= {{ yesterday }}
        and ordered_at < {{ as_of_date() }}
        and (
            order_number % {{ var('loyalty_order_count') }} = 0
            or (
                cumulative_net_sales >= {{ var('loyalty_spend_threshold') }}
                and cumulative_net_sales - net_revenue < {{ var('loyalty_spend_threshold') }}
            )
        )
    group by customer_id

),

occasions as (

    select * from yearly
    where occasion_date < cast({{ window_end }} as date)
    union all
    select * from follow_ups
    union all
    select * from milestones

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
