{#
    Incremental (macros/incremental_state.sql): a daily build recomputes the orders a new file
    touched or whose versions, placement or returns are dated since the last build, and the orders
    whose person changed; any change it cannot follow rebuilds every order, as --full-refresh does.
#}
{{
    config(
        unique_key='order_id',
        meta={'incremental_inputs': [
            {'entity': 'orders', 'key': 'order_id', 'column': 'order_id',
             'times': ['ordered_at', 'coalesce(updated_at, ordered_at)']},
            {'entity': 'returns', 'key': 'order_id', 'column': 'order_id', 'times': ['returned_at']},
        ]},
    )
}}
{%- set plan = incremental_plan(announce=true) %}
-- read by the incremental macros (which files and keys are new):
-- depends_on: {{ ref('stg_shop__orders') }}
-- depends_on: {{ ref('stg_loader__load_ledger') }}
-- depends_on: {{ ref('stg_shop__orders_versions') }}, {{ ref('stg_shop__returns_versions') }}
with
{{ incremental_once(plan, 'people_changed', incremental_people_changed(ref('int_customers_resolved'))) }}

orders as (
    {%- if plan.mode == 'delta' %}  {#- a delta: the touched orders and those whose person changed #}
    {{ version_known_as_of('(' ~ incremental_touched_rows(plan, 'orders', ['order_id', 'version_at'],
        {'orders': 'order_id', 'returns': 'order_id'}, 'customer_id', 'select * from people_changed') ~ ') as touched', 'order_id',
        keep_later_if='true') }}
    {%- else %}
    select * from {{ ref('int_orders_as_of') }}
    {%- endif %}
),

returns as (

    select * from {{ ref('stg_shop__returns') }}

),

resolved as (

    select * from {{ ref('int_customers_resolved') }}

),

orders_before_as_of as (

    select * from orders
    where ordered_at < {{ as_of_date() }}
    {%- if plan.mode == 'delta' %}
        and (
            {{ incremental_touched(plan) }}
            -- the person behind an unchanged order may have changed (a new duplicate account)
            or customer_id in (select * from people_changed)
        )
    {%- endif %}

),

refunds_per_order as (

    select
        order_id,
        sum(refund_amount) as refunds

    from returns
    where returned_at < {{ as_of_date() }}
    group by order_id

),

orders_refunded as (

    select
        orders_before_as_of.*,
        coalesce(orders_before_as_of.status = 'cancelled', false) as is_cancelled,
        coalesce(refunds_per_order.refunds, 0) as refunds

    from orders_before_as_of
    left join refunds_per_order
        on orders_before_as_of.order_id = refunds_per_order.order_id

),

final as (

    select
        orders_refunded.order_id,
        resolved.customer_id,
        -- an erased person (no longer in resolved) keeps no identifier: anonymous revenue
        case
            when resolved.customer_id is not null then orders_refunded.customer_id
        end as source_customer_id,
        orders_refunded.ordered_at,
        orders_refunded.status,
        orders_refunded.is_cancelled,
        orders_refunded.currency,
        orders_refunded.amount,
        orders_refunded.discount_amount as discount,
        orders_refunded.shipping_charged as shipping,
        orders_refunded.shipping_cost,
        cast(orders_refunded.refunds as {{ type_money() }}) as refunds,
        -- a cancelled order earns nothing, whatever was refunded on it
        cast(
            case
                when orders_refunded.is_cancelled then 0
                else orders_refunded.amount - orders_refunded.refunds
            end
            as {{ type_money() }}
        ) as net_revenue,
        orders_refunded.delivered_at,
        orders_refunded.updated_at

    from orders_refunded
    left join resolved
        on orders_refunded.customer_id = resolved.source_customer_id

)

select * from final
