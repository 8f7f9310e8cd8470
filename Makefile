# CD Coach: `make run` sets everything up and serves the app; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000

# WeasyPrint needs Pango; Chinese text in PDFs and charts needs a CJK font.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk
# Browser tests drive Debian's Chromium; PDF pages are checked as images with pdftoppm.
TEST_PACKAGES := chromium poppler-utils

.PHONY: install run test lint format bench clean system-packages test-packages translations

install: system-packages $(STAMP)

system-packages:
	@scripts/system-packages.sh $(RUN_PACKAGES)

test-packages:
	@scripts/system-packages.sh $(TEST_PACKAGES)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

run: install
	@$(BIN)/cdcoach setup --url http://$(HOST):$(PORT)/
	$(BIN)/cdcoach run --host $(HOST) --port $(PORT)

test: install test-packages
	@scripts/run-tests.sh

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Extract the UI's strings and merge them into the Chinese catalogue; then translate the new
# entries in assessment/translations/zh/LC_MESSAGES/messages.po and run `make translations` again.
translations: install
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k lazy_ngettext:1,2 -o assessment/translations/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i assessment/translations/messages.pot -d assessment/translations -l zh --no-fuzzy-matching --ignore-obsolete
	$(BIN)/pybabel compile -d assessment/translations -l zh

bench: install
	@for script in benchmarks/*.py; do echo "== $$script"; $(BIN)/python $$script || exit 1; done

clean:
	rm -rf $(VENV) instance .pytest_cache
