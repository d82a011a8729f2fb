# Two commands a newcomer needs:  make run  (the portal)  and  make test  (everything CI checks).
SHELL := /bin/bash
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PORT ?= 8000

.PHONY: run test install lint format check-migrations test-services browsers clean-data

run: install
	@$(PY) manage.py migrate --noinput -v 0
	@$(PY) manage.py createcachetable
	@$(PY) manage.py load_ods
	@$(PY) manage.py load_demo
	@echo ""
	@echo "Academy is running at http://127.0.0.1:$(PORT)/  (Ctrl+C stops the web server and the worker)"
	@echo "Emails (verification links, invitations) are written to .data/mail/"
	@echo ""
	@PORT=$(PORT) PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/honcho start

test: install browsers
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/lint-imports
	DJANGO_ENV=test $(PY) manage.py makemigrations --check --dry-run
	DJANGO_ENV=test .venv/bin/pytest $(PYTEST_ARGS)

install: .venv/.installed node_modules/.installed

.venv/.installed: pyproject.toml uv.lock
	@test -x .venv/bin/python || python3.11 -m venv .venv || python3 -m venv .venv
	@test -x .venv/bin/uv || .venv/bin/pip install --quiet "uv>=0.13,<0.14"
	.venv/bin/uv sync --frozen --python .venv/bin/python --quiet
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# Debian's Chromium drives the browser journeys (Playwright's own download is not used).
browsers:
	@command -v chromium >/dev/null || { [ "$$(id -u)" = 0 ] && (apt-get update -qq && apt-get install -y -qq chromium >/dev/null) ; } || echo "Chromium is missing: install Debian's chromium package to run the browser journeys."

lint:
	.venv/bin/ruff format --check .
	.venv/bin/ruff check .
	.venv/bin/lint-imports

format:
	.venv/bin/ruff format .
	.venv/bin/ruff check --fix .

clean-data:
	rm -rf .data
