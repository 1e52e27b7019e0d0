"""Predictive customer lifetime value: BG/NBD + Gamma-Gamma on the dbt summary (pipelines.clv.fit)."""

from pipelines.clv.fit import fit_clv

__all__ = ["fit_clv"]
