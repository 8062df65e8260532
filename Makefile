# Backprop Lab: `make run` starts the app, `make test` runs every test.
# Both create .venv on first use and install the project into it.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test lint bench package smoke clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/gui-backprop

test: $(STAMP)
	$(BIN)/ruff check gui_backprop tests benchmarks packaging
	$(BIN)/lint-imports --no-cache
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check gui_backprop tests benchmarks packaging
	$(BIN)/lint-imports --no-cache

bench: $(STAMP)
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m benchmarks

# Installers: the frozen app as dist/*.tar.gz and dist/*.deb (own venv in build/venv;
# see packaging/README.md), then the smoke test of those artifacts.
package:
	$(PYTHON) packaging/build.py

smoke:
	$(PYTHON) packaging/smoke_test.py

clean:
	rm -rf $(VENV) build dist .pytest_cache .ruff_cache
