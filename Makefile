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

.PHONY: help setup run test lint bench clean

help:  ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(CURDIR)/.tools/bin/uv:
	python3 -m venv $(CURDIR)/.tools && $(CURDIR)/.tools/bin/pip install --quiet uv

.venv/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	touch $@

setup: .venv/.synced  ## install everything from uv.lock

run: setup  ## generate a demo shop (or use LANDING=DIR) and run the Airflow DAG end to end
ifeq ($(LANDING),)
	$(RAPPORT) generate --customers $(CUSTOMERS) --seed $(SEED) --dirty-rate $(DIRTY_RATE) --out $(RAPPORT_HOME)/landing
	$(RAPPORT) run --landing $(RAPPORT_HOME)/landing $(if $(AS_OF),--as-of $(AS_OF))
else
	$(RAPPORT) run --landing $(LANDING) $(if $(AS_OF),--as-of $(AS_OF))
endif

lint: setup  ## ruff and mypy
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .
	$(UV) run --frozen mypy

test: setup lint  ## install and run the whole test suite
	$(UV) run --frozen pytest -q -p no:cacheprovider

bench: setup  ## stage timings and peak memory (CUSTOMERS=100000)
	$(UV) run --frozen python benchmarks/pipeline_scale.py --customers $(CUSTOMERS)

clean:  ## remove run state (warehouse, exports, airflow home)
	rm -rf $(RAPPORT_HOME)
