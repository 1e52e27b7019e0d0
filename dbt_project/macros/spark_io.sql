{#
    Spark-only helpers for `make spark` (scripts/spark_build.py), run with
    `dbt run-operation --target spark`.

    spark_load_raw: raw tables as Parquet tables in Spark's warehouse, from one
    Parquet file per table (`<folder>/raw.<table>.parquet`). Today these files are
    the DuckDB loader's raw tables exported as they are; Spark reading the landing
    files itself is a later step of issue 18.
#}
{% macro spark_load_raw(folder, tables) %}
    {%- do run_query('create schema if not exists raw') -%}
    {%- for table in tables -%}
        {%- do run_query('drop table if exists raw.' ~ table) -%}
        {%- do run_query(
            'create table raw.' ~ table ~ ' using parquet as select * from parquet.`'
            ~ folder ~ '/raw.' ~ table ~ '.parquet`'
        ) -%}
    {%- endfor -%}
    {{ log('loaded ' ~ tables | length ~ ' raw tables into Spark from ' ~ folder, info=true) }}
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
