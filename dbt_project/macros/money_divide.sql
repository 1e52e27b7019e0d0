{#-
    An amount of money divided by a count, rounded to the cent half away from zero (81.725 ->
    81.73, -0.025 -> -0.03), exactly, the same on every engine; null when the count is 0 or
    null. Why not `amount / n`: DuckDB divides a decimal by an integer in double precision
    (81.725 is 81.72499... there, so it rounds down), while Spark divides decimals exactly and
    rounds half up: the same shop gave two answers (make spark at 500 customers). Whole cents
    and integer division are exact on both: q = (2|c| + n) div 2n is |c| / n rounded half up.
-#}
{% macro money_divide(amount, n) -%}
    {%- set cents = 'cast((' ~ amount ~ ') * 100 as ' ~ dbt.type_bigint() ~ ')' -%}
    {%- set count = 'cast(abs(' ~ n ~ ') as ' ~ dbt.type_bigint() ~ ')' -%}
    {%- set rounded = integer_divide('2 * abs(' ~ cents ~ ') + ' ~ count, '2 * ' ~ count) -%}
    case
        when ({{ n }}) != 0
            then cast(
                case when ({{ cents }} < 0) != (({{ n }}) < 0) then -{{ rounded }} else {{ rounded }} end
                as decimal(18, 0)
            ) * 0.01
    end
{%- endmacro %}


{#- a div b for whole numbers, truncated: `//` on DuckDB, `div` on Spark -#}
{% macro integer_divide(a, b) -%}
    {{ return(adapter.dispatch('integer_divide')(a, b)) }}
{%- endmacro %}

{% macro default__integer_divide(a, b) -%}
    (({{ a }}) // ({{ b }}))
{%- endmacro %}

{% macro spark__integer_divide(a, b) -%}
    (({{ a }}) div ({{ b }}))
{%- endmacro %}
