"""The project's own promises: environment.yml matches pyproject, notebooks follow the conventions."""

import json
import re
from importlib.metadata import requires
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
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
    conda = {_name(d) for d in env["dependencies"] if isinstance(d, str)} - {"python", "pip"}
    assert conda == wanted
    pip_part = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
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
