-- customer_rfm has exactly the customers with a non-cancelled order in
-- [as_of_date - rfm_window_days, as_of_date).
with

customer_rfm as (

    select * from {{ ref('customer_rfm') }}

),

orders as (

    select * from {{ ref('orders') }}

),

window_customers as (

    select count(distinct customer_id) as customer_count
    from orders
    where
        not is_cancelled
        and ordered_at < {{ as_of_date() }}
        and ordered_at >= {{ dbt.dateadd('day', -1 * rfm_window_days(), as_of_date()) }}

),

scored_customers as (

    select count(*) as customer_count
    from customer_rfm

),

final as (

    select
        window_customers.customer_count as expected,
        scored_customers.customer_count as actual

    from window_customers
    cross join scored_customers
    where window_customers.customer_count != scored_customers.customer_count

)

select * from final
