-- Every customer with a non-cancelled order is in exactly one lifecycle stage;
-- every customer is in exactly one profit tier; every RFM-scored customer in
-- exactly one segment; nobody without orders is staged.
with

customers as (

    select * from {{ ref('customers') }}

),

counts as (

    select
        customers.customer_id,
        customers.orders,
        (select count(*) from {{ ref('customer_lifecycle') }} as l
            where l.customer_id = customers.customer_id) as stages,
        (select count(*) from {{ ref('customer_profitability') }} as p
            where p.customer_id = customers.customer_id and p.profit_tier is not null) as tiers,
        (select count(*) from {{ ref('customer_rfm') }} as r
            where r.customer_id = customers.customer_id) as rfm_rows,
        (select count(segment) from {{ ref('customer_rfm') }} as r
            where r.customer_id = customers.customer_id) as segments

    from customers

),

final as (

    select * from counts
    where
        (orders > 0 and stages != 1)
        or (orders = 0 and stages != 0)
        or tiers != 1
        or rfm_rows != segments
        or segments > 1

)

select * from final
