{#
    The day a run is for (the Airflow logical date), as a SQL date literal.
    Everything counts only when it happened strictly before this date, so a
    rerun for the same day gives the same marts whatever the wall clock says.
    At parse time vars may be absent (dbt parse / ls), so the error is raised
    only when SQL is actually compiled.

    The date comes from var('as_of_date') or, as rapport passes it, the env var
    RAPPORT_AS_OF_DATE read only when executing: a --vars value that changes every
    day makes dbt re-parse the whole project, and an env_var() read at parse time
    re-parses every file that used it; read at execution, it re-parses nothing.
#}
{% macro as_of_date_text() -%}
    {%- set raw = var('as_of_date', none) -%}
    {%- if (raw is none or (raw | string | trim) == '') and execute -%}
        {%- set raw = env_var('RAPPORT_AS_OF_DATE', '') -%}
    {%- endif -%}
    {{- return(none if raw is none or (raw | string | trim) == '' else raw) -}}
{%- endmacro %}

{% macro as_of_date() -%}
    {%- set raw = as_of_date_text() -%}
    {%- if raw is none or (raw | string | trim) == '' -%}
        {%- if execute -%}
            {{ exceptions.raise_compiler_error(
                "Missing as-of date: set RAPPORT_AS_OF_DATE=2024-07-01 or pass "
                ~ "--vars '{as_of_date: \"2024-07-01\"}' (YYYY-MM-DD; only data strictly "
                ~ "before that day counts)."
            ) }}
        {%- endif -%}
        {{ return("cast(null as date)") }}
    {%- endif -%}
    {#- an unquoted YAML date arrives as a date object; its str() is ISO already -#}
    {%- set text = raw | string | trim -%}
    {%- if not modules.re.fullmatch('[0-9]{4}-[0-9]{2}-[0-9]{2}', text) -%}
        {{ exceptions.raise_compiler_error(
            "Var 'as_of_date' must be a date as YYYY-MM-DD, got '" ~ text ~ "'."
        ) }}
    {%- endif -%}
    {%- set parsed = modules.datetime.datetime.strptime(text, '%Y-%m-%d') -%}
    cast({{ dbt.string_literal(parsed.strftime('%Y-%m-%d')) }} as date)
{%- endmacro %}
