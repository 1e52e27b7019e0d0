"""The orphan rule of staging: a row whose customer_id no customer row brought.

Split from keys.py (its other rules are the duplicates); the Spark loader runs the same SQL.
"""

from __future__ import annotations

# keyed hashes of ids remembered as erased (known.py makes it with the known customers)
ERASED_IDS = "_erased_customer_ids"
# a staged row's identity, and "no key verdict holds it yet" (`_key_bad`, keys.py)
LINE = "_source_file, _source_line"
NOT_KEY_BAD = (
    "not exists (select 1 from _key_bad b where b._source_file = t._source_file"
    " and b._source_line = t._source_line)"
)
UNPARSEABLE = "unparseable row"
BAD_ENCODING = "bad encoding"


def known_customers(
    staged: tuple[str, ...] = ("incoming.customers", "raw.customers", "_customer_ids_seen"),
    quarantines: tuple[str, ...] = ("incoming._quarantine", "raw._quarantine"),
) -> tuple[str, str]:
    """(SQL of known customer ids, SQL of quarantined customer lines' text).

    A customer whose row was quarantined (a bad birthday, a broken quote) still exists: its
    orders and events are no orphans, or one typo would take a customer's history down too.
    """
    ids = [f"select customer_id from {t}" for t in staged]
    held = "entity = 'customers' and column_name = 'customer_id'"
    ids += [f"select value from {q} where {held}" for q in quarantines]
    broken = f"entity = 'customers' and reason in ('{UNPARSEABLE}', '{BAD_ENCODING}')"
    lines = " union all ".join(
        f"select replace(value, '\"', '') as line from {q} where {broken}" for q in quarantines
    )
    return " union all ".join(ids), lines


def orphans_sql(known: tuple[str, str] | None = None, erased: str | None = None) -> str:
    """Rows of `_typed` whose customer_id no customer row brought (see known_customers), once
    `_key_bad` holds the duplicate verdicts; needs $reason. `erased`: SQL of the keyed hashes
    (rapport_hmac) of ids remembered as erased: forget deleted such an account's customers row,
    and its later rows are no orphans but theirs, which int_customers_erased then anonymises
    (money kept); quarantined, they were lost value. Only the missing ids are hashed."""
    ids, lines = known or known_customers()
    spared = f" where rapport_hmac(customer_id) not in ({erased})" if erased else ""
    # the chunk's distinct ids are matched against the known ones, not its rows: the join's hash
    # table holds short ids (bounded by the chunk), not every row with its file name (10M customers)
    return (
        "with chunk as (select distinct customer_id from _typed where customer_id is not null),"
        f" missing as (select customer_id from chunk anti join ({ids}) k(id)"
        f" on k.id = chunk.customer_id{spared})"
        f" select {LINE}, 'customer_id', customer_id, $reason from _typed t"
        " where (t.customer_id is null or t.customer_id in (select customer_id from missing))"
        f" and {NOT_KEY_BAD}"
        f" and not exists (select 1 from ({lines}) l where contains(l.line, t.customer_id))"
    )
