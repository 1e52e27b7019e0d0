{#
    Spark-only helpers for `make spark` (scripts/spark_build.py), run with
    `dbt run-operation --target spark`.

    The raw tables are not copied: Spark reads the landing files itself
    (scripts/spark_load.py, pipelines/spark_load.py).
#}
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

{#- Each relation (`schema.name`) written as a folder of Parquet files `<out>/<schema>.<name>`.
    scripts/spark_dbt.py --snapshot-out runs the same statement in the build's own session (no
    second Spark start): change both together. -#}
{% macro spark_snapshot(out, relations) %}
    {%- for relation in relations -%}
        {%- do run_query(
            "insert overwrite directory '" ~ out ~ '/' ~ relation ~ "' using parquet select * from " ~ relation
        ) -%}
    {%- endfor -%}
    {{ log('wrote ' ~ relations | length ~ ' relations to ' ~ out, info=true) }}
{% endmacro %}
