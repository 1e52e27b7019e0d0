{# Money everywhere is decimal(18,2), as in pipelines/contract.py (MONEY), so sums stay exact to the cent. #}
{% macro type_money() -%}
    {{ return(api.Column.numeric_type('decimal', 18, 2)) }}
{%- endmacro %}
