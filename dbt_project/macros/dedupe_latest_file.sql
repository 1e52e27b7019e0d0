{#
    One row per key: when the same key was loaded more than once (a re-sent or
    restated file), the row from the latest file wins, and within one file the
    last line. Used by every staging model; `relation` is a CTE name or a relation.
#}
{% macro dedupe_latest_file(relation, key_columns) -%}
    {{ return(adapter.dispatch('dedupe_latest_file')(relation, key_columns)) }}
{%- endmacro %}

{#-
    DuckDB: a window holds every column of every row until its input ends (and a union of
    staged entities holds all of them at once), though almost every key is loaded once. So
    only the keys loaded more than once (found by a count per key: keys only, a small hash
    table) go through the window; the others pass as they are, with the rank they would get.
    Null-safe key matches, as the window's partitions. `relation` is read four times: give the
    big entities their versions model itself, not an import CTE, which DuckDB would materialise
    whole. At 1M customers the interactions fact's peak fell from 2.4 to 0.6 GB of DuckDB
    buffer (DECISIONLOG.md "Performance (issue 16)").
-#}
{% macro default__dedupe_latest_file(relation, key_columns) -%}
    {%- set repeated_keys -%}
        select {{ key_columns | join(', ') }}
        from {{ relation }}
        group by {{ key_columns | join(', ') }}
        having count(*) > 1
    {%- endset -%}
    {%- set same_key -%}
        {%- for key in key_columns %}
            {{ 'and ' if not loop.first }}repeated.{{ key }} is not distinct from candidate.{{ key }}
        {%- endfor %}
    {%- endset -%}
    select
        *,
        cast(1 as {{ dbt.type_bigint() }}) as file_rank
    from (select * from {{ relation }}) as candidate
    where not exists (select 1 from ({{ repeated_keys }}) as repeated where {{ same_key }})

    union all

    {{ _latest_file_per_key(
        '(select * from (select * from ' ~ relation ~ ') as candidate where exists (select 1 from ('
        ~ repeated_keys ~ ') as repeated where ' ~ same_key ~ ')) as repeated_versions',
        key_columns
    ) }}
{%- endmacro %}

{#- Spark sorts each partition on the executors and spills: the plain window. -#}
{% macro spark__dedupe_latest_file(relation, key_columns) -%}
    {{ _latest_file_per_key(relation, key_columns) }}
{%- endmacro %}

{% macro _latest_file_per_key(relation, key_columns) -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key_columns | join(', ') }}
                order by source_file desc, source_line desc
            ) as file_rank
        from {{ relation }}
    ) as ranked
    where file_rank = 1
{%- endmacro %}
