-- One row per customer to win back (RFM segments At Risk, Cannot Lose Them,
-- Hibernating), consenting or not: the exporter filters on is_marketable and
-- reports how many it held back.
with

customer_rfm as (

    select * from {{ ref('customer_rfm') }}

),

customers as (

    select * from {{ ref('customers') }}

),

members as (

    select * from customer_rfm
    where segment in ('At Risk', 'Cannot Lose Them', 'Hibernating')

),

final as (

    select
        cast(members.customer_id as {{ dbt.type_string() }}) as customer_id,
        cast(customers.email as {{ dbt.type_string() }}) as email,
        cast(customers.first_name as {{ dbt.type_string() }}) as first_name,
        cast(customers.last_name as {{ dbt.type_string() }}) as last_name,
        cast(members.segment as {{ dbt.type_string() }}) as segment,
        cast(members.rfm_code as {{ dbt.type_string() }}) as rfm_code,
        cast(customers.net_revenue as {{ type_money() }}) as net_revenue,
        cast(customers.last_order_at as {{ dbt.type_timestamp() }}) as last_order_at,
        -- consent is useless without an address: such a row is never sent
        cast(
            coalesce(customers.has_marketing_consent, false) and customers.email is not null
            as {{ dbt.type_boolean() }}
        ) as is_marketable,
        members.as_of_date

    from members
    inner join customers
        on members.customer_id = customers.customer_id

)

select * from final
