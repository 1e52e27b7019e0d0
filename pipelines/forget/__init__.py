"""Erasure reaches everything rapport keeps under RAPPORT_HOME (see forget.py)."""

from pipelines.forget.forget import forget_erased

__all__ = ["forget_erased"]
