"""The project's own promises: environment.yml matches pyproject, notebooks follow the conventions,
the package works from a plain ``pip install`` (no extras) and only its Keras adapter reaches into Keras."""

import ast
import fnmatch
import json
import re
import subprocess
import sys
import textwrap
from importlib.metadata import PackageNotFoundError, distributions, requires
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nbsupport"
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _declared() -> list[str]:
    """pyproject's dependencies and test extras, as the installed package's metadata states them."""
    return requires("nbsupport") or []


def test_environment_yml_lists_the_same_packages_as_pyproject():
    wanted = {_name(r) for r in _declared()}
    assert {"tensorflow", "keras", "nbval", "pytest"} <= wanted
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    assert "conda-forge" in env["channels"]
    pip_part = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    from_pip = {_name(d) for d in pip_part if not d.startswith("-")}  # what conda-forge lacks
    assert conda | from_pip == wanted and not conda & from_pip
    assert "-e ." in pip_part, "environment.yml must install the course package too"


def test_no_exact_pins_in_pyproject():
    assert not [r for r in _declared() if "==" in r.split(";")[0]]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_starts_with_the_colab_cell_and_setup(path):
    nb = json.loads(path.read_text())
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    first = "".join(code[0]["source"])
    reference_nb = json.loads(NOTEBOOKS[0].read_text())
    reference = "".join(next(c for c in reference_nb["cells"] if c["cell_type"] == "code")["source"])
    assert 'if "google.colab" in sys.modules' in first
    assert first.split("\n\n")[0] == reference.split("\n\n")[0], "every notebook installs the package the same way"
    assert "setup_notebook(" in first
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solution_cells_assert_their_check(path):
    nb = json.loads(path.read_text())
    for cell in nb["cells"]:
        if "solution" in cell["metadata"].get("tags", []):
            source = "".join(cell["source"])
            assert "strict=True" in source, f"a solution cell in {path.name} does not run its self-check strictly"


# --- a plain install (what Colab gets: no extras) imports every module ---------------------------


def _package_requirements() -> tuple[list[Requirement], list[Requirement]]:
    """nbsupport's requirements from its metadata: (base, extras), split on an ``extra ==`` marker."""
    base, extras = [], []
    for text in requires("nbsupport") or []:
        requirement = Requirement(text)
        if requirement.marker is not None and "extra ==" in str(requirement.marker):
            extras.append(requirement)
        elif requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
            base.append(requirement)
    return base, extras


def _installed_closure(requirements: list[Requirement]) -> set[str]:
    """The installed distributions these requirements pull in, directly or not (canonical names).

    Requirements whose marker is false here (another Python, an extra nobody asked for) are skipped,
    as pip skips them.
    """
    found: set[str] = set()
    done: set[tuple[str, frozenset]] = set()
    todo = list(requirements)
    while todo:
        requirement = todo.pop()
        key = (canonicalize_name(requirement.name), frozenset(requirement.extras))
        if key in done:
            continue
        done.add(key)
        try:
            texts = requires(requirement.name) or []
        except PackageNotFoundError:
            continue
        found.add(key[0])
        for text in texts:
            sub = Requirement(text)
            if sub.marker is None or any(sub.marker.evaluate({"extra": extra}) for extra in requirement.extras | {""}):
                todo.append(sub)
    return found


def _import_names(distributions: set[str]) -> set[str]:
    """The top-level import names that these distributions provide."""
    return {name for name, providers in _packages_distributions().items() if providers & distributions}


def _packages_distributions() -> dict[str, set[str]]:
    """Top-level import name -> distributions, from each installed distribution's file list.

    Like ``importlib.metadata.packages_distributions`` on Python 3.11+; Python 3.10's version reads only
    ``top_level.txt``, which wheels built with meson (numpy, scipy) do not have.
    """
    found: dict[str, set[str]] = {}
    for dist in distributions():
        top_level = dist.read_text("top_level.txt")
        names = set(top_level.split()) if top_level else set()
        for path in dist.files or []:
            parts = path.parts
            if len(parts) > 1 and not parts[0].endswith((".dist-info", ".egg-info", ".data")) and parts[0] != "..":
                names.add(parts[0])
            elif len(parts) == 1 and parts[0].endswith(".py"):
                names.add(parts[0][:-3])
        for name in names:
            found.setdefault(name, set()).add(canonicalize_name(dist.metadata["Name"]))
    return found


def _extras_only_import_names() -> set[str]:
    """Import names that only the extras (and what they pull in) provide: a plain install lacks them."""
    base, extras = _package_requirements()
    base_dists = _installed_closure(base)
    return _import_names(_installed_closure(extras) - base_dists) - _import_names(base_dists)


def _modules_on_disk() -> set[str]:
    """Every module under nbsupport/ by its dotted name (a package by its folder's name)."""
    names = set()
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        names.add(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


_IMPORT_ALL_WITHOUT_EXTRAS = textwrap.dedent(
    """
    import importlib, importlib.abc, json, pkgutil, sys, traceback

    BLOCKED = frozenset(json.loads(sys.argv[1]))


    class NotInstalled(importlib.abc.MetaPathFinder):
        # Acts as if the extras were not installed: importing one of them fails as a missing module does.
        def find_spec(self, fullname, path=None, target=None):
            if fullname.partition(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {fullname!r} (blocked: only an extra provides it)", name=fullname)
            return None


    early = sorted(m for m in sys.modules if m.partition(".")[0] in BLOCKED)
    if early:
        sys.exit(f"imported at start-up, before the block: {early}")
    sys.meta_path.insert(0, NotInstalled())

    import nbsupport

    failed = {}
    walked = ["nbsupport"]
    for info in pkgutil.walk_packages(nbsupport.__path__, "nbsupport.", onerror=lambda name: failed.setdefault(name, "walk")):
        walked.append(info.name)
        try:
            importlib.import_module(info.name)
        except Exception:
            failed[info.name] = traceback.format_exc()
    print(json.dumps({"walked": walked, "failed": failed}))
    """
)


def test_the_extras_only_import_names_are_worked_out():
    blocked = _extras_only_import_names()
    # (ipywidgets 7, allowed by the lower bound, itself brings ipykernel and nbformat: only these are always extra)
    assert {"nbval", "pytest", "hypothesis", "jupyterlab"} <= blocked
    assert not {"nbsupport", "tensorflow", "keras", "numpy", "matplotlib", "sklearn", "scipy", "ipywidgets"} & blocked


def test_a_plain_install_imports_every_module():
    blocked = _extras_only_import_names()
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_ALL_WITHOUT_EXTRAS, json.dumps(sorted(blocked))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,  # TensorFlow's import is most of it
    )
    assert result.returncode == 0, f"the import subprocess failed:\n{result.stdout}\n{result.stderr[-3000:]}"
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert not report["failed"], "modules that fail without the extras:\n" + "\n".join(
        f"{name}:\n{error}" for name, error in report["failed"].items()
    )
    missed = _modules_on_disk() - set(report["walked"])
    assert not missed, f"modules pkgutil cannot reach (a folder without __init__.py is not a package): {sorted(missed)}"


def test_the_build_ships_every_package_folder():
    # The test above imports the source tree; a plain (non-editable) install ships only what setuptools lists.
    tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from Python 3.11")
    listed = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]
    folders = {
        ".".join(folder.relative_to(ROOT).parts)
        for folder in [PACKAGE, *PACKAGE.rglob("*")]
        if folder.is_dir() and folder.name != "__pycache__" and any(folder.glob("*.py"))
    }
    if isinstance(listed, list):
        shipped = set(listed)
    else:  # [tool.setuptools.packages.find]
        find = listed["find"]
        shipped = {
            name
            for name in folders
            if any(fnmatch.fnmatchcase(name, pattern) for pattern in find.get("include", ["*"]))
            and not any(fnmatch.fnmatchcase(name, pattern) for pattern in find.get("exclude", []))
        }
    assert folders <= shipped, f"pyproject's [tool.setuptools] packages leaves out {sorted(folders - shipped)}"


def _imported_top_level_names(path: Path) -> set[str]:
    """The top-level names of every absolute import in a file, wherever it stands (lazy ones too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.partition(".")[0])
    return names


def test_the_package_imports_only_the_standard_library_and_its_base_dependencies():
    base, _ = _package_requirements()
    allowed = set(sys.stdlib_module_names) | {"nbsupport"} | _import_names({canonicalize_name(r.name) for r in base})
    unexpected = {
        path.relative_to(ROOT).as_posix(): sorted(_imported_top_level_names(path) - allowed)
        for path in sorted(PACKAGE.rglob("*.py"))
    }
    unexpected = {path: names for path, names in unexpected.items() if names}
    assert not unexpected, f"imports that pyproject's base dependencies do not provide: {unexpected}"


# --- the explorers (chapters 3 and 4) are safe to execute headless ----------------------------------

EXPLORERS = {  # notebook: (the explorer section's heading, consecutive headless runs to prove)
    "03_gradient_descent_and_learning_rate.ipynb": ("## 3.9 Explore the learning rate", 20),
    "04_vanishing_gradients.ipynb": ("## 4.8 Explore depth, activation and initialisation", 5),
    "05_remedy_activations_and_initialization.ipynb": ("## 5.5 Explore activation, initialisation and depth", 5),
    "06_remedy_residual_connections_and_batch_norm.ipynb": ("## 6.4 Explore depth, activation and remedy", 5),
    "08_remedy_lstm_and_gru.ipynb": ("## 8.5 Explore the gradient through time", 5),
}


def _explorer_only(name: str):
    """A notebook trimmed to its set-up cell and the code cells of its explorer section (from the heading
    to the next ``## `` heading): each explorer section defines what it draws, so it runs alone."""
    import nbformat

    heading = EXPLORERS[name][0]
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    first = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith(heading))
    end = next(i for i, c in enumerate(nb.cells) if i > first and c.cell_type == "markdown" and c.source.startswith("## "))
    setup = next(c for c in nb.cells if c.cell_type == "code")
    explorer = [c for c in nb.cells[first:end] if c.cell_type == "code"]
    assert any("ipywidgets" in c.source for c in explorer), f"the explorer section of {name} has no widget cell"
    nb.cells = [setup, *explorer]
    return nb


@pytest.mark.parametrize("name", sorted(EXPLORERS))
def test_the_explorers_execute_headless_many_times_in_a_row(name):
    """Executing chapter 3 headless once hung at its widget cell (a known nbclient problem with widgets):
    the kernel had finished, the client waited for ever. The explorers now only connect controls to an
    Output widget, drawing nothing while the notebook executes. This runs each one many times in a row
    (20 for chapter 3, 5 for each later chapter, which uses the same design) with nbclient, each run with a cell
    timeout and an overall timeout of 120 s, and asserts that all complete.

    To keep CI fast it executes a copy of each notebook trimmed to the set-up cell and the explorer
    section's code cells (``_explorer_only``): 5 to 8 s a run on a 2-core CPU, where whole chapters would
    take several times longer.
    """
    import asyncio
    import copy

    from nbclient import NotebookClient

    trimmed = _explorer_only(name)
    runs = EXPLORERS[name][1]
    for run in range(1, runs + 1):
        client = NotebookClient(
            copy.deepcopy(trimmed), timeout=60, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}
        )
        try:
            asyncio.run(asyncio.wait_for(client.async_execute(), timeout=120))
        except (asyncio.TimeoutError, TimeoutError):
            pytest.fail(f"run {run} of {runs} did not complete within 120 s: executing the explorer of {name} headless hung")


def test_binder_pins_one_python_and_installs_the_course_with_jupyterlab():
    env = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text())
    specs = [d for d in env["dependencies"] if isinstance(d, str)]
    python = [d for d in specs if d.startswith("python")]
    assert python and re.fullmatch(r"python=3\.1\d", python[0]), f"Binder needs one Python version (python=3.12), got {python}"
    base_and_lab = {_name(r) for r in _declared() if "extra ==" not in r or "extra == \"lab\"" in r.replace("'", '"')}
    assert {_name(d) for d in specs} - {"python", "pip"} == base_and_lab
    post_build = (ROOT / "binder" / "postBuild").read_text()
    assert "pip install --no-deps ." in post_build and "announcements" in post_build
    assert (ROOT / "binder" / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_the_oldest_constraints_pin_every_lower_bound():
    """constraints-oldest.txt (make test-oldest) pins each declared requirement at its lower bound, exactly."""
    from packaging.version import Version

    pins = {}
    for line in (ROOT / "constraints-oldest.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version)
    declared = {}
    for text in _declared():
        requirement = Requirement(text)
        (lower,) = [s for s in requirement.specifier if s.operator == ">="]
        declared[canonicalize_name(requirement.name)] = Version(lower.version)
    assert pins == declared
