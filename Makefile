# Two commands set everything up on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# The first Python >= 3.12 found: on PATH, then in pyenv's versions.
PYTHON ?= $(shell for candidate in python3.13 python3.12 python3 \
	$$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV); do \
	  if command -v $$candidate >/dev/null 2>&1 && \
	     $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    command -v $$candidate; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
LANGS := en fr es ru zh_Hans
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

CHROMIUM ?= /usr/bin/chromium
# The PDF letters embed WenQuanYi Zen Hei (Latin, Cyrillic and Chinese in one font);
# pdftoppm draws the test letters as PNGs for a person to look at.
PDF_FONT_PATH ?= /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
PDFTOPPM ?= /usr/bin/pdftoppm

.PHONY: help install run test bench load messages lint worker

help:
	@echo "make run       install, migrate, load the demo and serve on http://127.0.0.1:$(PORT)/"
	@echo "make test      run the whole test suite (SQLite; DATABASE_URL=postgres://... for PostgreSQL)"
	@echo "make bench     print figures: the optimiser, the assignment, and pages' queries and times at 1,000 and 10,000 applications, award letters per second, the finance reports with 2,000 award budgets"
	@echo "make load      a minute of deadline rush against two gunicorn instances sharing PostgreSQL; fails on errors or lost submissions"
	@echo "make messages  update the five translation catalogues from the source"
	@echo "make lint      ruff"

$(BIN)/activate:
	@test -n "$(PYTHON)" || { echo "No Python >= 3.12 found (PATH or pyenv)." >&2; exit 1; }
	@echo "Using $(PYTHON)"
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,prod]"
	@touch $@

install: $(VENV)/.installed $(MO_FILES)

%.mo: %.po
	msgfmt --check -o $@ $<

run: install $(PDF_FONT_PATH)
	DEBUG=1 $(BIN)/python manage.py migrate --no-input
	DEBUG=1 $(BIN)/python manage.py load_demo
	@echo
	@echo "Serving on http://127.0.0.1:$(PORT)/ (emails are printed below by the task worker)."
	@echo "Staff demo logins ask for a code: DEBUG=1 $(BIN)/python manage.py demo_otp_code EMAIL"
	@trap 'kill 0' EXIT; \
	DEBUG=1 $(BIN)/python manage.py db_worker & \
	DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

worker: install
	$(BIN)/python manage.py db_worker

# The browser tests drive Debian's Chromium (Playwright's own browser download is not
# reachable here); CJK fonts make the Chinese screenshots readable.
$(CHROMIUM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk

$(PDF_FONT_PATH):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-wqy-zenhei

$(PDFTOPPM):
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils

test: install $(CHROMIUM) $(PDF_FONT_PATH) $(PDFTOPPM)
	CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest $(PYTEST_ARGS)

bench: install $(PDF_FONT_PATH)
	$(BIN)/python -m tests.bench
	$(BIN)/python -m tests.bench_meetings
	$(BIN)/python -m tests.bench_letters
	$(BIN)/python -m tests.bench_finance

load: install
	$(BIN)/python -m tests.load

messages: $(VENV)/.installed
	DEBUG=1 $(BIN)/python manage.py makemessages --no-obsolete --add-location file $(foreach l,$(LANGS),-l $(l)) \
		--ignore=.venv --ignore=tests --ignore=staticfiles
	$(BIN)/python -m tests.catalogues fill-english

lint: $(VENV)/.installed
	$(BIN)/ruff check .
