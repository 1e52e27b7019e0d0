"""One function per pipeline stage: what an Airflow task or a CLI command calls.

Each stage is a function of (landing data, as-of date, run id) and settings; none
reads the clock. Stages run one after another and each opens the warehouse only
through pipelines.warehouse, so at most one process ever writes it. Each takes the
names the DAG's task factory hands on (`as_of`, `run_id`, `landing`) and nothing else
from Airflow.
"""

from pipelines.stages.build import build, build_clv, fit_clv
from pipelines.stages.deliver import export, forget, generate_docs, publish, report, summary
from pipelines.stages.load import commit, extract, gate_incoming, record_quality, stage
from pipelines.stages.run import NoLogicalDate, safe_run_id

__all__ = [
    "NoLogicalDate",
    "build",
    "build_clv",
    "commit",
    "export",
    "extract",
    "fit_clv",
    "forget",
    "gate_incoming",
    "generate_docs",
    "publish",
    "record_quality",
    "report",
    "safe_run_id",
    "stage",
    "summary",
]
