# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi.py

.PHONY: run test setup dev-setup db check lint clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.txt | $(BIN)/activate
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

setup: $(VENV)/.runtime

dev-setup: $(VENV)/.dev

db: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask forces sync
	@if $(BIN)/flask content --help >/dev/null 2>&1; then $(BIN)/flask content sync; fi
	$(BIN)/flask demo load

## make run: set up everything and serve on http://127.0.0.1:$(PORT) with SQLite
run: db
	@echo ""
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	$(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## make test: the whole suite (browser tests run when Chromium is installed)
test: dev-setup
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: dev-setup
	$(BIN)/ruff check .

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis
