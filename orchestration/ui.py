"""`rapport ui` / `make ui`: Airflow's web UI over this project's AIRFLOW_HOME, with the login.

The DAG runs locally through `airflow dags test`, which records runs and task logs in the
project-local metadata DB; the API server alone serves them, no scheduler needed. Airflow's
simple auth manager writes the generated admin password into AIRFLOW_HOME on start-up.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from orchestration.local_airflow import airflow_env
from pipelines.settings import Settings


def _login(password_file: Path, wait_seconds: float) -> str:
    deadline = time.monotonic() + wait_seconds
    while time.monotonic() < deadline:
        try:
            users = json.loads(password_file.read_text())
            return ", ".join(f"{user} / {password}" for user, password in users.items())
        except (OSError, ValueError):
            time.sleep(0.5)
    return f"see {password_file} once the server has started"


def serve_ui(settings: Settings, port: int, say: Callable[[str], None]) -> int:
    """Start the API server in the foreground until Ctrl-C; returns its exit code."""
    env = airflow_env(settings)
    home = Path(env["AIRFLOW_HOME"])
    exe = str(Path(sys.executable).with_name("airflow"))
    if not (home / "airflow.db").exists():
        subprocess.run([exe, "db", "migrate"], env=env, check=True, capture_output=True)
    subprocess.run([exe, "dags", "reserialize"], env=env, check=False, capture_output=True)
    server = subprocess.Popen([exe, "api-server", "--port", str(port), "--host", "127.0.0.1"], env=env)
    login = _login(home / "simple_auth_manager_passwords.json.generated", wait_seconds=60)
    say(f"Airflow UI: http://localhost:{port}   login: {login}   (AIRFLOW_HOME {home}; Ctrl-C stops it)")
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return server.wait()
