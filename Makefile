# Two entry points, both usable on a fresh machine with Python 3.11 (see README.md):
#   make serve   set everything up, then serve the site with live reload on http://127.0.0.1:8000/
#   make test    set everything up, then run the whole test suite
PYTHON ?= python3
# Material's notice about its end of life (9.x: 5 May 2027) and MkDocs 2 is printed on every build
# and serve: it is left on for the people who run the site. Only the test suite silences it
# (tests/conftest.py), to keep test logs readable.
VENV   := .venv
BIN    := $(VENV)/bin

UV     := uv==0.13.9
LOCK_VENV := .cache/lock-venv

.PHONY: serve test build check lint links linkcheck evidence-watch lock clean

# Exactly the versions in requirements.lock (hash-checked: what CI tested), then the project itself
# (editable, no dependencies of its own: they are all in the lock). A changed lock or pyproject.toml
# builds the venv afresh, so nothing from an older lock lingers. `pip check` fails, naming the
# package, when pyproject.toml asks for something the lock lacks: run `make lock`.
$(VENV)/.installed: requirements.lock pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	$(BIN)/python -m pip check --disable-pip-version-check || (echo "requirements.lock does not match pyproject.toml: run make lock"; exit 1)
	touch $@

# Regenerate requirements.lock from pyproject.toml (site + test extras), newest versions its ranges
# allow, every file's sha256, for any platform on Python 3.11+. uv runs from its own small venv.
lock:
	test -x $(LOCK_VENV)/bin/uv || ($(PYTHON) -m venv $(LOCK_VENV) && $(LOCK_VENV)/bin/python -m pip install --quiet --disable-pip-version-check '$(UV)')
	$(LOCK_VENV)/bin/uv pip compile pyproject.toml --extra test --generate-hashes --universal --python-version 3.11 --quiet --custom-compile-command "make lock" -o requirements.lock

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve

build: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

# The editor's check: references.bib and every citation, without building (exit 1 on errors).
check: $(VENV)/.installed
	$(BIN)/python -m backpain_site.features.citations check

# Lint (ruff format and ruff check, rules in pyproject.toml [tool.ruff]) and type-check (mypy, [tool.mypy]: strict on the kernel).
# tests/site_wide/test_lint.py runs the same two commands, so `make test` fails on a finding too.
lint: $(VENV)/.installed
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

# Add the site's new pages and sections to data/published-links.txt (never removes a line), then
# check every published link still lands (exit 1 if one does not).
links: $(VENV)/.installed
	$(BIN)/python -m backpain_site.features.published_links add

# Build strictly, then ask every external link in the built site once (HEAD, then GET; 8 s timeout,
# at most 300 addresses). Exit 1 if one is broken; without a network it says so and exits 0.
linkcheck: build
	$(BIN)/python -m backpain_site.features.trust.linkcheck site

# The evidence watch: run each saved PubMed search (data/searches.yml) for records added since its
# last run and write what is new to evidence-watch/ for an editor to screen (nothing is written on
# any error). Needs the network and NCBI_EMAIL (NCBI asks for a contact); NCBI_API_KEY is optional.
evidence-watch: $(VENV)/.installed
	$(BIN)/python -m backpain_site.features.trust.evidence_watch --out evidence-watch

# The browser tests drive Debian's chromium, and tests/site_wide/test_today.py runs the review check with the
# clock set years ahead through Debian's faketime; CI machines may not have them yet.
test: $(VENV)/.installed
	command -v chromium >/dev/null && command -v faketime >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium faketime)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) site site.building site.previous .cache
