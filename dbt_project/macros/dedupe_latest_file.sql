{#
    One row per key: when the same key was loaded more than once (a re-sent or
    restated file), the row from the latest file wins, and within one file the
    last line. Used by every staging model; `relation` is a CTE name or a relation.
#}
{% macro dedupe_latest_file(relation, key_columns) -%}
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
