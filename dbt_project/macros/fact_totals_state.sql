{#
    Per-account totals of an incremental fact, kept by the day (DECISIONLOG.md "per-account
    totals"). A totals model (one row per source customer id) records, after each build, the
    fact's build it read: the fact's as-of date, fingerprint and seen files (incremental_state).
    The next build is a delta only when
      - the fact was built for this as-of date, with the fingerprint recorded (its code and vars
        did not change; a changed fact rebuilds every row, and so do its totals);
      - the as-of date did not go back, and every file the totals saw the fact still has (a
        replaced file rebuilds the fact).
    The delta recomputes the accounts whose rows may have changed: every account named by any
    version of a key the fact's delta touched since (a new file, a date in [since, as-of)), and
    the accounts with a row leaving the `window_days` window; erased accounts (the fact keeps
    their rows without the account) are deleted. Anything else rebuilds every account, which is
    what --full-refresh gives. Spark: always the full build (no row-level delete on Parquet).
#}

{% macro _fact_totals_inputs(fact) %}
    {{ return(graph.nodes['model.' ~ project_name ~ '.' ~ fact].config.meta.incremental_inputs) }}
{% endmacro %}

{% macro _fact_totals_fingerprint(fact_fingerprint) %}
    {{ return(local_md5(model.checksum.checksum ~ ';' ~ fact_fingerprint)) }}
{% endmacro %}

{#- {'mode': 'full' | 'delta', 'reason': text, 'since': 'YYYY-MM-DD' of the last build} -#}
{% macro fact_totals_plan(fact, window_days) %}
    {{ return(adapter.dispatch('fact_totals_plan')(fact, window_days)) }}
{% endmacro %}

{% macro default__fact_totals_plan(fact, window_days) %}
    {%- set new = incremental_new_table_plan(true) -%}
    {%- if new -%}{{ return(new) }}{%- endif -%}
    {%- set probe -%}
        select
            (select cast(max(as_of_date) as {{ dbt.type_string() }}) from incremental_state.builds
             where model_name = '{{ this.identifier }}'),
            (select max(fingerprint) from incremental_state.builds where model_name = '{{ this.identifier }}'),
            (select cast(max(as_of_date) as {{ dbt.type_string() }}) from incremental_state.builds
             where model_name = '{{ fact }}'),
            (select max(fingerprint) from incremental_state.builds where model_name = '{{ fact }}'),
            (select count(*) from (
                select source_file, checksum from incremental_state.files where model_name = '{{ this.identifier }}'
                except
                select source_file, checksum from incremental_state.files where model_name = '{{ fact }}'
            ) as gone)
    {%- endset -%}
    {%- set since, fingerprint, fact_as_of, fact_fingerprint, gone = run_query(probe).rows[0] -%}
    {%- set as_of = as_of_date_text() | string -%}
    {%- if since is none -%}
        {%- set plan = {'mode': 'full', 'reason': 'no record of an earlier build', 'since': none} -%}
    {%- elif fact_as_of != as_of -%}
        {%- set plan = {'mode': 'full', 'reason': fact ~ ' not built for ' ~ as_of, 'since': since} -%}
    {%- elif fingerprint != _fact_totals_fingerprint(fact_fingerprint ~ ';' ~ window_days) -%}
        {%- set plan = {'mode': 'full', 'reason': 'model, ' ~ fact ~ ' or vars changed', 'since': since} -%}
    {%- elif since > as_of -%}
        {%- set plan = {'mode': 'full', 'reason': 'backfill before the last build (' ~ since ~ ')', 'since': since} -%}
    {%- elif gone -%}
        {%- set plan = {'mode': 'full', 'reason': gone ~ ' file(s) replaced or removed', 'since': since} -%}
    {%- else -%}
        {%- set plan = {'mode': 'delta', 'reason': 'accounts touched since ' ~ since, 'since': since} -%}
    {%- endif -%}
    {{ log(this.identifier ~ ': ' ~ plan.mode ~ ' build (' ~ plan.reason ~ ')', info=true) }}
    {{ return(plan) }}
{% endmacro %}

{% macro spark__fact_totals_plan(fact, window_days) %}
    {{ return({'mode': 'full', 'reason': 'Spark rebuilds totals whole', 'since': none}) }}
{% endmacro %}

{#- The accounts a delta recomputes (see the header), one row each. Each input's touched keys
    are a materialized CTE: inlined in one union, DuckDB built its semi-joins' hash tables on
    every version (6.3M email events at 1M) instead of on the keys. DuckDB only. -#}
{% macro fact_totals_accounts(plan, fact, window_days) -%}
    with
    {%- for input in _fact_totals_inputs(fact) %}
    keys_{{ loop.index }} as materialized (
        select {{ input.key }} from {{ ref('stg_shop__' ~ input.entity ~ '_versions') }}
        where source_file in (
            select source_file from (
                select source_file, checksum from incremental_state.files where model_name = '{{ fact }}'
                except
                select source_file, checksum from incremental_state.files where model_name = '{{ this.identifier }}'
            ) as new_files
        )
        {%- for time in input.get('times', []) %}
            or ({{ time }} >= cast('{{ plan.since }}' as date) and {{ time }} < {{ as_of_date() }})
        {%- endfor %}
    ),
    {%- endfor %}
    accounts as (
    {%- for input in _fact_totals_inputs(fact) %}
        select customer_id as source_customer_id from {{ ref('stg_shop__' ~ input.entity ~ '_versions') }}
        where {{ input.key }} in (select {{ input.key }} from keys_{{ loop.index }})
        union all
    {%- endfor %}
        select source_customer_id from {{ ref(fact) }}
        where occurred_at >= {{ dbt.dateadd('day', -1 * window_days, "cast('" ~ plan.since ~ "' as date)") }}
            and occurred_at < {{ dbt.dateadd('day', -1 * window_days, as_of_date()) }}
    )
    select distinct source_customer_id from accounts where source_customer_id is not null
{%- endmacro %}

{#- The accounts a delta recomputes, kept by the pre-hook for the model to read. -#}
{% macro fact_totals_recomputed() -%}
    incremental_state.{{ this.identifier }}__accounts
{%- endmacro %}

{#- Pre-hook: a delta first keeps the accounts it recomputes and deletes their rows, the erased
    accounts' and any row without an account; a full build deletes every row. -#}
{% macro fact_totals_forget(fact, window_days) %}
    {{ return(adapter.dispatch('fact_totals_forget')(fact, window_days)) }}
{% endmacro %}

{% macro default__fact_totals_forget(fact, window_days) %}
    {%- set plan = fact_totals_plan(fact, window_days) -%}
    {%- if not is_incremental() -%}
        select 1
    {%- elif plan.mode == 'full' -%}
        delete from {{ this }}
    {%- else -%}
        create or replace table {{ fact_totals_recomputed() }} as
        {{ fact_totals_accounts(plan, fact, window_days) }};
        delete from {{ this }}
        where source_customer_id is null or source_customer_id in (
            select source_customer_id from {{ fact_totals_recomputed() }}
            union all
            select source_customer_id from {{ ref('int_customers_erased') }}
        )
    {%- endif -%}
{% endmacro %}

{#- Post-hook: the fact's build these totals read, for the next build to compare with. -#}
{% macro fact_totals_remember(fact, window_days) %}
    {{ return(adapter.dispatch('fact_totals_remember')(fact, window_days)) }}
{% endmacro %}

{% macro default__fact_totals_remember(fact, window_days) %}
    {%- set name = this.identifier -%}
    drop table if exists {{ fact_totals_recomputed() }};
    delete from incremental_state.builds where model_name = '{{ name }}';
    insert into incremental_state.builds (model_name, as_of_date, fingerprint)
    select '{{ name }}', {{ as_of_date() }}, md5('{{ model.checksum.checksum }};' || fingerprint || ';{{ window_days }}')
    from incremental_state.builds where model_name = '{{ fact }}';
    delete from incremental_state.files where model_name = '{{ name }}';
    insert into incremental_state.files (model_name, source_file, checksum)
    select '{{ name }}', source_file, checksum from incremental_state.files where model_name = '{{ fact }}'
{% endmacro %}

{% macro spark__fact_totals_forget(fact, window_days) %}
    select 1
{% endmacro %}

{% macro spark__fact_totals_remember(fact, window_days) %}
    select 1
{% endmacro %}
