-- One row per customer per order-driven occasion due on as_of_date: a
-- post-purchase follow-up (an order delivered follow_up_after_days ago) and a
-- loyalty reward earned by yesterday's orders (every loyalty_order_count-th order,
-- or crossing loyalty_spend_threshold of net sales). Part of customer_occasions.
{%- set yesterday = dbt.dateadd('day', -1, as_of_date()) %}
with

orders as (

    select * from {{ ref('orders') }}

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
    -- an erased person's orders are anonymous revenue: no one to reward
    where not is_cancelled and customer_id is not null

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

final as (

    select * from follow_ups
    union all
    select * from milestones

)

select * from final
