{#
    What counts as one purchase (var purchase_unit): 'day' (default, the CLV
    literature's convention: all orders of a customer on one calendar day are one
    purchase) or 'order' (every order is one).
#}
{% macro purchase_unit() -%}
    {%- set unit = var('purchase_unit', 'day') | string | trim -%}
    {%- if unit not in ('day', 'order') -%}
        {{ exceptions.raise_compiler_error(
            "Var 'purchase_unit' must be 'day' or 'order', got '" ~ unit ~ "'."
        ) }}
    {%- endif -%}
    {{ return(unit) }}
{%- endmacro %}
