# Two entry points for a new user: `make demo` and `make test`. Both create the virtual
# environment and install sitrep into it on first use.
VENV ?= .venv
PYTHON ?= python3
BIN = $(VENV)/bin

# The web map's libraries (Leaflet, markercluster, topojson, Natural Earth outlines) come from npm,
# pinned by web/package-lock.json, and are copied into the package: built here, not committed.
VENDOR = sitrep/web/static/vendor/versions.json

.PHONY: demo test lint bench bench-web install clean web serve

install: $(VENV)/.installed $(VENDOR)

web: $(VENDOR)

$(VENDOR): web/package.json web/package-lock.json sitrep/web/vendor.py | $(VENV)/.installed
	$(BIN)/python -m sitrep.web.vendor

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev]'
	touch $@

demo: install
	$(BIN)/sitrep demo

test: install
	$(BIN)/ruff check sitrep tests bench
	$(BIN)/pytest -q

bench: install
	$(BIN)/python bench/throughput.py

bench-web: install
	$(BIN)/python bench/web_load.py --browser

serve: demo
	$(BIN)/sitrep serve --db sitrep-demo.db

clean:
	rm -rf $(VENV) sitrep-demo.db demo-output web/node_modules sitrep/web/static/vendor artifacts
