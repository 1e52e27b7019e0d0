"""Why a CLV fit cannot be made from the data at hand (the run goes on without CLV scores)."""


class NotEnoughData(ValueError):
    """Too few repeat buyers, or a fit without a finite answer (Gamma-Gamma q <= 1)."""
