# The two commands of the README: `make demo` and `make test`. Both set up .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint system-deps clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/cil build

system-deps:
	@bash scripts/install-system-deps.sh

# ruff, then mypy with the pydantic plugin ([tool.mypy] of pyproject.toml: the generator package),
# then the import contracts of pyproject.toml ([tool.importlinter], docs/architecture.md).
lint: $(STAMP)
	$(BIN)/ruff check generator tests scripts bench
	$(BIN)/mypy
	$(BIN)/lint-imports

test: $(STAMP) system-deps lint
	$(BIN)/pytest

clean:
	rm -rf build
