{#
    The incremental facts on Spark (issue 18). Parquet tables have no row-level delete, so
    DuckDB's delta (delete the touched rows, insert them again: delete+insert and the
    incremental_forget pre-hook) cannot run. On Spark every build of a fact is a full
    rebuild written with `insert overwrite` (dbt-spark's insert_overwrite strategy without
    partition_by replaces the whole table in one statement; readers see the old or the new
    table). Trade-off (DECISIONLOG.md "Spark: incremental facts"): a daily build costs the
    whole history instead of the day's delta, spread over the executors; the row-level delta
    needs a table format with MERGE/DELETE (Delta, Iceberg), whose jars cannot be fetched here.
#}

{#- The model's config stays `delete+insert` (DuckDB); on Spark it means insert_overwrite. -#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {%- set strategy = 'insert_overwrite' if raw_strategy == 'delete+insert' else raw_strategy -%}
    {{ return(dbt_spark.dbt_spark_validate_get_incremental_strategy(strategy, file_format)) }}
{% endmacro %}

{#- Always the whole table: insert_overwrite replaces it, so every row must be selected. -#}
{% macro spark__incremental_plan(announce=false) %}
    {%- if execute and announce and this is not none -%}
        {{ log(this.identifier ~ ': full build (Spark: facts are rebuilt with insert overwrite)', info=true) }}
    {%- endif -%}
    {{ return({'mode': 'full', 'reason': 'Spark rebuilds facts whole', 'since': none}) }}
{% endmacro %}

{#- Nothing to forget (the overwrite replaces every row) or remember (no delta reads it). -#}
{% macro spark__incremental_forget() %}
    select 1
{% endmacro %}

{% macro spark__incremental_remember() %}
    select 1
{% endmacro %}
