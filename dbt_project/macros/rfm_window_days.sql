{# Length of the RFM look-back window in days (var rfm_window_days, default 730). #}
{% macro rfm_window_days() -%}
    {%- set raw = var('rfm_window_days', 730) | string | trim -%}
    {%- if not modules.re.fullmatch('[0-9]+', raw) or (raw | int) < 1 -%}
        {{ exceptions.raise_compiler_error(
            "Var 'rfm_window_days' must be a positive whole number of days, got '" ~ raw ~ "'."
        ) }}
    {%- endif -%}
    {{ return(raw | int) }}
{%- endmacro %}
