{#-
    A model's not_null, unique, accepted_values, relationships and expression rules in one test:
    one dbt node instead of one per column and rule (a node costs ~0.1 s of dbt overhead each day,
    and a test on a view evaluates the chain above it again; DECISIONLOG.md "Performance (issue
    16)"). Same verdicts as dbt's own tests: a null never passes not_null and always passes
    accepted_values, unique (which counts the rows repeating a value) and relationships (a null
    refers to nothing); an expression fails on the rows where it is false or null (as
    tests/generic/expression_is_true). The rules but relationships are one scan of the model; each
    relationship is one more read, joined to its parent as dbt's own test does. A relationship to
    a model built after this one stays dbt's `relationships` test: here it would hold this model's
    other rules back until that model is built. Each broken rule is one row
    (column_name, rule, failing_rows) and dbt reports the rows breaking rules, so a failure names
    its column (or expression) and rule:
        dbt test --select <this test> --store-failures, or the compiled SQL in target/.

        - column_rules:
            arguments:
              not_null: [order_id, amount]
              unique: [order_id]
              accepted_values: {status: [placed, shipped], r_score: [1, 2, 3, 4, 5]}
              relationships: {order_id: {to: ref('orders'), field: order_id}}
              expressions: ["quantity > 0"]

    Numbers in accepted_values are compared unquoted, anything else as a string.
-#}
{% test column_rules(model, not_null=[], unique=[], accepted_values={}, relationships={}, expressions=[]) %}
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
{%- endfor -%}
{%- for expression in expressions -%}
    {%- do rules.append((expression | replace("'", "''"), 'expression',
        'sum(case when not coalesce(' ~ expression ~ ', false) then 1 else 0 end)')) -%}
{%- endfor %}

with

counted as (

    select
        count(*) as rows_read
        {%- for column, rule, failing in rules %},
        {{ failing }} as rule_{{ loop.index }}
        {%- endfor %}
    from {{ model }}

),
{%- for column, parent in relationships.items() %}

-- dbt's relationships test: the rows whose value the parent lacks (a repeated parent key
-- repeats only rows that have one, so the count is exact; the join builds on the smaller side)
related_{{ loop.index }} as (

    select count(*) as failing_rows
    from {{ model }} as child
    left join {{ parent.to }} as parent
        on child.{{ column }} = parent.{{ parent.field }}
    where child.{{ column }} is not null and parent.{{ parent.field }} is null

),
{%- endfor %}

broken as (

    {%- for column, rule, failing in rules %}
    select
        '{{ column }}' as column_name,
        '{{ rule }}' as rule,
        coalesce(rule_{{ loop.index }}, 0) as failing_rows
    from counted
    {{ 'union all' if not loop.last or relationships }}
    {%- endfor %}
    {%- for column in relationships %}
    select
        '{{ column }}' as column_name,
        'relationships' as rule,
        failing_rows
    from related_{{ loop.index }}
    {{ 'union all' if not loop.last }}
    {%- endfor %}

)

select * from broken
where failing_rows > 0

{% endtest %}
