# Two things to do on a fresh machine: `make run` and `make test`. Both set up .venv first.
VENV := .venv
READY := $(VENV)/.ready

$(READY): pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[dev]'
	touch $@

.PHONY: run test bench
run: $(READY)
	$(VENV)/bin/thidua run

test: $(READY)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy .
	$(VENV)/bin/pytest

bench: $(READY)
	$(VENV)/bin/python -m bench.report_bench
