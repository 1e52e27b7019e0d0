{#
    SQL that differs between DuckDB and Spark, behind adapter.dispatch (issue 18). Models
    call these; no model asks which engine it runs on.
#}

{#- Every match of `pattern` (RE2 on DuckDB, java.util.regex on Spark: write the common
    subset) replaced by `replacement` (an SQL expression). -#}
{% macro regexp_replace_all(expr, pattern, replacement) %}
    {{ return(adapter.dispatch('regexp_replace_all')(expr, pattern, replacement)) }}
{% endmacro %}

{% macro default__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, '{{ pattern }}', {{ replacement }}, 'g')
{%- endmacro %}

{#- a raw literal: Spark would read the backslashes of \x{85} as string escapes -#}
{% macro spark__regexp_replace_all(expr, pattern, replacement) -%}
    regexp_replace({{ expr }}, r'{{ pattern }}', {{ replacement }})
{%- endmacro %}


{#- True for a phone with something besides whitespace (Unicode White_Space, the set
    Python's str.strip and polars' strip_chars use), as the phone models always read it. -#}
{% macro phone_is_written(expr) -%}
    {{ regexp_replace_all(
        expr,
        '[\\t\\n\\x0B\\f\\r \\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}]+',
        "''"
    ) }} != ''
{%- endmacro %}


{#-
    int_phone_numbers' previous table, whose answers the build reuses, or none. DuckDB's
    table materialization builds beside the old table and swaps, so the old one is still
    readable. dbt-spark drops a Parquet table before creating it again, so Spark parses
    every pair each build (in parallel on the executors).
-#}
{% macro phone_numbers_cache() %}
    {{ return(adapter.dispatch('phone_numbers_cache')()) }}
{% endmacro %}

{% macro default__phone_numbers_cache() %}
    {%- if not execute or this is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(adapter.get_relation(database=this.database, schema=this.schema, identifier=this.identifier)) }}
{% endmacro %}

{% macro spark__phone_numbers_cache() %}
    {{ return(none) }}
{% endmacro %}


{#-
    dbt.dateadd on Spark: dbt-spark's version goes through to_unix_timestamp/to_timestamp,
    which gives null under spark.sql.timestampType=TIMESTAMP_NTZ (every profit-window
    comparison was false). timestampadd keeps calendar semantics (29 Feb + 1 year = 28 Feb,
    as on DuckDB) and returns a timestamp without time zone, as DuckDB's date + interval.
    Picked over dbt's own through the `dispatch` search order in dbt_project.yml.
-#}
{% macro spark__dateadd(datepart, interval, from_date_or_timestamp) -%}
    timestampadd({{ datepart }}, cast(({{ interval }}) as bigint), cast({{ from_date_or_timestamp }} as timestamp))
{%- endmacro %}


{#- After `name as` of a CTE read several times that DuckDB should compute where it is read,
    not materialise whole first (DuckDB materialises such CTEs by default; Spark has no such
    syntax and inlines a deterministic CTE). For a dedupe's input, which it reads four times:
    the two reads that count keys take only the key columns (DECISIONLOG.md, helper i27dbt). -#}
{% macro cte_inlined() %}
    {{ return(adapter.dispatch('cte_inlined')()) }}
{% endmacro %}

{% macro default__cte_inlined() -%}
    not materialized
{%- endmacro %}

{% macro spark__cte_inlined() -%}
{%- endmacro %}
