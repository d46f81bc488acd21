# cnbudget: every stage of the pipeline is a target. `make` alone lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV ?= .venv
PY := $(VENV)/bin/python
CNB := $(VENV)/bin/cnbudget
SOURCE ?= data/raw/beijing/2024/dongcheng-urban-management-command-center/budget.txt
DEB_PACKAGES := chromium fonts-wqy-microhei poppler-utils

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $@

system: ## install the Debian packages (Chromium, CJK font, poppler) when missing
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then echo "installing $$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing Debian packages: $$missing (run: sudo apt-get install $$missing)"; exit 1; fi; fi

setup: system $(VENV)/.installed ## virtual environment, Python packages, Debian packages

data: $(VENV)/.installed ## fetch every registered document into data/raw/, and the layout references into data/references/
	$(CNB) fetch
	$(CNB) fetch data/references

corpus: data ## every registered document (data/raw, data/references) read and checked, one line each, no report
	$(CNB) corpus data/raw data/references --out reports/corpus

tables: $(VENV)/.installed ## extract the default document into data/processed/
	$(CNB) extract $(SOURCE)

check: $(VENV)/.installed ## run the consistency checks into reports/
	$(CNB) check $(SOURCE)

report: setup ## extract, check and render reports/<path>/report.html and report.pdf
	$(CNB) run $(SOURCE)

report-en: setup ## the same report in English
	$(CNB) run $(SOURCE) --lang en --out reports/beijing/2024/dongcheng-urban-management-command-center/en

test: setup lint ## lint (ruff), fetch the documents, then the test suite
	-$(CNB) fetch  # a document that cannot be fetched here: the tests that need it are skipped, naming it
	-$(CNB) fetch data/references
	$(VENV)/bin/pytest -q

suites: $(VENV)/.installed ## regenerate the great-expectations suites under expectations/
	$(PY) -c "from cnbudget.checks.gx import write_suites; print(*write_suites(), sep='\n')"

bench: setup data ## one report against the notebook floor; batch throughput and linearity; PDF reading per page
	$(PY) benchmarks/bench_run.py
	$(PY) benchmarks/bench_batch.py
	$(PY) benchmarks/bench_pdf.py --no-batch

batch: setup data ## every registered document under data/raw: reports, index, panel, year over year
	$(CNB) batch data/raw --out reports/batch

lint: $(VENV)/.installed ## ruff: lint and formatting (configured in pyproject.toml)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

clean: ## remove generated outputs (never data/raw)
	rm -rf data/processed/*/ reports/*/

.PHONY: help system setup data corpus tables check report report-en batch test suites bench lint clean
