{# Shares and rates are double precision: dbt.type_float() is a 4-byte float on DuckDB. #}
{% macro type_double() -%}
    {{ return('double precision') }}
{%- endmacro %}
