"""The dbt child of a task that runs two dbt commands (source freshness, then the build): one
process, the project parsed once, so the second command pays neither dbt's start-up nor the
manifest's load again (DECISIONLOG.md "fixed costs ... (helper i28procs)").

`python -m pipelines.dbt_session '{"common": [...], "commands": [[...], [...]]}'`, started by
pipelines/transform.py under the warehouse lock as it starts `dbt`. A command that fails stops
the session: what follows it does not run, and the exit status names it (FAILED + its index).
"""

from __future__ import annotations

import json
import sys

FAILED = 10  # + the failed command's index; 1 and 2 stay dbt's own (a failure before any command)


def main(argv: list[str]) -> int:
    from dbt.cli.main import dbtRunner
    from dbt.contracts.graph.manifest import Manifest

    spec = json.loads(argv[1])
    common, commands = spec["common"], spec["commands"]
    # what `dbt <command>` would do first: parse (partially, from partial_parse.msgpack) and write
    # manifest.json; each command then runs on that manifest instead of loading it again
    parsed = dbtRunner().invoke(["parse", *common])
    if not parsed.success or not isinstance(parsed.result, Manifest):
        return 2
    runner = dbtRunner(manifest=parsed.result)
    for index, command in enumerate(commands):
        if not runner.invoke([*command, *common]).success:
            return FAILED + index
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
