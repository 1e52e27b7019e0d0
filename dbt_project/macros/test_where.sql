{#-
    dbt's get_where_subquery (the `where` config of a data test), with one placeholder:
    `__as_of_date__` stands for this run's as-of date. A test's config is rendered when dbt
    parses the project, where no project macro and no per-run date exist (the date comes as an
    environment variable so that dbt keeps its partial parse; pipelines/transform.py), so the
    date is put in here, when the test runs. The rest is dbt's own default__get_where_subquery.
    customer_segment_history uses it to test only the day a run writes: its earlier days were
    tested when they were written, and since then rows only leave them (erasures).
-#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- set where = where | replace('__as_of_date__', as_of_date()) -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ where }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
