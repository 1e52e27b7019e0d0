"""Per raw table and file, how many rows of the erased a forget run deleted or anonymised."""

from __future__ import annotations

import duckdb
import polars as pl

from pipelines.forget.match import id_key_in
from pipelines.forget.swept import new_rows
from pipelines.forget.tokens import Tokens
from pipelines.load.raw_tables import ERASED_ROWS


def count_erased(con: duckdb.DuckDBPyConnection, old: Tokens, new: Tokens, run_id: str) -> None:
    """Per raw table and file, the rows of the erased: deleted from raw.customers (which then
    holds loaded minus these), anonymised elsewhere (still counted as loaded; the staging
    not-null test on orders.customer_id skips those files). An old id can only be in rows of
    files loaded since the last run (swept.py): every earlier row of theirs lost its id."""
    con.execute(ERASED_ROWS)
    tables = con.execute(
        "select table_name from information_schema.columns where table_schema = 'raw'"
        " and column_name in ('customer_id', '_source_file') and table_name not like '\\_%' escape '\\'"
        " and table_name != 'erasures' group by table_name having count(*) = 2 order by 1"
    ).fetchall()
    names = {"_forget_new_ids": new.ids, "_forget_old_ids": old.ids, "_forget_any_ids": old.ids | new.ids}
    for name, ids in names.items():
        con.register(name, pl.DataFrame({"token": sorted(ids)}, schema={"token": pl.String}).to_arrow())
    try:
        for (table,) in tables:
            found = f"{id_key_in('customer_id', '_forget_new_ids')}"
            found += f" or ({new_rows('_source_file')} and {id_key_in('customer_id', '_forget_old_ids')})"
            # the same rows: either half's ids are among all ids. The `or` of two IN tests is
            # evaluated row by row; one semi-join on all the ids first leaves it the few rows
            # of the erased (1M next day: 2.8 -> 1.5 s CPU)
            con.execute(
                f'insert into raw._erased_rows select $run, $t, _source_file, count(*) from raw."{table}"'
                f" where {id_key_in('customer_id', '_forget_any_ids')} and ({found}) group by _source_file",
                {"run": run_id, "t": table},
            )
    finally:
        for name in names:
            con.unregister(name)
