"""The run's quarantine for its quality page: rows per entity and reason, with a few examples.

Written once the batch is committed (raw._quarantine carries the run id), read by the page
(pipelines.quality.report), so the page never opens the warehouse itself.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipelines.warehouse import connect

FILE = "_quarantine.json"  # "_": not a suite result (load_results skips it)


def write_quarantine(warehouse: Path, quality_dir: Path, run_id: str, examples: int = 3) -> Path:
    with connect(warehouse, read_only=True) as con:
        rows = con.execute(
            """
            with q as (
                select entity, reason, source_file, source_line, source_file || ':' || source_line
                    || coalesce(' ' || column_name || '=' || value, '') as example
                from raw._quarantine where run_id = ?
            )
            select entity, reason, count(distinct (source_file, source_line)),
                list(example order by source_file, source_line)[1:?]
            from q group by all order by 3 desc, 1, 2
            """,
            [run_id, examples],
        ).fetchall()
    found = [{"entity": e, "reason": r, "rows": int(n), "examples": list(x)} for e, r, n, x in rows]
    run_dir = quality_dir / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    path = run_dir / FILE
    path.write_text(json.dumps(found, indent=2, ensure_ascii=False), encoding="utf-8")
    return path
