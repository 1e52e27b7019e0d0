{#
    One row per order line of an order in marts.orders, with its cost of goods and what was
    returned of it before as_of_date. Incremental like orders: a daily build recomputes the lines
    of new files, of touched orders and products, and of orders whose person changed.
#}
{{
    config(
        unique_key='order_line_id',
        meta={
            'incremental_inputs': [
                {'entity': 'order_lines', 'key': 'order_line_id', 'column': 'order_line_id'},
                {'entity': 'orders', 'key': 'order_id', 'column': 'order_id',
                 'times': ['ordered_at', 'coalesce(updated_at, ordered_at)']},
                {'entity': 'returns', 'key': 'order_id', 'column': 'order_id', 'times': ['returned_at']},
                {'entity': 'products', 'key': 'product_id', 'column': 'product_id'},
            ],
            'incremental_vars': ['default_cogs_rate'],
        },
    )
}}
{%- set plan = incremental_plan(announce=true) %}
{%- set moved -%}  {#- built lines whose order now belongs to another person #}
    select built.order_id from {{ this }} as built inner join {{ ref('orders') }} as orders
        on built.order_id = orders.order_id where built.customer_id is distinct from orders.customer_id
{%- endset %}
-- read by the incremental macros: depends_on: {{ ref('stg_loader__load_ledger') }}, {{ ref('stg_shop__order_lines_versions') }}
-- depends_on: {{ ref('stg_shop__orders_versions') }}, {{ ref('stg_shop__returns_versions') }}, {{ ref('stg_shop__products_versions') }}
with
{{ incremental_once(plan, 'orders_moved', moved) }}

orders as (

    select * from {{ ref('orders') }}

),

order_lines as (

    select * from {{ ref('stg_shop__order_lines') }}

),

products as (

    select * from {{ ref('stg_shop__products') }}

),

returned_per_line as (

    select * from {{ ref('int_order_line_returns') }}

),

lines_to_build as (
    {%- if plan.mode == 'delta' %}  {#- a delta: the touched lines and those whose order moved #}
    select * from ({{ incremental_touched_rows(plan, 'order_lines', ['order_line_id'], {'order_lines':
        'order_line_id', 'orders': 'order_id', 'returns': 'order_id', 'products': 'product_id'},
        'order_id', 'select * from orders_moved') }}) as touched
    {%- else %}
    select * from order_lines
    {%- endif %}
    {%- if plan.mode == 'delta' %}
    where {{ incremental_touched(plan) }}
        -- an unchanged line whose order now belongs to another person
        or order_id in (select * from orders_moved)
    {%- endif %}
),

-- a line whose product has no unit cost is costed at the default rate of its price
lines_costed as (

    select
        lines_to_build.*,
        orders.customer_id,
        orders.ordered_at,
        orders.is_cancelled,
        coalesce(
            products.unit_cost,
            lines_to_build.unit_price * {{ var('default_cogs_rate') }}
        ) as unit_cost,
        coalesce(returned_per_line.returned_units, 0) as returned_units,
        coalesce(returned_per_line.refunds, 0) as refunds

    from lines_to_build
    inner join orders
        on lines_to_build.order_id = orders.order_id
    left join products
        on lines_to_build.product_id = products.product_id
    left join returned_per_line
        on lines_to_build.order_line_id = returned_per_line.order_line_id

),

final as (

    select
        order_line_id,
        order_id,
        customer_id,
        product_id,
        ordered_at,
        is_cancelled,
        quantity,
        unit_price,
        cast(coalesce(line_discount, 0) as {{ type_money() }}) as line_discount,
        cast(quantity * unit_price as {{ type_money() }}) as line_gross,
        cast(quantity * unit_price - coalesce(line_discount, 0) as {{ type_money() }}) as line_net,
        cast(unit_cost as {{ type_money() }}) as unit_cost,
        -- unrounded so that an order's cost of goods is rounded once, as a whole
        quantity * unit_cost as line_cost,
        cast(returned_units as {{ dbt.type_int() }}) as returned_units,
        returned_units * unit_cost as restocked_cost,
        cast(refunds as {{ type_money() }}) as refunds

    from lines_costed

)

select * from final
