{% test has_row_count(model, expected) %}

with

counted as (

    select count(*) as row_count from {{ model }}

)

select * from counted
where row_count != {{ expected }}

{% endtest %}
