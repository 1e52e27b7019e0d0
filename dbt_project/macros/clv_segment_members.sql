{#
    The rows of a CLV segment: the export columns of segment_members for the
    customer ids in CTE `members`, with their P(alive) and expected 12-month value
    from CTE `clv`, ranked by that value (clv_rank 1 = worth most).
#}
{% macro clv_segment_members(members='members', clv='clv') -%}
select
    segment_rows.*,
    {{ clv }}.p_alive,
    {{ clv }}.clv_12m,
    cast(row_number() over (order by {{ clv }}.clv_12m desc, {{ clv }}.customer_id) as {{ dbt.type_int() }})
        as clv_rank

from (
    {{ segment_members(members) }}
) as segment_rows
inner join {{ clv }}
    on segment_rows.customer_id = {{ clv }}.customer_id
{%- endmacro %}
