{#
    The next return of a date on or after the as-of date (a birthday, a first
    purchase's anniversary). Adding whole years to 29 Feb lands on 28 Feb in
    other years, so leap-day occasions are celebrated on 28 Feb.
#}
{% macro next_yearly_date(origin_date) -%}
    {%- set years = dbt.datediff(origin_date, as_of_date(), 'year') -%}
    {%- set this_years = 'cast(' ~ dbt.dateadd('year', years, origin_date) ~ ' as date)' -%}
    case
        when {{ this_years }} < {{ as_of_date() }}
            then cast({{ dbt.dateadd('year', years ~ ' + 1', origin_date) }} as date)
        else {{ this_years }}
    end
{%- endmacro %}
