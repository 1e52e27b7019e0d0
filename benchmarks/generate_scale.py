"""Time the demo-shop generator: `python benchmarks/generate_scale.py --customers 1000000`.

Prints wall-clock seconds, peak RSS and rows per entity. The shop is written to a
temporary folder (removed afterwards) unless --out is given. --shard-size makes a larger
shop in shards of about that many customers, in bounded memory (each shard's rows are
extra part files in the same daily folders), e.g. the 10M-customer shop:
`python benchmarks/generate_scale.py --customers 10000000 --shard-size 2000000 --out ...`.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

from pipelines.generate import generate_shop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--fmt", choices=("csv", "parquet"), default="csv")
    parser.add_argument("--dirty-rate", type=float, default=0.0)
    parser.add_argument("--shard-size", type=int, help="customers per shard (default: one shard)")
    parser.add_argument("--out", type=Path, help="keep the shop here instead of a temp folder")
    args = parser.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="rapport-shop-"))
    try:
        began = time.perf_counter()
        summary = generate_shop(
            out,
            args.customers,
            seed=args.seed,
            dirty_rate=args.dirty_rate,
            fmt=args.fmt,
            shard_size=args.shard_size,
        )
        seconds = time.perf_counter() - began
    finally:
        if args.out is None:
            shutil.rmtree(out, ignore_errors=True)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"customers={args.customers} fmt={args.fmt} dirty_rate={args.dirty_rate} shard_size={args.shard_size}"
    )
    print(f"seconds={seconds:.1f} peak_rss_mib={peak_mib:.0f} files={len(summary.paths)}")
    for entity, rows in summary.rows.items():
        print(f"  {entity:<16} {rows:>12,}")
    print(f"  {'total':<16} {sum(summary.rows.values()):>12,}")


if __name__ == "__main__":
    main()
