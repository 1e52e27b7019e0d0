with

orders as (

    select * from {{ ref('orders') }}

),

segment_map as (

    select * from {{ ref('rfm_segment_map') }}

),

window_orders as (

    select * from orders
    where
        not is_cancelled
        -- an erased person's orders are anonymous revenue: no person to score
        and customer_id is not null
        and ordered_at < {{ as_of_date() }}
        and ordered_at >= {{ dbt.dateadd('day', -1 * rfm_window_days(), as_of_date()) }}

),

customer_windows as (

    select
        customer_id,
        max(ordered_at) as last_order_at,
        -- var purchase_unit: 'day' counts purchase days (several orders a day are one purchase), or 'order'
        {% if var('purchase_unit', 'day') == 'order' %}
        count(*) as frequency,
        {% else %}
        count(distinct cast(ordered_at as date)) as frequency,
        {% endif %}
        sum(net_revenue) as monetary

    from window_orders
    group by customer_id

),

customer_recencies as (

    select
        *,
        {{ dbt.datediff('cast(last_order_at as date)', as_of_date(), 'day') }} as recency_days

    from customer_windows

),

-- at_least_as_good = customers with a value at least as good (ties included), so
-- score = 6 - ceil(5 * at_least_as_good / n), 5 = best: equal values get equal scores (never
-- decided by customer_id), a tied block takes the score of its worst place, so groups are
-- not equal fifths (every one-purchase customer has f_score 1). Integer maths: no float edge.
customer_places as (

    select
        *,
        count(*) over () as n_customers,
        count(*) over (order by recency_days asc) as r_place,
        count(*) over (order by frequency desc) as f_place,
        count(*) over (order by monetary desc) as m_place

    from customer_recencies

),

customer_scores as (

    select
        *,
        6 - cast(floor((5 * r_place + n_customers - 1) / n_customers) as integer) as r_score,
        6 - cast(floor((5 * f_place + n_customers - 1) / n_customers) as integer) as f_score,
        6 - cast(floor((5 * m_place + n_customers - 1) / n_customers) as integer) as m_score

    from customer_places

),

customer_codes as (

    select
        *,
        {{ dbt.concat([
            dbt.cast('r_score', dbt.type_string()),
            dbt.cast('f_score', dbt.type_string()),
            dbt.cast('m_score', dbt.type_string()),
        ]) }} as rfm_code

    from customer_scores

),

final as (

    select
        customer_codes.customer_id,
        customer_codes.last_order_at,
        cast(customer_codes.recency_days as {{ dbt.type_int() }}) as recency_days,
        cast(customer_codes.frequency as {{ dbt.type_int() }}) as frequency,
        cast(customer_codes.monetary as {{ type_money() }}) as monetary,
        cast(customer_codes.r_score as {{ dbt.type_int() }}) as r_score,
        cast(customer_codes.f_score as {{ dbt.type_int() }}) as f_score,
        cast(customer_codes.m_score as {{ dbt.type_int() }}) as m_score,
        customer_codes.rfm_code,
        segment_map.segment,
        {{ rfm_window_days() }} as rfm_window_days,
        {{ as_of_date() }} as as_of_date

    from customer_codes
    left join segment_map
        on customer_codes.rfm_code = segment_map.rfm_code

)

select * from final
