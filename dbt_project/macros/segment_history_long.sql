{#
    The long shape of customer_segment_history that transitions and periods are
    computed on: one row per customer, dimension (rfm_segment, lifecycle_stage,
    profit_tier) and recorded run; value null = not in the dimension on that run.
    `history` is a CTE over customer_segment_history.
#}
{% macro segment_history_long(history) -%}
    select customer_id, as_of_date, 'rfm_segment' as dimension, rfm_segment as value from {{ history }}
    union all
    select customer_id, as_of_date, 'lifecycle_stage' as dimension, lifecycle_stage as value from {{ history }}
    union all
    select customer_id, as_of_date, 'profit_tier' as dimension, profit_tier as value from {{ history }}
{%- endmacro %}
