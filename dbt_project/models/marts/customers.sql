with

people as (

    select * from {{ ref('int_customers_merged') }}

),

consents as (

    select * from {{ ref('int_consents_resolved') }}

),

orders as (

    select * from {{ ref('orders') }}

),

order_summaries as (

    select
        customer_id,
        min(case when not is_cancelled then ordered_at end) as first_order_at,
        max(case when not is_cancelled then ordered_at end) as last_order_at,
        sum(case when not is_cancelled then 1 else 0 end) as orders,
        sum(net_revenue) as net_revenue

    from orders
    group by customer_id

),

final as (

    select
        people.customer_id,
        people.source_customer_ids,
        people.email,
        people.first_name,
        people.last_name,
        people.phone,
        people.birthday,
        people.country,
        people.acquisition_channel,
        people.signed_up_at,
        order_summaries.first_order_at,
        order_summaries.last_order_at,
        cast(coalesce(order_summaries.orders, 0) as {{ dbt.type_int() }}) as orders,
        cast(coalesce(order_summaries.net_revenue, 0) as {{ type_money() }}) as net_revenue,
        consents.has_marketing_consent,
        consents.unsubscribed_at

    from people
    left join order_summaries
        on people.customer_id = order_summaries.customer_id
    left join consents
        on people.customer_id = consents.customer_id

)

select * from final
