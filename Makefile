# rapport: `make run` (demo end to end) and `make test` (whole suite) each do all set-up.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export RAPPORT_HOME ?= $(CURDIR)/.rapport
export GX_ANALYTICS_ENABLED := false
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
CUSTOMERS ?= 5000
SEED ?= 42
DIRTY_RATE ?= 0
LANDING ?=
AS_OF ?=

UV := $(or $(shell command -v uv 2>/dev/null),$(CURDIR)/.tools/bin/uv)
RAPPORT := $(UV) run --frozen rapport

.PHONY: help setup run ui test test-fast test-deps postgres-server lint bench spark clean

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(CURDIR)/.tools/bin/uv:
	python3 -m venv $(CURDIR)/.tools && $(CURDIR)/.tools/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --compile-bytecode  # .pyc once: PYTHONDONTWRITEBYTECODE would recompile every import per process
	touch $@

setup: .venv/.synced  ## install everything from uv.lock

run: setup  ## generate a demo shop (or use LANDING=DIR) and run the Airflow DAG end to end
ifeq ($(LANDING),)
	$(RAPPORT) generate --customers $(CUSTOMERS) --seed $(SEED) --dirty-rate $(DIRTY_RATE) --out $(RAPPORT_HOME)/landing
	$(RAPPORT) run --landing $(RAPPORT_HOME)/landing $(if $(AS_OF),--as-of $(AS_OF))
else
	$(RAPPORT) run --landing $(LANDING) $(if $(AS_OF),--as-of $(AS_OF))
endif

ui: setup  ## Airflow's web UI over this project's runs (prints the login; Ctrl-C stops it)
	$(RAPPORT) ui

lint: setup  ## ruff, mypy and sqlfluff (dbt models, rendered by dbt against an empty warehouse)
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy
	lintdir=$$(mktemp -d) && RAPPORT_WAREHOUSE_PATH=$$lintdir/lint.duckdb RAPPORT_AS_OF_DATE=2024-07-01 \
		$(UV) run --frozen sqlfluff lint dbt_project/models --processes 1; rc=$$?; rm -rf $$lintdir; exit $$rc

# An old DuckDB client (what many BI drivers bundle) opens the serving file in tests/serve.
OLD_DUCKDB := $(CURDIR)/.tools/duckdb-1.1.3/bin/python
$(OLD_DUCKDB):
	python3 -m venv $(CURDIR)/.tools/duckdb-1.1.3 && $(CURDIR)/.tools/duckdb-1.1.3/bin/pip install --quiet duckdb==1.1.3

# Headless Chromium renders the HTML report in tests/report (Debian package; needs root or sudo).
/usr/bin/chromium:
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

# PostgreSQL server binaries for the shop-database tests (started on loopback by the tests themselves).
postgres-server:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
		(apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql)

test-deps: $(OLD_DUCKDB) /usr/bin/chromium postgres-server  ## tools the tests drive: DuckDB 1.1.3, Chromium, PostgreSQL

# One pytest worker per core; a test file stays on one worker so its fixtures (a DAG run, a
# PostgreSQL server) are built once, and the files reading the shared DAG run share a worker.
# Groups go out slowest first, in the order tests/conftest.py gives them (no xdist reordering).
# The slowest tests are listed at the end of the run.
TEST_WORKERS ?= 2
PYTEST_ARGS := -q -p no:cacheprovider -n $(TEST_WORKERS) --dist loadfile \
	--no-loadscope-reorder --durations=12
# The Spark tests run here too: the optional uv group `spark` (pyspark[connect], dbt-spark) is
# installed first. `connect` is not for Spark Connect: GX imports pyspark.sql.connect whenever
# pyspark is installed, and without grpcio-status/zstandard pyspark's check_dependencies calls
# sys.exit(0) in any process whose __main__ has no __file__ -- an xdist worker -- killing it.
test: setup lint test-deps  ## install and run the whole test suite (what CI runs), Spark tests included
	$(UV) sync --frozen --compile-bytecode --group spark
	$(UV) run --frozen --group spark pytest $(PYTEST_ARGS)

# The edit-test loop: everything but the tests marked e2e (those that run the real DAG or a whole
# pipeline), which `make test` still runs.
test-fast: setup lint test-deps  ## lint and every test but the end-to-end DAG runs
	$(UV) run --frozen pytest $(PYTEST_ARGS) -m "not e2e"

bench: setup  ## stage timings and peak memory (CUSTOMERS=100000)
	$(UV) run --frozen python benchmarks/pipeline_scale.py --customers $(CUSTOMERS)

# The same dbt project on Spark (issue 18): the optional uv group `spark` (pyspark, dbt-spark),
# a tiny generated shop loaded by DuckDB's loader and by Spark itself (raw tables compared), built on
# DuckDB and on Spark (in-process, local[2], 4g) in the DAG's order
# (dbt build, CLV fit, CLV models, exports), compared per model, fit table and export file;
# then every model compiled on Spark (tests/dbt/test_spark_compile.py, skipped without the group).
SPARK_CUSTOMERS ?= 50
spark: setup  ## build a tiny shop on DuckDB and on Spark (CLV, exports), compare all (SPARK_CUSTOMERS=50)
	$(UV) sync --frozen --compile-bytecode --group spark
	nice -n 19 $(UV) run --frozen --group spark python scripts/spark_build.py \
		--customers $(SPARK_CUSTOMERS) --out $(RAPPORT_HOME)/spark
	nice -n 19 $(UV) run --frozen --group spark pytest -q -p no:cacheprovider tests/dbt/test_spark_compile.py

clean:  ## remove run state (warehouse, exports, airflow home)
	rm -rf $(RAPPORT_HOME)
