"""One row per source customer id whose person asked to be erased.

A dbt Python model so the one identity rule (pipelines/identity.py: Unicode
whitespace, case, NFC, gmail canonical form, E.164) is reused as DuckDB macros
rather than re-written in Jinja. A request naming any account of a person (source
or canonical id, email key, phone key) erases every account of that person. The
identity keys are kept here (not in any mart) because the export must still send
the person a removal and sweep them from earlier export folders
(pipelines/export/blocked.py reads this table once marts.customers no longer has them).
"""

from pipelines import identity


def model(dbt, session):
    dbt.config(materialized="table")
    identity.install(session)
    matched = dbt.ref("int_customers_matched").pl()
    customers = dbt.ref("int_customers_as_of").pl()
    erasures = dbt.ref("stg_shop__erasures").pl()
    for name, table in (("_matched", matched), ("_customers", customers), ("_erasures", erasures)):
        session.register(name, table)
    return session.sql(
        """
        with requests as (
            select rapport_id_key(customer_id) as id_key, rapport_email_key(email) as email_key,
                   rapport_phone_key(phone) as phone_key
            from _erasures
        ),
        accounts as (
            select m.source_customer_id, m.customer_id,
                   rapport_email_key(coalesce(c.email, m.email)) as email_key,
                   rapport_phone_key(c.phone) as phone_key
            from _matched as m left join _customers as c on m.source_customer_id = c.customer_id
        ),
        erased_people as (
            select distinct accounts.customer_id
            from accounts join requests
                on accounts.source_customer_id = requests.id_key
                or accounts.customer_id = requests.id_key
                or accounts.email_key = requests.email_key
                or accounts.phone_key = requests.phone_key
        )
        select accounts.source_customer_id, accounts.customer_id, accounts.email_key, accounts.phone_key
        from accounts join erased_people on accounts.customer_id = erased_people.customer_id
        """
    ).pl()
