"""Typed settings, read once from the environment (prefix RAPPORT_): every setting is here or in
memory.py (DuckDB's memory caps, which Settings inherits)."""

from __future__ import annotations

import os
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr
from pydantic_settings import SettingsConfigDict

from pipelines.settings.memory import MemoryCaps

REPO_ROOT = Path(__file__).resolve().parent.parent.parent


class Settings(MemoryCaps):
    # an empty variable (compose `${X:-}`, .env.example `X=`) means unset, never an empty key or code
    model_config = SettingsConfigDict(env_prefix="RAPPORT_", extra="ignore", env_ignore_empty=True)

    home: Path = Field(REPO_ROOT / ".rapport", description="root of all run state")
    landing_dir: Path | None = Field(None, description="landing folder; default <home>/landing")
    dbt_project_dir: Path = REPO_ROOT / "dbt_project"
    # dbt runs independent models side by side: one thread per core of this machine
    dbt_threads: int = Field(default_factory=lambda: os.cpu_count() or 2, ge=1)
    # Staging reads, types and checks an entity's new files this many bytes of landing data at a
    # time (pipelines/load/entity.py), so its memory is a chunk's, not the whole landing's
    stage_chunk_bytes: int = Field(256 * 2**20, ge=1)
    # forget_erased deletes the erased from every table at once; the rewrite of the warehouse file
    # that leaves none of their bytes in free blocks (~half of forget: 10+ minutes at 10M) may wait
    # this many days after the first run that owes it (as-of dates, like Delta Lake's VACUUM
    # retention). 0: the same run, as always. At most 30 (GDPR Art. 12(3): one month)
    forget_purge_days: int = Field(0, ge=0, le=30)
    expectations_dir: Path = REPO_ROOT / "expectations"
    destinations_file: Path = Field(
        REPO_ROOT / "config" / "destinations.yml", description="segment -> destination map"
    )
    # users' own export formats (pipelines/load/config.py); absent file = the contract as is
    landing_config: Path = Field(REPO_ROOT / "config" / "landing.yml", description="landing file formats")
    # a batch whose quarantine carries more than this share of a file's amount fails the run
    max_quarantined_value_share: float = Field(0.01, ge=0, le=1)
    # shop database source (pipelines/extract); unset = no extraction, landing files only.
    # Also read from Airflow's env-defined connection AIRFLOW_CONN_RAPPORT_SHOP_DB.
    shop_db_url: str | None = Field(
        None, validation_alias=AliasChoices("RAPPORT_SHOP_DB_URL", "AIRFLOW_CONN_RAPPORT_SHOP_DB")
    )
    shop_db_schema: str = "public"
    catchup: bool = Field(False, description="Airflow catchup of rapport_daily since its start_date")
    # Far in the past so a user's folder of any decade gets a real run (a logical date before
    # start_date runs no task). With catchup on, set it to the first day to replay.
    start_date: date = Field(date(1970, 1, 1), description="rapport_daily's start_date (UTC)")
    extract_lookback_hours: int = Field(48, ge=0, description="re-read rows this far behind the watermark")
    extract_connect_attempts: int = Field(3, ge=1)
    extract_retry_seconds: float = Field(2.0, ge=0)
    # dbt source freshness before the build, measured against the as-of date (not the clock)
    freshness_check: bool = True
    # a staged batch older than this belongs to a run that died before committing (load/guard.py)
    staged_batch_abandon_minutes: int = Field(120, ge=1)
    freshness_warn_hours: int = Field(72, ge=1)
    freshness_error_hours: int = Field(240, ge=1)
    # contact columns (email, names, phones, birthday) in serving/: plain | hashed (SHA-256) | dropped
    serving_pii: Literal["plain", "hashed", "dropped"] = "plain"
    # serving/rapport.duckdb: `tables` (a self-contained copy of every table, opens anywhere) or
    # `views` over the version's Parquet by absolute path (~60% less publish CPU at 1M; works only
    # where serving/ is seen at the path it was published under: pipelines/serve/views.py)
    serving_duckdb: Literal["tables", "views"] = "tables"
    # predictive CLV (pipelines/clv): yearly rate discounting the next 12 months' purchases
    clv_discount_rate: float = Field(0.10, ge=0, le=1, description="annual discount rate of clv_12m")
    clv_purchase_model: Literal["bg_nbd", "mbg_nbd"] = Field(
        "bg_nbd", description="mbg_nbd: one-time buyers may have left too (Batislam et al. 2007)"
    )
    # export day folders kept (exports/<day>/): older ones are removed by the export, never the
    # newest successful one before the run (its removals' baseline) nor `latest` (export/retention.py)
    export_keep_days: int = Field(14, ge=1, description="days of export folders kept before the as-of date")
    # HMAC key of the export ledger's erased-people hashes (pipelines/export/erased.py);
    # unset: a generated key file <home>/secrets/erasure.key (0600)
    erasure_key: SecretStr | None = None
    # failure alerts (pipelines/ops/alert.py): Slack-style webhook and/or mail
    alert_webhook_url: str | None = None
    alert_smtp_url: str | None = Field(None, description="smtp://user:password@host:port (smtps:// for TLS)")
    alert_email_to: str | None = None
    alert_email_from: str = "rapport@localhost"
    # the report's money: ISO 4217 code (default: the orders' own most common currency) and the
    # locale that groups its digits (default en_IN for INR, so 1,23,45,678; en otherwise)
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    money_locale: str | None = None

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

    @property
    def serving_dir(self) -> Path:
        """What BI tools read (pipelines/serve); the pipeline never holds these files open."""
        return self.home / "serving"


@lru_cache
def get_settings() -> Settings:
    return Settings()
