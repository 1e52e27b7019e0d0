"""Demo-shop generator: realistic landing exports (and their ground truth) for rapport."""

from pipelines.generate.shop import GenerateSummary, generate_shop

__all__ = ["GenerateSummary", "generate_shop"]
