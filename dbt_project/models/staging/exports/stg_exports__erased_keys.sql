-- One row per remembered keyed hash of an erased person's key (id, email key, phone key).
-- The source is the pipeline's, created by the first export or forget run: before that there
-- is nobody to remember and this is empty (source() is still called, so lineage is complete).
{%- set erased = source('exports', 'erased') %}
{%- set present = load_relation(erased) if execute else none %}
with

{% if present %}

source as (

    select * from {{ erased }}

),

final as (

    select distinct
        cast(kind as {{ dbt.type_string() }}) as kind,
        cast(digest as {{ dbt.type_string() }}) as digest

    from source
    where kind in ('id', 'email', 'phone')

)

{% else %}

final as (

    select
        cast(null as {{ dbt.type_string() }}) as kind,
        cast(null as {{ dbt.type_string() }}) as digest

    where 1 = 0

)

{% endif %}

select * from final
