"""Demo-shop generator: realistic landing exports (and their ground truth) for rapport."""

from pipelines.generate.shop import generate_shop
from pipelines.generate.writer import GenerateSummary

__all__ = ["GenerateSummary", "generate_shop"]
