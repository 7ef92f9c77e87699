# Two entry points, both usable on a fresh machine with Python 3.11 (see README.md):
#   make serve   set everything up, then serve the site with live reload on http://127.0.0.1:8000/
#   make test    set everything up, then run the whole test suite
PYTHON ?= python3
# Silence Material's end-of-life banner in every build (it is printed, not logged).
export NO_MKDOCS_2_WARNING := 1
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: serve test build check links linkcheck clean

# Re-install only when the dependency list changes.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

serve: $(VENV)/.installed
	$(BIN)/mkdocs serve

build: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

# The editor's check: references.bib and every citation, without building (exit 1 on errors).
check: $(VENV)/.installed
	$(BIN)/python -m citations check

# Add the site's new pages and sections to data/published-links.txt (never removes a line), then
# check every published link still lands (exit 1 if one does not).
links: $(VENV)/.installed
	$(BIN)/python -m published_links add

# Build strictly, then ask every external link in the built site once (HEAD, then GET; 8 s timeout,
# at most 300 addresses). Exit 1 if one is broken; without a network it says so and exits 0.
linkcheck: build
	$(BIN)/python -m trust.linkcheck site

# The browser tests drive Debian's chromium; CI machines may not have it yet.
test: $(VENV)/.installed
	command -v chromium >/dev/null || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium)
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) site site.building site.previous .cache
