"""What wires the `pipelines` package to Airflow: the local DAG runner, the UI, connections, and
the `rapport` executable (the package's CLI plus `run` and `ui`).

`pipelines` never imports this package nor Airflow; this package and `dags/` import `pipelines`.
"""
