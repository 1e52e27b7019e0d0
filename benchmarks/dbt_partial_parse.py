"""What a new as-of date costs dbt's parsing: --vars (full re-parse) vs RAPPORT_AS_OF_DATE.

Runs `dbt parse` on the project with a warm partial-parse cache, then again for the next
day, passing the date each way. Prints seconds per parse and whether dbt re-parsed fully.
Usage: uv run --frozen python benchmarks/dbt_partial_parse.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1] / "dbt_project"
DBT = str(Path(sys.executable).with_name("dbt"))


def parse(work: Path, day: str, how: str) -> tuple[float, str]:
    env = {**os.environ, "RAPPORT_WAREHOUSE_PATH": str(work / "w.duckdb"), "DBT_USE_COLORS": "false"}
    args = [DBT, "parse", "--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT),
            "--target-path", str(work / "target"), "--log-path", str(work / "logs")]  # fmt: skip
    if how == "vars":
        args += ["--vars", json.dumps({"as_of_date": day})]
    else:
        env["RAPPORT_AS_OF_DATE"] = day
    started = time.perf_counter()
    subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    wall = time.perf_counter() - started
    perf = json.loads((work / "target" / "perf_info.json").read_text())
    # dbt's own parse timing, without interpreter start-up; and how many files it (re)parsed
    return wall, f"{perf['load_all_elapsed']:.1f} s in dbt, {perf.get('parsed_path_count', '?')} files parsed"


def main() -> None:
    for how in ("vars", "env"):
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            for label, day in (
                ("cold", "2024-07-01"),
                ("same day", "2024-07-01"),
                ("next day", "2024-07-02"),
            ):
                wall, inside = parse(work, day, how)
                print(f"{how:<5} {label:<9} {wall:5.1f} s wall ({inside})")


if __name__ == "__main__":
    main()
