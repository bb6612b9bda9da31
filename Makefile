# The course's commands. Start with `make lab` (open the course) or `make test` (run every check).
# Both create .venv and install the course on first use; later runs reuse it.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
NOTEBOOKS := $(sort $(wildcard notebooks/[0-9][0-9]_*.ipynb))
# pytest-xdist hands files out in the order given: the longest chapters first keep both workers busy to the end
NOTEBOOKS_LONGEST_FIRST := $(filter notebooks/05_%,$(NOTEBOOKS)) $(filter notebooks/06_%,$(NOTEBOOKS)) $(filter notebooks/02_%,$(NOTEBOOKS)) \
	$(filter-out notebooks/05_% notebooks/06_% notebooks/02_%,$(NOTEBOOKS))

.PHONY: help lab test unit nbval test-stress test-browser test-oldest test-colab bench execute student assignments links site clean

help:
	@echo "make lab      open the course in JupyterLab (http://localhost:8888, token on)"
	@echo "make test     the correctness checks: make unit and make nbval in one run (what a contributor runs)"
	@echo "make unit     unit tests and doctests of nbsupport, tools and tests (stress and browser tests left out)"
	@echo "make nbval    re-run every notebook and compare its outputs with the stored ones (nbval), two at a time"
	@echo "make test-stress   repeated and long checks: the explorers executed headless many times, memory over"
	@echo "              many trained models, the stop button"
	@echo "make test-browser  JupyterLab in a real browser (Debian's Chromium with Playwright), chapter 3 run"
	@echo "              through its menus, with a workspace of the user's own open beside it"
	@echo "make test-oldest  the unit tests and every notebook in a second environment built from the lowest"
	@echo "              versions pyproject.toml allows (constraints-oldest.txt), on Python 3.10 (.venv-oldest)"
	@echo "make test-colab   install the course into an environment made like Colab's (constraints-colab.txt,"
	@echo "              Python 3.12) and check that nothing but nbsupport changes (.venv-colab)"
	@echo "make bench    time every notebook in a fresh kernel against the budgets, and model.fit"
	@echo "              against fit_compiled (tools/benchmark.py)"
	@echo "make execute  re-run every notebook in place (refresh stored outputs)"
	@echo "make student  write copies without solutions or outputs to build/student/ (for instructors)"
	@echo "make assignments  write an nbgrader course folder to build/assignments/: each chapter an assignment,"
	@echo "              its self-checks the autograded tests (for instructors who grade with nbgrader)"
	@echo "make links    rewrite every Colab/Binder/nbgitpuller link from [tool.course] in pyproject.toml"
	@echo "make site     build the course as a website from the stored notebooks into build/site/"
	@echo "make clean    remove .venv and caches"

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) tools/check_python.py
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[lab,test,site,teach]'
	@# no news pop-up in this environment's JupyterLab
	$(BIN)/jupyter labextension disable --level=sys_prefix "@jupyterlab/apputils-extension:announcements" > /dev/null 2>&1
	@# nbgrader (the teach extra, for make assignments) stays out of a learner's JupyterLab: no grading menus or server parts
	$(BIN)/jupyter labextension disable --level=sys_prefix "@jupyter/nbgrader" > /dev/null 2>&1
	@for part in formgrader validate_assignment assignment_list course_list; do \
		$(BIN)/jupyter server extension disable --sys-prefix nbgrader.server_extensions.$$part > /dev/null 2>&1; done
	@touch $(STAMP)

# LAB_ROOT is the folder JupyterLab opens; LAB_ARGS passes more options (the browser test serves a copy of
# the notebooks and adds a port, a token and --no-browser).
LAB_ROOT ?= notebooks
lab: $(STAMP)
	$(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_ROOT) --ServerApp.ip=127.0.0.1 $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

# Two pytest workers (pytest-xdist): the unit tests spread test by test; nbval keeps each notebook in one worker
# (--dist loadfile), longest first, so that its cells run in order in one kernel.
WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -p no:cacheprovider

# make test runs the unit tests and the notebooks in one pytest session, so that the short unit-test files fill
# the gaps while the long notebooks finish (two separate runs each ended with one worker idle)
test: $(STAMP)
	$(PYTEST) -n $(WORKERS) --dist loadfile --doctest-modules -m "not stress and not browser" \
		--nbval --nbval-current-env --nbval-cell-timeout=300 $(NOTEBOOKS_LONGEST_FIRST) nbsupport tools tests

unit: $(STAMP)
	$(PYTEST) -n $(WORKERS) --doctest-modules -m "not stress and not browser" nbsupport tools tests

nbval: $(STAMP)
	$(PYTEST) -n $(WORKERS) --dist loadfile --nbval --nbval-current-env --nbval-cell-timeout=300 $(NOTEBOOKS_LONGEST_FIRST)

test-stress: $(STAMP)
	$(PYTEST) -n $(WORKERS) -m stress tests

test-browser: $(STAMP)
	$(PYTEST) -m browser tests

# The oldest supported Python: pyenv's 3.10 if there is one, else python3.10 on the PATH.
OLDEST_PYTHON ?= $(or $(lastword $(wildcard $(HOME)/.pyenv/versions/3.10.*/bin/python3)),python3.10)
OLDEST_VENV := .venv-oldest
OLDEST_STAMP := $(OLDEST_VENV)/.installed

$(OLDEST_STAMP): pyproject.toml constraints-oldest.txt
	@$(OLDEST_PYTHON) tools/check_python.py
	rm -rf $(OLDEST_VENV)
	$(OLDEST_PYTHON) -m venv $(OLDEST_VENV)
	$(OLDEST_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(OLDEST_VENV)/bin/python -m pip install --quiet -c constraints-oldest.txt -e '.[lab,test]'
	@touch $(OLDEST_STAMP)

# The notebooks run with --nbval-lax: every cell must run and every assert hold, but printed numbers may
# differ in the last digits from those stored with the pinned versions.
test-oldest: $(OLDEST_STAMP)
	$(OLDEST_VENV)/bin/python -m pytest -p no:cacheprovider -n $(WORKERS) --dist loadfile --doctest-modules -m "not stress and not browser" -k "not site" \
		--nbval-lax --nbval-current-env --nbval-cell-timeout=300 $(NOTEBOOKS_LONGEST_FIRST) nbsupport tools tests

COLAB_PYTHON ?= $(or $(lastword $(wildcard $(HOME)/.pyenv/versions/3.12.*/bin/python3)),python3.12)
COLAB_VENV := .venv-colab
COLAB_STAMP := $(COLAB_VENV)/.built

# Colab's packages without the course; the check then installs the course into it and compares.
$(COLAB_STAMP): constraints-colab.txt
	@$(COLAB_PYTHON) tools/check_python.py
	rm -rf $(COLAB_VENV)
	$(COLAB_PYTHON) -m venv $(COLAB_VENV)
	$(COLAB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(COLAB_VENV)/bin/python -m pip install --quiet -r constraints-colab.txt
	@touch $(COLAB_STAMP)

test-colab: $(COLAB_STAMP)
	$(COLAB_VENV)/bin/python tools/colab_like.py

bench: $(STAMP)
	$(BIN)/python tools/benchmark.py --training $(NOTEBOOKS)

execute: $(STAMP)
	for nb in $(NOTEBOOKS); do $(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=600 --ExecutePreprocessor.record_timing=False "$$nb" || exit 1; done

student: $(STAMP)
	$(BIN)/python tools/student.py $(NOTEBOOKS) --out build/student

assignments: $(STAMP)
	$(BIN)/python tools/assignments.py $(NOTEBOOKS) --out build/assignments

links: $(STAMP)
	$(BIN)/python tools/links.py

site: $(STAMP)
	$(BIN)/python tools/site.py

clean:
	rm -rf $(VENV) $(OLDEST_VENV) $(COLAB_VENV) .pytest_cache .hypothesis build
