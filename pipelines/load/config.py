"""landing.yml: how a shop's own export files map onto the landing contract (pydantic).

Per entity: which files, which header is which contract column, and the text formats of the
file. Everything is optional; an absent file or entity means the contract as it is, plus
what the data decides by itself (pipelines/load/formats.py). Errors name file and line.
"""

from __future__ import annotations

import zoneinfo
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pipelines.contract import ENTITIES
from pipelines.yaml_config import read_yaml, validate


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class EntityFormat(Strict):
    files: str | None = Field(None, description="glob under the landing folder, e.g. 'exports/orders_*.csv'")
    columns: dict[str, str] = Field(default_factory=dict, description="file header -> contract column")
    delimiter: str | None = Field(None, min_length=1, max_length=1)
    quote: str | None = Field(None, min_length=1, max_length=1)
    encoding: Literal["utf-8", "utf-16", "latin-1"] = "utf-8"
    date_formats: list[str] = Field(default_factory=list, description="strptime formats, tried in order")
    timezone: str = Field("UTC", description="zone of timestamps written without an offset")
    decimal_separator: Literal[".", ","] | None = None
    thousands_separator: Literal[",", ".", " ", "'", ""] | None = None
    currency_symbols: list[str] | None = Field(None, description="stripped from amounts")
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$", description="ISO 4217 code of the amounts")

    @field_validator("timezone")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value not in zoneinfo.available_timezones() and value != "UTC":
            raise ValueError(f"unknown time zone {value!r} (e.g. 'Asia/Kolkata')")
        return value

    @model_validator(mode="after")
    def _separators(self) -> EntityFormat:
        if self.decimal_separator and self.decimal_separator == self.thousands_separator:
            raise ValueError("decimal_separator and thousands_separator must differ")
        return self


class LandingConfig(Strict):
    entities: dict[str, EntityFormat] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _known(self) -> LandingConfig:
        for entity, fmt in self.entities.items():
            if entity not in ENTITIES:
                raise ValueError(f"unknown entity {entity!r} (one of {', '.join(ENTITIES)})")
            wrong = sorted(set(fmt.columns.values()) - set(ENTITIES[entity].column_names))
            if wrong:
                raise ValueError(f"{entity}.columns maps onto unknown contract column(s) {wrong}")
        return self

    def of(self, entity: str) -> EntityFormat | None:
        return self.entities.get(entity)


class LandingConfigError(ValueError):
    """landing.yml is invalid; the message names each bad value's line."""


def load_landing_config(path: Path) -> LandingConfig:
    """The config at `path`, or the contract's defaults when there is no such file."""
    if not path.exists():
        return LandingConfig()
    data, node = read_yaml(path, LandingConfigError)
    if node is None or data is None:
        return LandingConfig()
    if not isinstance(data, dict):
        raise LandingConfigError(f"{path}:1: expected a mapping with `entities`")
    return validate(
        LandingConfig, data, node, path, LandingConfigError,
        heading="invalid landing config: ", sep="; ", root="entities",
    )  # fmt: skip
