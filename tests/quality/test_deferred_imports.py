"""A gate process does not load the modules GX imports for expectations we never run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("scipy.stats._stats_py", "altair.vegalite")


def _run(code: str) -> str:
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def test_a_segment_gate_loads_neither_scipy_stats_nor_altair(tmp_path: Path) -> None:
    code = (
        "import sys; import pandas as pd; from pathlib import Path; "
        "from pipelines.quality.incoming import validate_incoming_batch; "
        "from pipelines.quality.segment import validate_segment; "
        "frame = pd.DataFrame({'customer_id': ['a'], 'email': ['a@example.com'], 'is_marketable': [True]}); "
        f"r = validate_segment(frame, 's', 1, Path({str(tmp_path)!r}), 'r'); "
        f"print(r.success, sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    assert _run(code) == "True []"  # ~0.65 s CPU of imports per GX process


def test_a_deferred_module_is_the_real_one_once_used() -> None:
    code = (
        "import sys; import pipelines.quality; from scipy import stats; import altair as alt; "
        "e = round(float(stats.entropy([0.5, 0.5], [0.9, 0.1])), 6); "
        "real = type(sys.modules['scipy.stats']).__name__; "
        "print(e, alt.Chart.__name__, real, 'scipy.stats._stats_py' in sys.modules)"
    )
    assert _run(code) == "0.510826 Chart module True"


def test_the_kl_divergence_expectation_still_runs() -> None:
    code = (
        "import pandas as pd; import pipelines.quality; import great_expectations as gx; "
        "ctx = gx.get_context(mode='ephemeral'); "
        "asset = ctx.data_sources.add_pandas('p').add_dataframe_asset('a'); "
        "frame = pd.DataFrame({'x': [1, 2, 2, 3] * 5}); "
        "whole = asset.add_batch_definition_whole_dataframe('w'); "
        "batch = whole.get_batch(batch_parameters={'dataframe': frame}); "
        "e = gx.expectations.ExpectColumnKLDivergenceToBeLessThan(column='x', partition_object="
        "{'values': [1, 2, 3], 'weights': [0.25, 0.5, 0.25]}, threshold=0.1); "
        "print(batch.validate(e).success)"
    )
    assert _run(code) == "True"
