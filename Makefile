# Two commands a newcomer needs:  make run  (the portal)  and  make test  (everything CI checks).
SHELL := /bin/bash
PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv
PORT ?= 8000
# The suite runs in this many processes (pytest-xdist), one a core; each has its own test database.
# Groups (tests/conftest.py) go to one process each, in the order pytest-django sorts the tests: the
# browser journeys, which empty the database after each, come after every test that needs its rows.
TEST_PROCESSES ?= 2

.PHONY: run test install lint format check-migrations test-services browsers clean-data mutation

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
	DJANGO_ENV=test .venv/bin/pytest -n $(TEST_PROCESSES) --dist loadgroup --no-loadscope-reorder $(PYTEST_ARGS)

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

# Mutation testing (not part of `make test`: it takes long). Each module is mutated with only its own
# test files; survivors and scores go to .mutation/<name>.json and are judged in docs/testing.md.
MUTATE := DJANGO_ENV=test nice -n 15 $(PY) tools/mutate.py
mutation: install
	$(MUTATE) academy/suppression.py tests/academy/test_suppression.py --json .mutation/suppression.json
	$(MUTATE) academy/locking.py tests/academy/test_locking.py --json .mutation/locking.json
	$(MUTATE) programmes/services/places.py tests/programmes/test_places.py tests/programmes/test_services.py --json .mutation/places.json
	$(MUTATE) programmes/services/enrolment.py tests/programmes/test_places.py tests/programmes/test_services.py --json .mutation/enrolment.json
	$(MUTATE) programmes/figures.py tests/reporting/test_figures.py tests/reporting/test_published_figures.py tests/reporting/test_small_area.py --json .mutation/figures.json
	$(MUTATE) coaching/services/supervision.py tests/coaching/test_supervision.py tests/coaching/test_services.py --json .mutation/supervision.json
	$(MUTATE) academy/imports/columns.py tests/academy/test_import_columns.py tests/academy/test_imports.py --json .mutation/imports-columns.json
	$(MUTATE) academy/imports/reading.py tests/academy/test_imports.py --json .mutation/imports-reading.json
	$(MUTATE) academy/imports/spec.py tests/academy/test_imports.py --json .mutation/imports-spec.json
	$(MUTATE) academy/imports/people.py tests/academy/test_import_columns.py tests/academy/test_imports.py --json .mutation/imports-people.json
	$(MUTATE) talent/services/pool.py tests/talent/test_readiness.py tests/talent/test_services.py $(foreach f,active_membership member_add decision_record readiness_change member_exit,--only $(f)) --json .mutation/talent-readiness.json
	$(MUTATE) talent/figures.py tests/talent/test_funnel.py tests/talent/test_figures.py::test_the_equity_funnel tests/talent/test_figures.py::test_a_small_count_in_the_funnel_is_hidden_with_the_cell_that_would_give_it_away $(foreach f,funnel_tallies funnel_counts FunnelStep rate show_rate funnel_dimension equity_funnel funnel_rows,--only $(f)) --json .mutation/talent-funnel.json
	$(MUTATE) gmts/services.py tests/gmts/test_placements.py tests/gmts/test_services.py $(foreach f,_recount placement_propose placement_confirm placement_notify_trainee placement_withdraw placements_move_on,--only $(f)) --json .mutation/gmts-placements.json
	$(MUTATE) gmts/figures.py tests/gmts/test_confirmed.py tests/gmts/test_figures.py::test_the_chapters_figures tests/gmts/test_figures.py::test_one_systems_figures tests/gmts/test_figures.py::test_every_new_trainee_placed_is_stated_as_all $(foreach f,ConfirmedStatement confirmed_statement _trainees,--only $(f)) --json .mutation/gmts-confirmed.json
