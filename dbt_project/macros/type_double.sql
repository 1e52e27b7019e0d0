{# Shares and rates are double precision: dbt.type_float() is a 4-byte float on DuckDB. #}
{% macro type_double() -%}
    {{ return(adapter.dispatch('type_double')()) }}
{%- endmacro %}

{% macro default__type_double() -%}
    {{ return('double precision') }}
{%- endmacro %}

{#- Spark's name for the same 8-byte type -#}
{% macro spark__type_double() -%}
    {{ return('double') }}
{%- endmacro %}
