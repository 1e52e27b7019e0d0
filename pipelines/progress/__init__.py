"""What a run is doing, as it happens: tasks write one JSON record per event, the CLI shows them.

The records go to the file named by RAPPORT_PROGRESS_FILE (set by `rapport run`); without it
nothing is written, so the stages behave the same under a production scheduler.
"""

from pipelines.progress.record import note, reported

__all__ = ["note", "reported"]
