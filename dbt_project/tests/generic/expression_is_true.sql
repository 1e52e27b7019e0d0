{#- Rows where a boolean SQL expression is false or null; column_name is accepted
    so the test can sit on a column as well as on a model. -#}
{% test expression_is_true(model, expression, column_name=none) %}

select * from {{ model }}
where not coalesce({{ expression }}, false)

{% endtest %}
