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
{#- (This overrides dbt-spark's check of the same name; its rules otherwise unchanged.) -#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {%- set strategy = 'insert_overwrite' if raw_strategy == 'delete+insert' else raw_strategy -%}
    {%- if strategy not in ['append', 'merge', 'insert_overwrite', 'microbatch'] -%}
        {%- do exceptions.raise_compiler_error('Invalid incremental strategy provided: ' ~ raw_strategy) -%}
    {%- elif strategy == 'merge' and file_format not in ['delta', 'iceberg', 'hudi'] -%}
        {%- do exceptions.raise_compiler_error('merge needs file_format delta, iceberg or hudi, not ' ~ file_format) -%}
    {%- elif strategy in ['insert_overwrite', 'microbatch'] and target.endpoint -%}
        {%- do exceptions.raise_compiler_error(strategy ~ ' cannot run through a SQL endpoint') -%}
    {%- endif -%}
    {{ return(strategy) }}
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

{#-
    customer_segment_history keeps one slice per as-of date (delete+insert by as_of_date on
    DuckDB). On Spark the same slice is a partition replaced by insert_overwrite (dynamic
    partition overwrite), so the table is partitioned by as_of_date there (Spark puts the
    partition column last; the comparison reads columns by name).
-#}
{% macro segment_history_partition() %}
    {{ return(adapter.dispatch('segment_history_partition')()) }}
{% endmacro %}

{% macro default__segment_history_partition() %}
    {{ return(none) }}
{% endmacro %}

{% macro spark__segment_history_partition() %}
    {{ return('as_of_date') }}
{% endmacro %}

{#- Post-hook: an erased person's rows of earlier runs leave the history. -#}
{% macro forget_erased_history() %}
    {{ return(adapter.dispatch('forget_erased_history')()) }}
{% endmacro %}

{% macro default__forget_erased_history() %}
    delete from {{ this }} where customer_id in (select customer_id from {{ ref('int_customers_erased') }})
{% endmacro %}

{#- No row-level delete on Parquet: the kept rows go to a side table, then overwrite the whole
    history (static mode, so a date whose every row left is emptied too). -#}
{% macro spark__forget_erased_history() %}
    {%- if execute -%}
        {%- set kept = this.incorporate(path={'identifier': this.identifier ~ '__kept'}) -%}
        {%- do run_query('drop table if exists ' ~ kept) -%}
        {%- do run_query(
            'create table ' ~ kept ~ ' using parquet as select history.* from ' ~ this ~ ' as history'
            ~ ' left anti join (select distinct customer_id from ' ~ ref('int_customers_erased') ~ ') as erased'
            ~ ' on history.customer_id = erased.customer_id'
        ) -%}
        {%- do run_query('set spark.sql.sources.partitionOverwriteMode = STATIC') -%}
        {%- do run_query('insert overwrite table ' ~ this ~ ' select * from ' ~ kept) -%}
        {%- do run_query('drop table if exists ' ~ kept) -%}
    {%- endif -%}
    select 1
{% endmacro %}
