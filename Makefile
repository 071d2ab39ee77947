# The two commands: `make run` (everything up on demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test install lint bench-load clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

## Command 1: local Neo4j up, demo generated and loaded, GraphQL + Neo4j Browser serving.
run: $(STAMP)
	$(BIN)/carkg up

## Command 2: lint + the whole test suite against a real Neo4j with GDS.
test: $(STAMP)
	$(BIN)/ruff check src tests
	$(BIN)/pytest -q

lint: $(STAMP)
	$(BIN)/ruff check src tests

bench-load: $(STAMP)
	$(BIN)/carkg bench load --customers 100000

clean:
	-$(BIN)/carkg neo4j stop
	rm -rf $(VENV) .carkg
