{#
    One row per key: the version known on the as-of date, i.e. the latest one
    produced (version_at) strictly before it; ties go to the later file, then the
    later line. An undated version (version_at null) is kept, ranked after dated ones.

    keep_later_versions: when every version of a key was produced on or after the
    as-of date, keep the earliest of them (true: orders, whose file may hold only
    their final state) or drop the key (false: customers, an account whose every
    version is later did not exist yet). DECISIONLOG.md "dbt: as-of date semantics".
#}
{% macro version_known_as_of(relation, key, keep_later_versions) -%}
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
        {%- if not keep_later_versions %}
        where version_at < {{ as_of_date() }} or version_at is null
        {%- endif %}
    ) as ranked
    where version_rank = 1
{%- endmacro %}
