"""What would break `docker compose up`, checked without a Docker engine (none runs here)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipelines.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
SERVICES: dict[str, Any] = COMPOSE["services"]
AIRFLOW = {name: s for name, s in SERVICES.items() if name.startswith("airflow-")}
DOCKERFILE = (ROOT / "Dockerfile").read_text()
ENV_EXAMPLE = dict(
    line.split("=", 1)
    for line in (ROOT / ".env.example").read_text().splitlines()
    if re.match(r"^[A-Z_]+=", line)
)


def _bind_sources() -> list[str]:
    volumes = [v for s in SERVICES.values() for v in s.get("volumes", [])]
    return [v.split(":")[0] for v in volumes if v.startswith((".", "/"))]


def test_every_mounted_path_and_copied_file_exists() -> None:
    sources = _bind_sources()
    assert sources, "the DAGs and dbt project are mounted from the repo"
    assert [p for p in sources if not (ROOT / p).exists()] == []
    named = {v.split(":")[0] for s in SERVICES.values() for v in s.get("volumes", []) if v[0] not in "./$"}
    assert named <= set(COMPOSE["volumes"]), "every named volume is declared"
    copied = [
        part
        for line in DOCKERFILE.splitlines()
        if line.startswith("COPY")
        for part in line.split()[1:-1]
        if not part.startswith("--")
    ]
    assert "uv.lock" in copied and [p for p in copied if not (ROOT / p).exists()] == []
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert not set(copied) & set(ignored), "a copied path must not be docker-ignored"


def test_every_service_has_a_health_check() -> None:
    assert [name for name, s in SERVICES.items() if "test" not in s.get("healthcheck", {})] == []
    assert "/api/v2/monitor/health" in str(SERVICES["airflow-apiserver"]["healthcheck"]["test"])


def test_airflow_services_share_one_image_one_secret_and_the_execution_api() -> None:
    assert set(AIRFLOW) >= {
        f"airflow-{x}" for x in ("init", "apiserver", "scheduler", "dag-processor", "triggerer")
    }
    assert {s["image"] for s in AIRFLOW.values()} == {"rapport-airflow:latest"}
    envs = [s["environment"] for s in AIRFLOW.values()]
    for key in ("AIRFLOW__API_AUTH__JWT_SECRET", "AIRFLOW__CORE__EXECUTION_API_SERVER_URL",
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "AIRFLOW__CORE__EXECUTOR"):  # fmt: skip
        assert len({e[key] for e in envs}) == 1, key
    assert envs[0]["AIRFLOW__CORE__EXECUTOR"] == "LocalExecutor"
    assert envs[0]["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"].startswith("http://airflow-apiserver:8080/")
    commands = {name: s.get("command") for name, s in AIRFLOW.items()}
    assert (
        commands["airflow-apiserver"] == "api-server" and commands["airflow-dag-processor"] == "dag-processor"
    )
    assert "airflow db migrate" in "".join(commands["airflow-init"])


def test_the_init_job_runs_before_every_other_airflow_service() -> None:
    for name, service in AIRFLOW.items():
        needs = service["depends_on"]
        assert needs["metadata-db"]["condition"] == "service_healthy", name
        if name != "airflow-init":
            assert needs["airflow-init"]["condition"] == "service_completed_successfully", name


def test_host_ports_do_not_collide() -> None:
    published = [
        re.sub(r"\$\{[A-Z_]+:-(\d+)\}", r"\1", p).rsplit(":", 1)[0].split(":")[-1]
        for s in SERVICES.values()
        for p in s.get("ports", [])
    ]
    assert published and len(published) == len(set(published))


def _settings_env() -> set[str]:
    names = set()
    for name, field in Settings.model_fields.items():
        alias = field.validation_alias
        names |= set(getattr(alias, "choices", [])) if alias else {f"RAPPORT_{name.upper()}"}
    return names


def test_environment_variables_are_the_settings_the_code_reads() -> None:
    compose_env = {k for s in SERVICES.values() for k in s.get("environment", {}) if k.startswith("RAPPORT_")}
    example_env = {k for k in ENV_EXAMPLE if k.startswith("RAPPORT_")} - {
        "RAPPORT_LANDING_HOST_DIR",
        "RAPPORT_EXPORT_HOST_DIR",
    }
    known = _settings_env()
    assert compose_env - known == set(), "compose sets a variable no setting reads"
    assert example_env - known == set(), ".env.example documents a variable no setting reads"
    assert {f"RAPPORT_{n.upper()}" for n in ("shop_db_url", "freshness_check", "alert_webhook_url")} <= (
        compose_env | {"RAPPORT_SHOP_DB_URL"}
    )
    unconfigurable = known - compose_env - {"AIRFLOW_CONN_RAPPORT_SHOP_DB"}
    assert unconfigurable == set(), "every setting can be set in the stack"


@pytest.mark.parametrize("key", ["AIRFLOW_JWT_SECRET", "AIRFLOW_ADMIN_PASSWORD", "METADATA_DB_PASSWORD"])
def test_no_secret_is_committed_and_each_is_required(key: str) -> None:
    assert ENV_EXAMPLE[key] == ""
    assert f"${{{key}:?" in (ROOT / "docker-compose.yml").read_text().replace("$${", "${")


def test_the_image_is_the_airflow_version_the_lock_pins() -> None:
    assert DOCKERFILE.count("FROM ") == 1 and "FROM apache/airflow:3.3.2-python3.11" in DOCKERFILE
    lock = (ROOT / "uv.lock").read_text()
    pinned = re.search(r'name = "apache-airflow"\nversion = "([^"]+)"', lock)
    assert pinned and pinned.group(1) == "3.3.2"
    assert "--frozen" in DOCKERFILE and "--no-emit-package apache-airflow" in DOCKERFILE


def _expand(value: str) -> str:
    """${VAR:-default} as compose resolves it from .env.example."""
    return re.sub(
        r"\$\{([A-Z_]+)(?::-([^}]*))?\}", lambda m: ENV_EXAMPLE.get(m.group(1)) or m.group(2) or "", value
    )


def test_the_host_folders_of_env_example_are_the_ones_mounted() -> None:
    volumes = [str(v) for v in SERVICES["airflow-scheduler"]["volumes"]]
    for key, target in (
        ("RAPPORT_LANDING_HOST_DIR", "/opt/rapport/landing"),
        ("RAPPORT_EXPORT_HOST_DIR", "/opt/rapport/state/exports"),
    ):
        mount = next(v for v in volumes if v.endswith(f":{target}"))
        assert mount.startswith(f"${{{key}:-"), f"{target} is not mounted from {key}"
        assert (ROOT / _expand(mount.rsplit(":", 1)[0])).is_dir()


def test_the_passwords_file_airflow_init_writes_is_on_a_volume_the_api_server_reads() -> None:
    env = SERVICES["airflow-apiserver"]["environment"]
    path = env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"]
    assert path in "\n".join(SERVICES["airflow-init"]["command"])
    folder = str(Path(path).parent)
    for service in ("airflow-init", "airflow-apiserver"):
        named = [v for v in SERVICES[service]["volumes"] if v.endswith(f":{folder}")]
        assert named and named[0].split(":")[0] in COMPOSE["volumes"], f"{service} does not share {folder}"


def test_alert_links_use_the_configured_base_url() -> None:
    for service in AIRFLOW.values():
        assert (
            service["environment"]["AIRFLOW__API__BASE_URL"] == "${AIRFLOW_BASE_URL:-http://localhost:8080}"
        )
    assert ENV_EXAMPLE["AIRFLOW_BASE_URL"].startswith("http")


def test_the_metadata_db_driver_is_in_the_lock() -> None:
    assert (
        "postgresql+psycopg2://"
        in SERVICES["airflow-init"]["environment"]["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"]
    )
    lock = (ROOT / "uv.lock").read_text()
    assert re.search(r'name = "psycopg2-binary"\nversion = "2\.', lock)  # Airflow's sync engine
    assert re.search(r'name = "asyncpg"\nversion = "0\.', lock)  # and its async one (3.x needs both)
