"""The package's layering, as the README's contributor section describes it, checked on the source.

- Only ``nbsupport/_keras_adapter.py`` reaches into Keras's or TensorFlow's private modules
  (``keras.src``, ``tensorflow.python``) or reads a private attribute (``obj._name``) of an object
  that is not nbsupport's own.
- Plots draw results: no module of ``nbsupport.plots`` imports a module that builds or trains models
  (``models``, ``training``, ``study``, ``recording``).
- The foundations (``_validation``, ``_tensorflow``, ``_keras_adapter``, ``_memory``) import no other nbsupport module
  but each other, and the package's imports have no cycle.
- Nothing in ``nbsupport`` imports the developer tools (``tools/``) or the tests.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "nbsupport"
ADAPTER = PACKAGE / "_keras_adapter.py"
FOUNDATIONS = {"nbsupport._validation", "nbsupport._tensorflow", "nbsupport._keras_adapter", "nbsupport._memory"}
BUILDERS_AND_TRAINERS = {"nbsupport.models", "nbsupport.training", "nbsupport.study", "nbsupport.recording"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def _imports(path: Path) -> set[str]:
    """Every module a file imports (absolute names; ``from a import b`` counts ``a`` and ``a.b`` when that is a module)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names if f"{node.module}.{alias.name}" in MODULES}
    return found


def _package_imports(path: Path) -> set[str]:
    return {name for name in _imports(path) if name in MODULES and name != "nbsupport"}


# --- private modules and attributes of other libraries ---------------------------------------------------

_INTERNALS = re.compile(r"\bkeras\s*\.\s*src\b|\bfrom\s+keras\s+import\s+(?:\(\s*)?(?:[\w\s,]*,\s*)?src\b|\btensorflow\s*\.\s*python\b")


def test_only_the_adapter_imports_private_modules_of_keras_or_tensorflow():
    offenders = {
        name: sorted({m.group(0) for m in _INTERNALS.finditer(path.read_text())})
        for name, path in MODULES.items()
        if path != ADAPTER
    }
    offenders = {name: found for name, found in offenders.items() if found}
    assert not offenders, f"keras.src and tensorflow.python are private to nbsupport/_keras_adapter.py; also found in {offenders}"


def test_the_internals_pattern_catches_each_spelling():
    for text in ("from keras.src.backend import x", "import keras.src.backend", "keras . src", "from keras import src",
                 "from keras import (ops, src)", "from tensorflow.python.framework import ops"):
        assert _INTERNALS.search(text), text
    for text in ("import keras", "from keras import ops", "keras.sources", "import tensorflow.keras", "python"):
        assert not _INTERNALS.search(text), text


def _private_attribute_reads(path: Path) -> list[str]:
    """``obj._name`` where ``obj`` is neither ``self``/``cls`` nor an nbsupport module imported in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    own = {"self", "cls"}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("nbsupport"):
            own |= {alias.asname or alias.name for alias in node.names if f"{node.module}.{alias.name}" in MODULES}
        elif isinstance(node, ast.Import):
            own |= {alias.asname or alias.name for alias in node.names if alias.name.startswith("nbsupport")}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
            base = node.value.id if isinstance(node.value, ast.Name) else None
            if base not in own:
                found.append(f"line {node.lineno}: {ast.unparse(node)}")
    return found


def test_only_the_adapter_reads_private_attributes_of_other_libraries_objects():
    offenders = {name: _private_attribute_reads(path) for name, path in MODULES.items() if path != ADAPTER}
    offenders = {name: found for name, found in offenders.items() if found}
    assert not offenders, f"private attributes of Keras or TensorFlow objects are the adapter's to read: {offenders}"


def test_the_private_attribute_check_sees_a_read(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from nbsupport import _keras_adapter\n\ndef f(tensor, self):\n    _keras_adapter.x\n    self._y\n    return tensor._keras_logits\n")
    assert _private_attribute_reads(sample) == ["line 6: tensor._keras_logits"]


# --- layers of the package ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n.startswith("nbsupport.plots")))
def test_plots_import_no_builder_and_no_trainer(name):
    wrong = _package_imports(MODULES[name]) & BUILDERS_AND_TRAINERS
    assert not wrong, f"{name} imports {sorted(wrong)}: plot functions take results and draw them"


@pytest.mark.parametrize("name", sorted(FOUNDATIONS))
def test_the_foundations_import_only_each_other(name):
    wrong = _package_imports(MODULES[name]) - FOUNDATIONS
    assert not wrong, f"{name} imports {sorted(wrong)}; the foundations stand below every other module"


def test_the_package_has_no_import_cycle():
    graph = {name: _package_imports(path) - {name} for name, path in MODULES.items()}
    # a package's __init__ re-exports its modules: an edge from a module to its own package is not a cycle
    graph = {name: {d for d in deps if not (MODULES[d].name == "__init__.py" and name.startswith(d + "."))} for name, deps in graph.items()}
    state: dict[str, int] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = 1
        for dep in sorted(graph[name]):
            if state.get(dep) == 1:
                pytest.fail(f"import cycle: {' -> '.join(trail + [name, dep])}")
            if dep not in state:
                visit(dep, trail + [name])
        state[name] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [])


def test_the_package_imports_no_developer_tool_and_no_test():
    offenders = {name: sorted(n for n in _imports(path) if n.split(".")[0] in ("tools", "tests", "conftest")) for name, path in MODULES.items()}
    offenders = {name: found for name, found in offenders.items() if found}
    assert not offenders, f"nbsupport must install and run without the repository's tools/ and tests/: {offenders}"


def test_the_checks_see_the_package():
    """Each rule above would pass on an empty list: make sure the lists hold what they should."""
    assert {"nbsupport.training", "nbsupport.plots.training", "nbsupport._keras_adapter", "nbsupport.diagnostics.gradients"} <= set(MODULES)
    assert "nbsupport.diagnostics" in _package_imports(MODULES["nbsupport.plots.diagnostics"])
    assert "nbsupport._keras_adapter" in _package_imports(MODULES["nbsupport.training"])


# --- the public surface: what the notebooks call, and what a learner extending them would ---------------

import importlib  # noqa: E402
import json  # noqa: E402

# Public names no notebook calls, each kept for a reason a learner would recognise.
LEARNER_API = {
    # the type a function the notebooks call returns: its attributes are documented there
    "nbsupport.data.BreastCancerSplit", "nbsupport.descent.DescentRun", "nbsupport.diagnostics.GradientProfile",
    "nbsupport.diagnostics.ActivationStatistics", "nbsupport.diagnostics.gradients.GradientProfile",
    "nbsupport.diagnostics.layer_outputs.ActivationStatistics", "nbsupport.evaluation.Spread", "nbsupport.explorer.Explorer",
    "nbsupport.logistic.SGDRun", "nbsupport.study.Run", "nbsupport.study.SeedRun",
    # the derivative of every activation, beside the ones chapter 1 plots
    "nbsupport.activations.linear_derivative", "nbsupport.activations.relu_derivative", "nbsupport.activations.prelu_derivative",
    "nbsupport.activations.selu_derivative", "nbsupport.activations.silu_derivative", "nbsupport.activations.tanh_derivative",
    # the limits the error messages state, and the regimes step_regime and measured_regime return
    "nbsupport.descent.MAX_STEPS", "nbsupport.training.MAX_EPOCHS", "nbsupport.descent.REGIMES",
    # one activation and its derivative in one call (plot_activations draws several)
    "nbsupport.plots.activations.plot_activation",
    # the back of the book: how a chapter module declares its exercises, and how a learner looks one up
    "nbsupport.exercises.Exercise", "nbsupport.exercises.Mistake", "nbsupport.exercises.exercise",
    "nbsupport.exercises.exercise_names",
    *(f"nbsupport.exercises.chapter{chapter:02d}.EXERCISES" for chapter in range(10)),
}


def _notebook_code() -> str:
    cells = []
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        cells += ["".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "code"]
    return "\n".join(cells)


PUBLIC_MODULES = sorted(name for name in MODULES if not any(part.startswith("_") for part in name.split(".")[1:]) and name != "nbsupport")


def test_every_public_name_is_called_by_a_notebook_or_kept_for_a_reason():
    code = _notebook_code()
    unused = {
        f"{name}.{public}"
        for name in PUBLIC_MODULES
        for public in getattr(importlib.import_module(name), "__all__", [])
        if not re.search(rf"\b{re.escape(public)}\b", code)
    }
    assert not unused - LEARNER_API, f"public but called by no notebook and not in LEARNER_API: {sorted(unused - LEARNER_API)}"
    stale = {entry for entry in LEARNER_API if entry.rsplit(".", 1)[1] not in getattr(importlib.import_module(entry.rsplit(".", 1)[0]), "__all__", [])}
    assert not stale, f"LEARNER_API names what is no longer public: {sorted(stale)}"


def test_every_module_has_an_all_and_the_readme_names_every_module_and_tool():
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("## For contributors") :]
    for name in PUBLIC_MODULES:
        assert hasattr(importlib.import_module(name), "__all__"), f"{name} has no __all__"
    stems = {name.split(".")[-1] for name in MODULES if name.split(".")[-1] != "nbsupport"}
    missing = sorted(stem for stem in stems if f"`{stem}`" not in section and f"`{stem}/`" not in section and stem != "__init__")
    tools = sorted(path.name for path in (ROOT / "tools").glob("*.py") if path.name != "__init__.py")
    missing += [tool for tool in tools if f"`{tool}`" not in section]
    assert not missing, f"the README's contributor section does not name {missing}"
