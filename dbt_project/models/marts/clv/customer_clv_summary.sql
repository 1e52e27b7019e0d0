{#
    The buy-till-you-die inputs per customer (pipelines/clv fits BG/NBD and Gamma-Gamma on them):
    purchase periods before the as-of date, as in Fader, Hardie & Lee (2005), plus the same inputs
    for a calibration period that ends clv_holdout_days earlier and the purchases in that holdout.
#}
{%- set unit = purchase_unit() %}
{%- set last_day = dbt.dateadd('day', -1, as_of_date()) %}
{%- set cut = dbt.dateadd('day', -1 * clv_holdout_days(), as_of_date()) %}
{%- set calibration_t_end = dbt.dateadd('day', -1, cut) %}
with

orders as (

    select * from {{ ref('orders') }}

),

purchases as (

    select
        customer_id,
        order_id,
        ordered_at,
        cast(ordered_at as date) as purchased_on,
        net_revenue

    from orders
    -- an erased person's orders are anonymous revenue: no person to model
    where not is_cancelled and customer_id is not null and ordered_at < {{ as_of_date() }}

),

-- one row per purchase period: a calendar day, or an order
purchase_periods as (

    {%- if unit == 'day' %}
    select
        customer_id,
        purchased_on,
        cast(purchased_on as {{ dbt.type_timestamp() }}) as period_start,
        min(order_id) as period_key,
        sum(net_revenue) as period_value
    from purchases
    group by customer_id, purchased_on
    {%- else %}
    select
        customer_id,
        purchased_on,
        ordered_at as period_start,
        order_id as period_key,
        net_revenue as period_value
    from purchases
    {%- endif %}

),

numbered_periods as (

    select
        *,
        row_number() over (partition by customer_id order by period_start, period_key) as period_number,
        min(purchased_on) over (partition by customer_id) as first_purchase_on

    from purchase_periods

),

customer_periods as (

    select
        customer_id,
        min(first_purchase_on) as first_purchase_on,
        max(purchased_on) as last_purchase_on,
        count(*) as purchases,
        -- sum / count, not avg(): Spark's avg of a decimal rounds to scale + 4 (DuckDB's: a double)
        cast(sum(case when period_number > 1 then period_value end) as {{ type_double() }})
        / nullif(sum(case when period_number > 1 then 1 else 0 end), 0) as avg_repeat_value,
        sum(case when purchased_on < {{ cut }} then 1 else 0 end) as calibration_purchases,
        max(case when purchased_on < {{ cut }} then purchased_on end) as calibration_last_on,
        sum(case when purchased_on >= {{ cut }} then 1 else 0 end) as holdout_purchases

    from numbered_periods
    group by customer_id

),

final as (

    select
        customer_id,
        first_purchase_on,
        last_purchase_on,
        cast(purchases - 1 as {{ dbt.type_int() }}) as frequency,
        cast({{ dbt.datediff('first_purchase_on', 'last_purchase_on', 'day') }} as {{ dbt.type_int() }})
            as recency_days,
        cast({{ dbt.datediff('first_purchase_on', last_day, 'day') }} as {{ dbt.type_int() }}) as t_days,
        avg_repeat_value,
        -- customers who bought first within the holdout have no calibration history
        calibration_purchases > 0 as in_calibration,
        cast(case when calibration_purchases > 0 then calibration_purchases - 1 end as {{ dbt.type_int() }})
            as calibration_frequency,
        cast(
            case when calibration_purchases > 0 then {{ dbt.datediff('first_purchase_on', 'calibration_last_on', 'day') }} end
            as {{ dbt.type_int() }}
        ) as calibration_recency_days,
        cast(
            case when calibration_purchases > 0 then {{ dbt.datediff('first_purchase_on', calibration_t_end, 'day') }} end
            as {{ dbt.type_int() }}
        ) as calibration_t_days,
        cast(case when calibration_purchases > 0 then holdout_purchases end as {{ dbt.type_int() }}) as holdout_frequency,
        {{ dbt.string_literal(unit) }} as purchase_unit,
        {{ clv_holdout_days() }} as holdout_days,
        {{ as_of_date() }} as as_of_date

    from customer_periods

)

select * from final
