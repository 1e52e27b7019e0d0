{# Days at the end of the history held out to validate the CLV model (var clv_holdout_days). #}
{% macro clv_holdout_days() -%}
    {%- set raw = var('clv_holdout_days', 180) | string | trim -%}
    {%- if not modules.re.fullmatch('[0-9]+', raw) or (raw | int) < 1 -%}
        {{ exceptions.raise_compiler_error(
            "Var 'clv_holdout_days' must be a positive whole number of days, got '" ~ raw ~ "'."
        ) }}
    {%- endif -%}
    {{ return(raw | int) }}
{%- endmacro %}
