"""Export the segments to their destinations, behind the quality gate, as diffs.

Order matters: bring an older ledger up to date (ledger_upgrade: the size gate's baseline
must be in it), read the warehouse read-only and gate every list (its size against the
ledger's last successful export) before anything is written; then, on the writer
connection, sweep erased people out of every earlier day folder (one that cannot be read
stops the export), stage the whole day folder, send webhook batches (each recorded as soon
as it is acknowledged), swap the day folder in, and only then record the run in the ledger. A
failure at any point leaves the previous export in place and the ledger at the last
success, so the next run picks up from there.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from pipelines.export import ledger, sizes
from pipelines.export.baseline import baselines
from pipelines.export.config import ExportConfig, load_config
from pipelines.export.erased import remember
from pipelines.export.erasure import sweep
from pipelines.export.gate import gate
from pipelines.export.ledger_erase import erase
from pipelines.export.ledger_upgrade import upgrade_ledger
from pipelines.export.manifest import advance_latest, manifest_segments, write_manifest
from pipelines.export.paths import confined, staging_dir, swap_in, sweep_staging
from pipelines.export.pending import PendingMembers
from pipelines.export.plan import audience_counts, audiences, pairs, plan
from pipelines.export.read import read_snapshot
from pipelines.export.report import Delivery, ExportReport
from pipelines.export.retention import prune_expired
from pipelines.export.secrets import ConnectionPassword, scrub
from pipelines.export.write import send_webhook, write_files
from pipelines.killpoint import kill_point
from pipelines.settings import get_settings
from pipelines.warehouse import connect


def _scrubbed(text: str, config: ExportConfig) -> str:
    for dest in config.destinations.values():
        if dest.url:
            text = scrub(text, dest.url)
    return text


def export_segments(
    warehouse: Path,
    export_dir: Path,
    quality_dir: Path,
    as_of: date,
    run_id: str,
    *,
    config_path: Path,
    data_docs: bool = True,
    dry_run: bool = False,
    connection_password: ConnectionPassword | None = None,
    keep_days: int | None = None,
) -> ExportReport:
    """Write <export_dir>/<as_of>/<destination>/<segment>[.added|.removed].<ext> + manifest.json,
    send webhook changes, record the ledger, move `latest`. Raises QualityGateFailed (and
    writes and sends nothing) if a list fails a critical check. `keep_days`: day folders older
    than that (and than every baseline) are removed before the sweep (retention.py); None keeps all."""
    config = load_config(config_path)
    if not dry_run:  # before the read: the size gate's baseline must be in the ledger
        upgrade_ledger(warehouse, export_dir)
    snapshot = read_snapshot(warehouse, config.segment_names(), as_of)
    kept = audiences(snapshot)
    counts = audience_counts(snapshot, kept)
    snapshot.segments.clear()  # counted: only the eligible rows are gated and written
    if dry_run:
        with connect(warehouse, read_only=True) as con:
            baseline = baselines(con, pairs(config), as_of, [])
            deliveries = tuple(
                Delivery(n, s, d.full.height, d.added.height, d.removed.height, d.changed.height, d.unchanged)
                for n, _, s, d in plan(config, kept, snapshot.unsubscribed, baseline)
            )
        return ExportReport(as_of, run_id, counts, deliveries, None, dry_run=True)
    checks = gate(config, kept, snapshot.previous_sizes, quality_dir, run_id, data_docs, warehouse)

    day = as_of.isoformat()
    day_dir = confined(export_dir, day)
    done: list[Delivery] = []
    with connect(warehouse) as con:
        con.execute(f"set memory_limit = '{get_settings().export_memory_limit}'")  # validated pattern
        ledger.ensure(con)
        checks.save(con)  # the e-mail verdicts this gate needed anew
        erased = sorted(snapshot.erased.customer_ids)
        baseline = baselines(con, pairs(config), as_of, erased)  # before the erase: see baseline.py
        forgotten = erase(con, erased, as_of)
        # pipelines/forget rewrites the warehouse file after a run that deleted ledger rows
        con.execute("create table if not exists exports.forgotten (run_id varchar, rows bigint)")
        con.execute("insert into exports.forgotten values (?, ?)", [run_id, forgotten])
        remember(con, snapshot.requested)  # not the recalled: see read.Snapshot.requested
        sent = ledger.sent_keys(con)
        sweep_staging(export_dir)
        staged = staging_dir(export_dir, day)
        records = PendingMembers(export_dir, day)  # each pair's, on disk until the ledger's turn
        pruned: list[str] = []
        try:  # past retention first: a removed folder needs no sweep
            pruned = prune_expired(con, export_dir, as_of, keep_days, pairs(config))
            # earlier folders first: one that cannot be swept stops the export (fails closed)
            sweep(con, export_dir, snapshot.erased_tokens, day, snapshot.erased_digests)
            planned = plan(config, kept, snapshot.unsubscribed, baseline)
            for name, dest, segment, d in planned:
                files, batches = {}, 0
                if dest.type == "webhook":
                    on_sent = ledger.batch_recorder(con, name, segment, as_of, run_id)
                    batches = send_webhook(name, dest, segment, day, d, sent, on_sent, connection_password)
                else:
                    files = write_files(staged, name, dest, segment, d)
                done.append(
                    Delivery(name, segment, d.full.height, d.added.height, d.removed.height,
                             d.changed.height, d.unchanged, files, batches)
                )  # fmt: skip
                records.add(d.records)
                del d  # the next pair's rows are rendered only now (plan yields one at a time)
                kill_point("export:after_destination")
            write_manifest(staged, as_of, run_id, manifest_segments(counts, done))
            kill_point("export:before_swap")
            swap_in(staged, day_dir)
        except BaseException as error:
            shutil.rmtree(staged, ignore_errors=True)
            records.close()
            shown = _scrubbed(repr(error), config)
            for name, segment in pairs(config):
                ledger.record_run(con, ledger.run_row(run_id, as_of, name, segment, error=shown))
            if shown != repr(error):  # never let a URL's credentials reach the task log
                raise RuntimeError(shown) from None
            raise
        # the lists are written: free them before the ledger's transaction takes its memory
        del snapshot, kept, planned
        try:
            con.execute("begin transaction")
            sizes.record_sizes(con, run_id, as_of, counts)
            for delivery in done:
                run = ledger.run_row(run_id, as_of, delivery.destination, delivery.segment, delivery)
                ledger.record_success(con, run, records.pop())
            con.execute("commit")
        finally:
            records.close()
    advance_latest(export_dir, as_of)
    return ExportReport(as_of, run_id, counts, tuple(done), day_dir, pruned=tuple(pruned))
