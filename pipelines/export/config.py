"""destinations.yml: which segment goes to which tool, validated with pydantic.

Errors name the file and line of the offending value, because the person fixing a
typo in a campaign config reads YAML, not a pydantic location tuple.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from pipelines.export.secrets import url_problem
from pipelines.yaml_config import read_yaml, validate

# Names become folder and file names: this pattern is what keeps config out of `..`.
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,62}$")]
FILE_TYPES = ("generic_csv", "hubspot", "mailchimp", "klaviyo", "google_ads", "meta_ads", "parquet")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SegmentRef(Strict):
    name: Name
    priority: int | None = Field(None, ge=1)


class SegmentOptions(Strict):
    size_check: bool = True


class Destination(Strict):
    type: Literal[
        "generic_csv", "hubspot", "mailchimp", "klaviyo", "google_ads", "meta_ads", "parquet", "webhook"
    ]
    segments: list[SegmentRef] = Field(min_length=1)
    enabled: bool = True
    # output column -> segment column; ad platforms take none (their columns are fixed and hashed)
    fields: dict[str, Name] | None = None
    url: str | None = None
    token_env: str | None = None
    conn_id: str | None = None
    batch_size: int = Field(500, ge=1, le=10_000)
    timeout_seconds: float = Field(10.0, gt=0, le=300)
    max_attempts: int = Field(5, ge=1, le=10)
    backoff_seconds: float = Field(0.5, ge=0, le=60)

    @model_validator(mode="before")
    @classmethod
    def _segment_shorthand(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("segments"), list):
            refs = [{"name": s} if isinstance(s, str) else s for s in data["segments"]]
            data = {**data, "segments": refs}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> Destination:
        names = [s.name for s in self.segments]
        if len(set(names)) != len(names):
            raise ValueError(f"a segment is listed twice: {names}")
        if self.type in ("google_ads", "meta_ads") and self.fields:
            raise ValueError("ad platform files have fixed, hashed columns: remove `fields`")
        if self.type == "webhook":
            problem = url_problem(self.url)
            if problem:
                raise ValueError(problem)
            if self.token_env and self.conn_id:
                raise ValueError("give the token as `token_env` or `conn_id`, not both")
        return self


class ExportConfig(Strict):
    segments: dict[Name, SegmentOptions] = Field(default_factory=dict)
    destinations: dict[Name, Destination]

    def enabled(self) -> dict[str, Destination]:
        return {name: d for name, d in self.destinations.items() if d.enabled}

    def segment_names(self) -> list[str]:
        return sorted({s.name for d in self.enabled().values() for s in d.segments})

    def size_check(self, segment: str) -> bool:
        return self.segments.get(segment, SegmentOptions()).size_check


class ConfigError(ValueError):
    """destinations.yml is invalid; the message names each bad value's line."""


def load_config(path: Path) -> ExportConfig:
    data, node = read_yaml(path, ConfigError)
    if node is None or not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping with `destinations`")
    return validate(
        ExportConfig, data, node, path, ConfigError, heading="invalid export config:\n  ", sep="\n  "
    )
