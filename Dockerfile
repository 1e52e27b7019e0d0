# rapport on the official Airflow 3 image: the DAGs, the pipelines and orchestration packages and their pinned
# dependencies (uv.lock, Airflow itself excluded: the image provides it).
FROM apache/airflow:3.3.2-python3.11

USER root
RUN apt-get update \
 && apt-get install -y --no-install-recommends git \
 && rm -rf /var/lib/apt/lists/*
USER airflow

WORKDIR /opt/rapport
COPY --chown=airflow:root pyproject.toml uv.lock README.md ./
COPY --chown=airflow:root pipelines ./pipelines
COPY --chown=airflow:root orchestration ./orchestration
RUN pip install --no-cache-dir uv==0.9.* \
 && uv export --frozen --no-dev --no-emit-project --no-hashes \
      --no-emit-package apache-airflow -o /tmp/requirements.txt \
 && pip install --no-cache-dir -r /tmp/requirements.txt \
 && pip install --no-cache-dir --no-deps .
COPY --chown=airflow:root dags ./dags
COPY --chown=airflow:root dbt_project ./dbt_project
COPY --chown=airflow:root expectations ./expectations
COPY --chown=airflow:root config ./config

ENV RAPPORT_HOME=/opt/rapport/state \
    RAPPORT_DBT_PROJECT_DIR=/opt/rapport/dbt_project \
    RAPPORT_EXPECTATIONS_DIR=/opt/rapport/expectations \
    AIRFLOW__CORE__DAGS_FOLDER=/opt/rapport/dags \
    GX_ANALYTICS_ENABLED=false \
    DBT_SEND_ANONYMOUS_USAGE_STATS=false
