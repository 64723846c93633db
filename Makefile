# Fupin's two commands: `make run` (the demo, served) and `make test` (every test).
# Everything is installed from the lock files: requirements.lock (PyPI) and package-lock.json (npm).

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
STAMP := $(VENV)/.installed-stamp
export UV_NO_PROGRESS := 1

.PHONY: run serve test install lint format browser messages lock bench clean

$(STAMP): pyproject.toml requirements.lock package.json package-lock.json
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip install -q --python $(BIN)/python --require-hashes -r requirements.lock
	$(BIN)/uv pip install -q --python $(BIN)/python --no-deps -e .
	npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP)

## make run: migrate the embedded SQLite database, load the demo, serve it with a task worker.
run: install
	$(BIN)/fupin migrate --noinput
	$(BIN)/fupin demo
	scripts/serve.sh

## make serve: production on one server (docs/deploy.md): gunicorn on FUPIN_BIND, task workers,
## FUPIN_ENV=production unless set. Needs SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL in the environment.
serve: install
	scripts/serve-production.sh

## make test: every test, browser tests included (Chromium is installed when it can be).
test: install browser
	$(BIN)/pytest $(PYTEST_ARGS)

## Debian's Chromium and a CJK font, for the browser tests and for screenshots that show Chinese.
browser:
	@scripts/install-browser.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/fupin makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Refresh the translation catalogues from the code (then translate what is new).
messages: install
	cd fupin && for app in core documents registry assessment workplan fieldwork procedures api; do \
	  (cd $$app && ../../$(BIN)/fupin makemessages -l zh_Hans --no-obsolete --no-location -v 0 \
	   && ../../$(BIN)/fupin compilemessages -v 0); done

## Re-resolve the Python lock file after changing pyproject.toml.
lock: install
	$(BIN)/uv pip compile pyproject.toml --extra dev --python-version 3.11 --generate-hashes \
	  -o requirements.lock -q

bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules var/static
