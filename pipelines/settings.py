"""Typed settings, read once from the environment (prefix RAPPORT_)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="RAPPORT_", extra="ignore")

    home: Path = Field(REPO_ROOT / ".rapport", description="root of all run state")
    landing_dir: Path | None = Field(None, description="landing folder; default <home>/landing")
    dbt_project_dir: Path = REPO_ROOT / "dbt_project"
    dbt_threads: int = 2
    expectations_dir: Path = REPO_ROOT / "expectations"

    @property
    def landing(self) -> Path:
        return self.landing_dir or self.home / "landing"

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def export_dir(self) -> Path:
        return self.home / "exports"

    @property
    def quality_dir(self) -> Path:
        return self.home / "quality"


@lru_cache
def get_settings() -> Settings:
    return Settings()
