# The two commands: `make run` (everything up on demo data) and `make test` (the whole suite).
PYTHON   ?= python3
VENV     := .venv
BIN      := $(VENV)/bin
STAMP    := $(VENV)/.installed
# GraphiQL, React and Cytoscape.js at the versions web/package-lock.json pins, copied into the package.
VENDOR   := src/carkg/web/static/vendor/versions.json
CHROMIUM ?= /usr/bin/chromium

.PHONY: run test install lint browser screenshots bench-load soak clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

$(VENDOR): web/package.json web/package-lock.json web/vendor.mjs
	cd web && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	node web/vendor.mjs

install: $(STAMP) $(VENDOR)

## The browser tests drive Debian's chromium (Playwright's own browser download is not used).
browser:
	@test -x $(CHROMIUM) || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
	  { apt-get install -y -q chromium >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null; }; }; } || \
	  { echo "chromium not found at $(CHROMIUM): install Debian's 'chromium' package (or set CHROMIUM=/path)"; exit 1; }

## Command 1: local Neo4j up, demo generated and loaded, GraphQL + Neo4j Browser serving.
run: install
	$(BIN)/carkg up

## Command 2: lint + the whole test suite against a real Neo4j with GDS (browser tests included).
test: install browser
	$(BIN)/ruff check src tests
	CARKG_CHROMIUM=$(CHROMIUM) $(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests

## The pages' screenshots in docs/img/ (the browser tests, writing what they see); CJK fonts for the names.
screenshots: install browser
	@fc-list :lang=zh | grep -q . || { [ "$$(id -u)" = 0 ] && apt-get install -y -q fonts-noto-cjk >/dev/null; } || \
	  echo "no Chinese font: names will show as boxes (install Debian's fonts-noto-cjk)"
	CARKG_CHROMIUM=$(CHROMIUM) CARKG_SCREENSHOTS=docs/img $(BIN)/pytest -q tests/test_web_browser.py

## 50 clients for 10 minutes: reads, tag writes, events and a One ID run; errors, p99 drift, API memory.
soak: $(STAMP)
	mkdir -p .carkg && flock .carkg/bench.lock $(BIN)/carkg bench soak --clients 50 --minutes 10

bench-load: $(STAMP)
	$(BIN)/carkg bench load --customers 100000

clean:
	-$(BIN)/carkg neo4j stop
	rm -rf $(VENV) .carkg web/node_modules src/carkg/web/static/vendor
