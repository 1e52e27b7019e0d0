{#
    Models land in the plain schema named by their folder config (staging,
    intermediate, marts, segments) instead of dbt's default <target>_<custom>,
    because loader, quality gate and exporter address those schemas by name.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
