{#-
    A model's not_null, unique and accepted_values rules in one test: one scan and one dbt node
    instead of one per column and rule (a node costs ~0.1 s of dbt overhead each day, and a test
    on a view evaluates the chain above it again; DECISIONLOG.md "Performance (issue 16)"). Same
    verdicts as dbt's own tests: a null never passes not_null and always passes accepted_values
    and unique (which counts the rows repeating a value). Each broken rule is one row
    (column_name, rule, failing_rows) and dbt reports the rows breaking rules, so a failure names
    its column and rule:
        dbt test --select <this test> --store-failures, or the compiled SQL in target/.

        - column_rules:
            arguments:
              not_null: [order_id, amount]
              unique: [order_id]
              accepted_values: {status: [placed, shipped], r_score: [1, 2, 3, 4, 5]}

    Numbers in accepted_values are compared unquoted, anything else as a string.
-#}
{% test column_rules(model, not_null=[], unique=[], accepted_values={}) %}
{{ config(fail_calc='coalesce(sum(failing_rows), 0)') }}

{%- set rules = [] -%}
{%- for column in not_null -%}
    {%- do rules.append((column, 'not_null', 'count(*) - count(' ~ column ~ ')')) -%}
{%- endfor -%}
{%- for column in unique -%}
    {%- do rules.append((column, 'unique', 'count(' ~ column ~ ') - count(distinct ' ~ column ~ ')')) -%}
{%- endfor -%}
{%- for column, values in accepted_values.items() -%}
    {%- set listed = [] -%}
    {%- for value in values -%}
        {%- do listed.append(value if value is number else "'" ~ value ~ "'") -%}
    {%- endfor -%}
    {%- do rules.append((column, 'accepted_values',
        'sum(case when ' ~ column ~ ' not in (' ~ listed | join(', ') ~ ') then 1 else 0 end)')) -%}
{%- endfor %}

with

counted as (

    select
        {%- for column, rule, failing in rules %}
        {{ failing }} as rule_{{ loop.index }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ model }}

),

broken as (

    {%- for column, rule, failing in rules %}
    select
        '{{ column }}' as column_name,
        '{{ rule }}' as rule,
        coalesce(rule_{{ loop.index }}, 0) as failing_rows
    from counted
    {{ 'union all' if not loop.last }}
    {%- endfor %}

)

select * from broken
where failing_rows > 0

{% endtest %}
