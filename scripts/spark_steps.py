"""The plumbing of scripts/spark_build.py: run a command (measured), dbt on either engine, dbt's lists."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from spark_measure import Usage, run_measured  # scripts/, next to this file

ROOT = Path(__file__).resolve().parent.parent
PROJECT = ROOT / "dbt_project"


class Steps:
    """Commands of one build, with the CPU, memory and wall time of each engine's dbt runs."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.usage: dict[str, Usage] = {"duckdb": Usage(), "spark": Usage()}
        self.seconds: dict[str, float] = {"duckdb": 0.0, "spark": 0.0}
        self.log: list[tuple[str, str, float, Usage]] = []  # engine, step, wall seconds, usage

    def run(
        self, cmd: list[str], cwd: Path, check: bool = True, engine: str | None = None, step: str = ""
    ) -> str:
        import time

        started = time.monotonic()
        proc, usage = run_measured(cmd, self.env, cwd)
        if engine is not None:
            self.usage[engine] = self.usage[engine] + usage
            self.seconds[engine] += time.monotonic() - started
            self.log.append((engine, step, time.monotonic() - started, usage))
            # as it goes: a later failure must not lose the figures
            print(f"  {engine:6} {time.monotonic() - started:6.0f} s wall {usage.cpu_seconds:6.0f} s CPU "
                  f"{usage.peak_process_rss / 2**30:5.2f} GiB  {step}", flush=True)  # fmt: skip
        if check and proc.returncode != 0:
            sys.exit(
                f"failed ({proc.returncode}): {' '.join(cmd[:4])} ...\n"
                f"{proc.stdout[-4000:]}{proc.stderr[-2000:]}"
            )
        return proc.stdout

    def dbt(self, args: list[str], check: bool = True) -> str:
        """dbt on DuckDB (`dbt`) or, with `--target spark`, through scripts/spark_dbt.py: dbt in
        the process that registered rapport's functions on the Spark session."""
        spark = "spark" in args
        dbt = (
            [sys.executable, str(ROOT / "scripts" / "spark_dbt.py")]
            if spark
            else [str(Path(sys.executable).parent / "dbt")]
        )
        # one target folder per engine: dbt re-parses the whole project when the target changes
        target = self.target("spark" if spark else "duckdb")
        paths = ["--project-dir", str(PROJECT), "--profiles-dir", str(PROJECT), "--target-path", str(target)]
        # Spark's Derby metastore lives in the working folder
        cwd = Path(self.env["RAPPORT_SPARK_HOME"]) if spark else ROOT
        engine = ("spark" if spark else "duckdb") if args[0] in ("build", "test", "run-operation") else None
        step = " ".join(a for a in args if a not in ("--target", "spark") and not a.startswith(("{", "[")))
        return self.run([*dbt, *args, *paths], cwd, check, engine, step[:90])

    def target(self, engine: str) -> Path:
        return Path(self.env["RAPPORT_HOME"]).parent / f"dbt-{engine}"

    def models(self, select: str, exclude: str = "") -> list[str]:
        """`schema.name` of every model dbt selects (folder schemas, macros/generate_schema_name.sql)."""
        out = self.dbt(
            ["ls", "-q", "--resource-type", "model", "--output", "json", "--select", *select.split()]
            + (["--exclude", *exclude.split()] if exclude else [])
        )
        rows = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
        return sorted(f"{r['config']['schema']}.{r['config'].get('alias') or r['name']}" for r in rows)

    def failures(self) -> dict[str, str]:
        """Model (or test) name -> first line of its error, for every node of the last Spark run
        that did not pass."""
        results = json.loads((self.target("spark") / "run_results.json").read_text())["results"]
        return {
            r["unique_id"].split(".")[-1] if r["unique_id"].startswith("model.") else r["unique_id"]: (
                (r.get("message") or r["status"]).strip().splitlines() or [r["status"]]
            )[0][:300]
            for r in results
            if r["status"] not in ("success", "pass", "no-op")  # exposures are no-ops
        }
