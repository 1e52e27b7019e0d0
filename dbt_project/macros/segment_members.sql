{#
    The export columns of every segment model (what pipelines/export/read.py reads), for the
    customer ids in CTE `members`. Members are kept whether they consent or not:
    the exporter filters on is_marketable and reports how many it held back.
#}
{% macro segment_members(members='members') -%}
select
    cast(customers.customer_id as {{ dbt.type_string() }}) as customer_id,
    cast(customers.email as {{ dbt.type_string() }}) as email,
    cast(customers.first_name as {{ dbt.type_string() }}) as first_name,
    cast(customers.last_name as {{ dbt.type_string() }}) as last_name,
    -- customers outside the RFM window still get a segment label for CRM tags
    cast(coalesce(customer_rfm.segment, 'Unscored') as {{ dbt.type_string() }}) as segment,
    cast(customer_rfm.rfm_code as {{ dbt.type_string() }}) as rfm_code,
    cast(customers.net_revenue as {{ type_money() }}) as net_revenue,
    cast(customers.last_order_at as {{ dbt.type_timestamp() }}) as last_order_at,
    -- consent is useless without an address: such a row is never sent
    cast(
        coalesce(customers.has_marketing_consent, false) and customers.email is not null
        as {{ dbt.type_boolean() }}
    ) as is_marketable,
    {{ as_of_date() }} as as_of_date,
    cast(customers.phone_e164 as {{ dbt.type_string() }}) as phone_e164,
    cast(customers.country as {{ dbt.type_string() }}) as country,
    cast(customers.postal_code as {{ dbt.type_string() }}) as postal_code

from {{ members }}
inner join {{ ref('customers') }} as customers
    on {{ members }}.customer_id = customers.customer_id
left join {{ ref('customer_rfm') }} as customer_rfm
    on {{ members }}.customer_id = customer_rfm.customer_id
{%- endmacro %}
