"""Print wall time and peak memory of each pipeline stage on a generated shop.

    uv run python benchmarks/pipeline_scale.py --customers 100000 [--workdir DIR]

Each stage runs in its own process (as it would as an Airflow task), so the
peak RSS reported is that stage's own, dbt's subprocess included.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = "2026-07-01"  # the generator's default history ends 2026-06-30
STAGES = {
    "generate": "from pipelines.generate import generate_shop; "
    "generate_shop(Path(os.environ['RAPPORT_HOME'])/'landing', customers={n}, seed=7)",
    "stage": "from pipelines import stages; stages.stage('{as_of}', 'bench')",
    "quality_incoming": "from pipelines import stages; stages.gate_incoming('bench')",
    "commit": "from pipelines import stages; stages.commit('bench')",
    "dbt_build": "from pipelines import stages; stages.build('{as_of}')",
    "fit_clv": "from pipelines import stages; stages.fit_clv('{as_of}')",
    "dbt_build_clv": "from pipelines import stages; stages.build_clv('{as_of}')",
    "export": "from pipelines import stages; stages.export('{as_of}', 'bench')",
}


def run_stage(code: str, env: dict[str, str]) -> tuple[float, float]:
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", f"import os; from pathlib import Path; {code}"], env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"stage failed: {code}")
    return elapsed, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    home = args.workdir or Path(tempfile.mkdtemp(prefix="rapport-bench-"))
    env = {**os.environ, "RAPPORT_HOME": str(home), "GX_ANALYTICS_ENABLED": "false"}
    print(f"rapport benchmark: {args.customers:,} customers, home {home}")
    print(f"{'stage':<18}{'seconds':>10}{'peak MiB':>10}")
    total = 0.0
    for name, template in STAGES.items():
        seconds, peak = run_stage(template.format(n=args.customers, as_of=AS_OF), env)
        total += seconds
        print(f"{name:<18}{seconds:>10.1f}{peak:>10.0f}", flush=True)
    print(f"{'total':<18}{total:>10.1f}")


if __name__ == "__main__":
    main()
