{#
    One row per key: the version known on the as-of date, i.e. the latest one
    produced (version_at) strictly before it; ties go to the later file, then the
    later line. An undated version (version_at null) is kept, ranked after dated ones.

    keep_later_if: a SQL condition on a version; when every version of a key was
    produced on or after the as-of date, the earliest of those that meet it is kept,
    the key dropped if none does. Orders: 'true' (their file may hold only their final
    state); customers: signed up before the as-of date (the account existed, only its
    landed state is later; one signed up later did not exist yet).
    DECISIONLOG.md "dbt: as-of date semantics".
#}
{% macro version_known_as_of(relation, key, keep_later_if) -%}
    select *
    from (
        select
            *,
            row_number() over (
                partition by {{ key }}
                order by
                    version_at >= {{ as_of_date() }} asc,
                    case when version_at < {{ as_of_date() }} then version_at end desc nulls last,
                    version_at asc,
                    source_file desc,
                    source_line desc
            ) as version_rank
        from {{ relation }}
        {%- if keep_later_if != 'true' %}
        where version_at < {{ as_of_date() }} or version_at is null or ({{ keep_later_if }})
        {%- endif %}
    ) as ranked
    where version_rank = 1
{%- endmacro %}
