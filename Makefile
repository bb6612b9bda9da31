# The course's commands. Start with `make lab` (open the course) or `make test` (run every check).
# Both create .venv and install the course on first use; later runs reuse it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))

.PHONY: help lab test unit nbval bench execute student links clean

help:
	@echo "make lab      open the course in JupyterLab (http://localhost:8888, token on)"
	@echo "make test     every check: make unit, then make nbval"
	@echo "make unit     unit tests and doctests of nbsupport, tools and tests"
	@echo "make nbval    re-run every notebook and compare its outputs with the stored ones (nbval)"
	@echo "make bench    time every notebook in a fresh kernel against the budgets, and model.fit"
	@echo "              against fit_compiled (tools/benchmark.py)"
	@echo "make execute  re-run every notebook in place (refresh stored outputs)"
	@echo "make student  write copies without solutions or outputs to build/student/ (for instructors)"
	@echo "make links    rewrite every Colab/Binder/nbgitpuller link from [tool.course] in pyproject.toml"
	@echo "make clean    remove .venv and caches"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[lab,test]'
	@# no news pop-up in this environment's JupyterLab
	$(BIN)/jupyter labextension disable --level=sys_prefix "@jupyterlab/apputils-extension:announcements" > /dev/null 2>&1
	@touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=notebooks --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root)

test: unit nbval

unit: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider --doctest-modules nbsupport tools tests

nbval: $(STAMP)
	$(BIN)/python -m pytest -p no:cacheprovider --nbval --nbval-current-env --nbval-cell-timeout=300 $(NOTEBOOKS)

bench: $(STAMP)
	$(BIN)/python tools/benchmark.py --training $(NOTEBOOKS)

execute: $(STAMP)
	for nb in $(NOTEBOOKS); do $(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; done

student: $(STAMP)
	$(BIN)/python tools/student.py $(NOTEBOOKS) --out build/student

links: $(STAMP)
	$(BIN)/python tools/links.py

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis build
