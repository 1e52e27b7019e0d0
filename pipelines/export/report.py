"""What an export run did (or, dry, would do), per segment and destination."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path


@dataclass(frozen=True)
class Audience:
    segment: str
    rows_in: int
    rows_eligible: int  # consenting, not suppressed, not erased

    @property
    def rows_excluded(self) -> int:
        return self.rows_in - self.rows_eligible


@dataclass(frozen=True)
class Delivery:
    destination: str
    segment: str
    total: int
    added: int
    removed: int
    changed: int
    unchanged: int
    files: dict[str, str] = field(default_factory=dict)  # path under the day folder -> sha256
    batches_sent: int = 0


@dataclass(frozen=True)
class ExportReport:
    as_of: date
    run_id: str
    audiences: tuple[Audience, ...]
    deliveries: tuple[Delivery, ...]
    day_dir: Path | None  # None for a dry run
    dry_run: bool = False
    pruned: tuple[str, ...] = ()  # day folders removed by retention (retention.py)

    def delivery(self, destination: str, segment: str) -> Delivery:
        return next(d for d in self.deliveries if (d.destination, d.segment) == (destination, segment))

    def lines(self) -> list[str]:
        verb = "dry run (nothing written or sent)" if self.dry_run else f"-> {self.day_dir}"
        lines = [f"export {self.as_of.isoformat()} (run {self.run_id}) {verb}"]
        lines += [
            f"  {a.segment}: {a.rows_in} in, {a.rows_excluded} excluded (consent, suppression,"
            f" erasure), {a.rows_eligible} eligible"
            for a in self.audiences
        ]
        lines += [
            f"  {d.destination}/{d.segment}: add {d.added}, remove {d.removed}, keep {d.unchanged}"
            f" (+{d.changed} changed), total {d.total}"
            + (f", {d.batches_sent} batches sent" if d.batches_sent else "")
            for d in self.deliveries
        ]
        if self.pruned:
            lines.append(f"  removed day folders past retention: {', '.join(self.pruned)}")
        return lines
