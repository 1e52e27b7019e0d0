{#- Whether a cost component of a customer rests on data or on a default assumption:
    'measured' (no order defaulted), 'defaulted' (every order), 'mixed', or 'none' (no order). -#}
{% macro cost_source(defaulted_orders, orders) -%}
    case
        when coalesce({{ orders }}, 0) = 0 then 'none'
        when {{ defaulted_orders }} = 0 then 'measured'
        when {{ defaulted_orders }} = {{ orders }} then 'defaulted'
        else 'mixed'
    end
{%- endmacro %}
