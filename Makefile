# Every target sets itself up: a fresh clone needs only `make demo` or `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= data/autodiag.duckdb

.PHONY: demo test test-rapide lint install chromium a11y-tools bench clean

install: $(STAMP)

# uv with compiled bytecode: imports stay fast (PYTHONDONTWRITEBYTECODE is set here).
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q uv==0.13.9
	UV_COMPILE_BYTECODE=1 $(BIN)/uv pip install -q --python $(BIN)/python -r requirements.lock
	UV_COMPILE_BYTECODE=1 $(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	# rfc3987-syntax, an optional jsonschema extra: importing it costs ~1.4 s at every notebook kernel start.
	$(BIN)/uv pip uninstall -q --python $(BIN)/python rfc3987-syntax || true
	touch $(STAMP)

# Debian's chromium: headless browser checks and PDF export (no browser download possible here);
# its chromedriver (selenium drives it for axe-core) and a Java runtime (the Nu HTML Checker).
chromium:
# The lock timeout lets two checkouts set up side by side wait for each other instead of failing.
	@(command -v chromium && command -v chromedriver && command -v java) >/dev/null || \
		(apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium chromium-driver default-jre-headless >/dev/null)

# The accessibility checkers, pinned in package-lock.json: axe-core and the Nu HTML Checker (vnu-jar).
# --ignore-scripts: vnu-jar's install script would fetch a Java runtime; Debian's is used instead.
a11y-tools: node_modules/.installed

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $@

demo: install chromium
	$(BIN)/autodiag demo

test: install chromium a11y-tools
	$(BIN)/python -m pytest -q

# The tests not marked `lent` in tests/conftest.py (no site build, notebook, Chromium, property
# test, process killing or big input), on 2 pytest-xdist workers: about 2 minutes on 2 cores.
# A short temporary folder of its own: a worker's tmp_path gains "popen-gwN/", and a test that
# reads a tmp_path back from an 80-column message would see it cut otherwise.
test-rapide: install
	@base=$$(mktemp -d /tmp/ar-XXXXXX); \
	$(BIN)/python -m pytest -q -m "not lent" -n 2 --basetemp=$$base; status=$$?; \
	rm -rf $$base; exit $$status

# Python: ruff (pyproject.toml [tool.ruff]); SQL: sqlfluff (.sqlfluff). All three run, then
# the target fails if any of them did.
lint: install
	@status=0; \
	$(BIN)/ruff check src tests benchmarks || status=1; \
	$(BIN)/ruff format --check src tests benchmarks || status=1; \
	$(BIN)/sqlfluff lint sql || status=1; \
	exit $$status

bench: install
	$(BIN)/python benchmarks/bench_ingest.py

clean:
	rm -rf outputs/* $(DB) $(DB).wal data/demo data/demo-plans data/demo-opendata data/*-qualite.csv
