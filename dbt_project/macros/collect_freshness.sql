{#-
  Source freshness measured against the run's as-of date, not the wall clock: the
  newest row produced before the as-of day must be recent enough. A backfill of an
  old day is then judged on what had arrived by that day, and `make run` on demo data
  ending months ago is fresh for its own as-of date. Without an as-of date (a plain
  `dbt source freshness`) it falls back to dbt's clock-based check.
-#}
{% macro duckdb__collect_freshness(source, loaded_at_field, filter) %}
  {% set as_of = as_of_date_text() %}
  {% call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
    select
      max({{ loaded_at_field }}) as max_loaded_at,
      {% if as_of %}cast('{{ as_of }}' as timestamp){% else %}{{ current_timestamp() }}{% endif %} as snapshotted_at
    from {{ source }}
    where {% if as_of %}{{ loaded_at_field }} < cast('{{ as_of }}' as timestamp){% else %}true{% endif %}
    {% if filter %} and ({{ filter }}){% endif %}
  {% endcall %}
  {{ return(load_result('collect_freshness')) }}
{% endmacro %}
