-- One row per customer with at least one (non-cancelled) order before
-- as_of_date: their lifecycle stage on as_of_date. Thresholds are vars; the
-- first matching rule wins, in the order written below.
with

order_totals as (

    select * from {{ ref('customer_order_totals') }}

),

profitability as (

    select * from {{ ref('customer_profitability') }}

),

measured as (

    select
        customer_id,
        first_order_at,
        last_order_at,
        orders,
        avg_days_between_orders,
        last_gap_days,
        {{ dbt.datediff('cast(first_order_at as date)', as_of_date(), 'day') }} as first_order_days_ago,
        {{ dbt.datediff('cast(last_order_at as date)', as_of_date(), 'day') }} as recency_days,
        -- one-order customers have no rhythm of their own yet: assume the default gap
        coalesce(avg_days_between_orders, {{ var('default_order_gap_days') }}) as usual_gap_days

    from order_totals

),

staged as (

    select
        *,
        case
            when recency_days > {{ var('churned_after_days') }} then 'churned'
            when recency_days > {{ var('lapsed_after_days') }} then 'lapsed'
            when first_order_days_ago <= {{ var('new_customer_days') }} then 'new'
            when last_gap_days > {{ var('lapsed_after_days') }} then 'reactivated'
            when recency_days > usual_gap_days * {{ var('at_risk_gap_multiplier') }} then 'at_risk'
            else 'active'
        end as lifecycle_stage

    from measured

),

final as (

    select
        staged.customer_id,
        staged.lifecycle_stage,
        staged.lifecycle_stage in ('lapsed', 'churned') and profitability.contribution > 0
            as is_win_back_candidate,
        staged.first_order_at,
        staged.last_order_at,
        staged.orders,
        cast(staged.recency_days as {{ dbt.type_int() }}) as recency_days,
        cast(staged.usual_gap_days as {{ type_double() }}) as usual_gap_days,
        cast(staged.last_gap_days as {{ dbt.type_int() }}) as last_gap_days,
        profitability.contribution,
        {{ as_of_date() }} as as_of_date

    from staged
    inner join profitability
        on staged.customer_id = profitability.customer_id

)

select * from final
