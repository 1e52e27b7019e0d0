{#
    Spark-only helpers for `make spark` (scripts/spark_build.py), run with
    `dbt run-operation --target spark`.

    spark_load_raw: raw tables as Parquet tables in Spark's warehouse, from one
    Parquet file per table (`<folder>/raw.<table>.parquet`). Today these files are
    the DuckDB loader's raw tables exported as they are; Spark reading the landing
    files itself is a later step of issue 18.
#}
{% macro spark_load_raw(folder, tables) %}
    {%- set relations = [] -%}
    {%- for table in tables -%}{%- do relations.append('raw.' ~ table) -%}{%- endfor -%}
    {%- do spark_load_tables(folder, relations) -%}
{% endmacro %}

{#- Each `schema.table` as a Parquet table from `<folder>/<schema>.<table>.parquet` (also the
    CLV fit's output, written by pipelines/clv into a DuckDB file and copied here). -#}
{% macro spark_load_tables(folder, relations) %}
    {%- for relation in relations -%}
        {%- do run_query('create schema if not exists ' ~ relation.split('.')[0]) -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
        {%- do run_query(
            'create table ' ~ relation ~ ' using parquet as select * from parquet.`'
            ~ folder ~ '/' ~ relation ~ '.parquet`'
        ) -%}
    {%- endfor -%}
    {{ log('loaded ' ~ relations | length ~ ' tables into Spark from ' ~ folder, info=true) }}
{% endmacro %}

{#- Each relation (`schema.name`) written as a folder of Parquet files `<out>/<schema>.<name>`. -#}
{% macro spark_snapshot(out, relations) %}
    {%- for relation in relations -%}
        {%- do run_query(
            "insert overwrite directory '" ~ out ~ '/' ~ relation ~ "' using parquet select * from " ~ relation
        ) -%}
    {%- endfor -%}
    {{ log('wrote ' ~ relations | length ~ ' relations to ' ~ out, info=true) }}
{% endmacro %}
