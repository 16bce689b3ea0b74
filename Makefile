# The two commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
export FLASK_APP := wsgi.py

.PHONY: run test coverage setup dev-setup load-setup lock db check lint clean browser-deps screenshots frontend translations

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Installs come from the lock files only, every file checked against its hash (--require-hashes).
$(VENV)/.runtime: requirements.lock | $(BIN)/activate
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev: requirements-dev.lock | $(BIN)/activate
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.runtime

$(VENV)/.load: requirements-load.lock $(VENV)/.dev
	$(BIN)/pip install --quiet --require-hashes -r requirements-load.lock
	touch $@

setup: $(VENV)/.runtime

dev-setup: $(VENV)/.dev

## make load-setup: add the load-test tools (locust) for bench/load/ and the CI fault runs
load-setup: $(VENV)/.load

## make lock: regenerate the hashed lock files from requirements*.txt (after changing a pin there).
## Each lock is constrained by the one before, so a package has one version in all three.
LOCK := $(BIN)/uv pip compile --quiet --generate-hashes --python-version 3.11 --custom-compile-command "make lock"
lock: dev-setup
	$(LOCK) requirements.txt -o requirements.lock
	$(LOCK) requirements-dev.txt -c requirements.lock -o requirements-dev.lock
	$(LOCK) requirements-load.txt -c requirements-dev.lock -o requirements-load.lock

db: setup
	$(BIN)/flask db upgrade
	$(BIN)/flask forces sync
	@if $(BIN)/flask content --help >/dev/null 2>&1; then $(BIN)/flask content sync; fi
	$(BIN)/flask demo load --scale sample

## make run: set up everything and serve on http://127.0.0.1:$(PORT) with SQLite; the mail worker
## (flask queue worker, queue in instance/queue.sqlite3) runs beside it and stops with it
run: db
	@echo ""
	@echo "Serving on http://127.0.0.1:$(PORT)  (Ctrl+C to stop; the mail worker stops with it)"
	@PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/flask queue worker & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://127.0.0.1:$(PORT)} $(BIN)/flask run --host 127.0.0.1 --port $(PORT)

## make test: the whole suite (browser tests run when Chromium is installed), on two pytest-xdist
## processes (TEST_WORKERS=0 for one): each test module goes to one worker, and every browser test
## to the same worker (tests/conftest.py pytest_xdist_make_scheduler). The slowest 15 tests are
## listed at the end.
## make coverage: the same suite, then line coverage of app/ per module (pytest-cov; files at 100%
## left out). Coverage is a hint: no minimum is enforced. Measuring it makes the run about 1.6x
## slower on Python 3.11, which is why `make test` leaves it out.
TEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest $(if $(filter-out 0,$(TEST_WORKERS)),-n $(TEST_WORKERS))
test: dev-setup browser-deps
	$(PYTEST) --durations=15 $(PYTEST_ARGS)

coverage: dev-setup browser-deps
	$(PYTEST) --cov --cov-report=term:skip-covered $(PYTEST_ARGS)

## make frontend: rebuild app/static/govuk/ from GOV.UK Frontend (versions pinned in
## frontend/package-lock.json) with Dart Sass; needs npm. The built files are committed, so
## `make run` and `make test` never need it; run it after changing frontend/ and commit the result.
GOVUK_FRONTEND_VERSION := 6.6.0
GOVUK_STATIC := app/static/govuk
frontend:
	npm ci --prefix frontend --no-audit --no-fund
	@installed=$$(node -p "require('./frontend/node_modules/govuk-frontend/package.json').version"); \
	  if [ "$$installed" != "$(GOVUK_FRONTEND_VERSION)" ]; then \
	    echo "govuk-frontend $$installed installed, Makefile names $(GOVUK_FRONTEND_VERSION)"; exit 1; fi
	mkdir -p $(GOVUK_STATIC)
	rm -f $(GOVUK_STATIC)/govuk-frontend-*.min.css $(GOVUK_STATIC)/govuk-frontend-*.min.js $(GOVUK_STATIC)/init-*.js
	frontend/node_modules/.bin/sass --no-source-map --style=compressed --load-path=frontend/node_modules \
	  frontend/app.scss $(GOVUK_STATIC)/govuk-frontend-$(GOVUK_FRONTEND_VERSION).min.css
	sed '/^\/\/# sourceMappingURL=/d; s|//# sourceMappingURL=[^ ]*$$||' \
	  frontend/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js \
	  > $(GOVUK_STATIC)/govuk-frontend-$(GOVUK_FRONTEND_VERSION).min.js
	printf '%s\n' '// Written by make frontend: starts every GOV.UK Frontend component on the page.' \
	  'import { initAll } from "./govuk-frontend-$(GOVUK_FRONTEND_VERSION).min.js";' \
	  '' 'initAll();' > $(GOVUK_STATIC)/init-$(GOVUK_FRONTEND_VERSION).js

# axe-core for the browser tests, when Chromium and npm are there (otherwise they are skipped).
browser-deps:
	@if [ -x /usr/bin/chromium ] && command -v npm >/dev/null 2>&1 \
	    && [ ! -f tests/browser/node_modules/axe-core/axe.min.js ]; then \
	  npm ci --prefix tests/browser --no-audit --no-fund; fi

## make screenshots: each role's main pages at 1280 and 360 px into docs/screenshots/<role>/
## (the browser test tests/browser/test_role_pages.py, which also checks them with axe-core)
screenshots: dev-setup browser-deps
	rm -rf docs/screenshots
	SCREENSHOT_DIR=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest -q -p no:cacheprovider tests/browser/test_role_pages.py

## make translations: extract every interface string (babel.cfg) into app/translations/messages.pot,
## merge it into the Welsh catalogue (app/translations/cy/LC_MESSAGES/messages.po: translate the new
## entries there, marking each "machine-drafted" until a Welsh speaker checks it) and compile the
## .mo, which is committed so `make run` needs no step. docs/welsh.md.
translations: dev-setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --sort-output --omit-header -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations -l cy --no-fuzzy-matching --ignore-obsolete --width=100
	$(BIN)/pybabel compile -d app/translations -l cy

lint: dev-setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

clean:
	rm -rf $(VENV) instance .pytest_cache .hypothesis .coverage
