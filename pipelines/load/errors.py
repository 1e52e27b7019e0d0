"""The one way a whole batch fails: the file cannot be loaded as a table at all."""

from __future__ import annotations


class BatchRejected(Exception):
    """A landing file breaks a batch-level rule; nothing of the batch is staged."""

    def __init__(self, source_file: str, rule: str) -> None:
        super().__init__(f"{source_file}: {rule}")
        self.source_file = source_file
        self.rule = rule
