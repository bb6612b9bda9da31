"""Student copies (``make student``) and the exercises as the notebooks show them (issue 23).

- ``tools/student.py`` removes solution cells and outputs.
- Every chapter's exercises follow one layout (heading with one to three stars, one learner cell, one
  solution cell), which ``make assignments`` turns into an nbgrader assignment.
- Every self-check in a notebook names an exercise of the package, and every exercise is checked.
- No student copy shows a reference, a formula for it, or solution code: a learner cell holds the
  learner's variables and ``check`` calls whose arguments are names, never expressions; no line of a
  solution and no quick reference's value appears in a copy's exercise section.
"""

import ast
import re
from pathlib import Path

import nbformat
import numpy as np
import pytest

from nbsupport.exercises import exercise, exercise_names, reference
from tools import student


def test_strip_solutions():
    nb = {"cells": [{"metadata": {"tags": ["solution"]}}, {"metadata": {"tags": ["x"]}}, {"metadata": {}}]}
    copy, removed = student.strip_solutions(nb)
    assert removed == 1 and len(copy["cells"]) == 2 and len(nb["cells"]) == 3
    with pytest.raises(TypeError, match="notebook must be a notebook dict"):
        student.strip_solutions([])


def test_main_writes_copies_without_solutions(tmp_path, capsys):
    solution = nbformat.v4.new_code_cell("answer = 1", metadata={"tags": ["solution"]})
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Exercise"), solution, nbformat.v4.new_code_cell("check()")])
    source = tmp_path / "01_chapter.ipynb"
    nbformat.write(nb, source)
    out = tmp_path / "student"
    assert student.main([str(source), "--out", str(out)]) == 0
    copy = nbformat.read(out / "01_chapter.ipynb", as_version=4)
    assert [c.source for c in copy.cells] == ["# Exercise", "check()"]
    assert "1 solution cell(s) removed" in capsys.readouterr().out
    assert len(nbformat.read(source, as_version=4).cells) == 3, "the source notebook is left as it was"


def test_copies_of_the_real_chapters_have_no_solution_and_no_output(tmp_path):
    """Every chapter's student copy keeps its exercises and self-checks, and holds no solution and no output."""
    chapters = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert student.main([str(p) for p in chapters] + ["--out", str(tmp_path)]) == 0
    for original in chapters:
        copy = nbformat.read(tmp_path / original.name, as_version=4)
        source = nbformat.read(original, as_version=4)
        assert not any("solution" in c.metadata.get("tags", []) for c in copy.cells), original.name
        assert all(c.outputs == [] and c.execution_count is None for c in copy.cells if c.cell_type == "code"), original.name
        checks = [c for c in copy.cells if c.cell_type == "code" and "check(" in c.source]
        expected_checks = [c for c in source.cells if c.cell_type == "code" and "check(" in c.source and "solution" not in c.metadata.get("tags", [])]
        assert len(checks) == len(expected_checks), f"{original.name}: the self-checks must stay"


ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
HEADING = re.compile(r"^### Exercise (\d+)\.(\d+): \S.* \((★{1,3})\)$")


def _chapter(path: Path) -> int:
    return int(path.name[:2])


def exercise_cells(cells: list) -> list:
    """The cells after the ``## Exercises`` heading."""
    starts = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.lstrip().startswith("## Exercises")]
    assert len(starts) == 1, "a chapter has one '## Exercises' section"
    return cells[starts[0] + 1 :]


def is_solution(cell) -> bool:
    return "solution" in cell.metadata.get("tags", [])


def check_calls(source: str) -> list[ast.Call]:
    return [n for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "check"]


def check_name(call: ast.Call) -> str:
    first = call.args[0]
    assert isinstance(first, ast.Constant) and isinstance(first.value, str), f"check's first argument must be the exercise's name: {ast.unparse(call)}"
    return first.value


def exercises_of(path: Path) -> list[tuple]:
    """(heading cell, learner cell, solution cell) per exercise, asserting the layout."""
    cells = exercise_cells(nbformat.read(path, as_version=4).cells)
    groups = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        if cell.cell_type == "markdown" and cell.source.startswith("### Exercise"):
            first_line = cell.source.splitlines()[0]
            assert HEADING.match(first_line), f"{path.name}: exercise heading {first_line!r} must read '### Exercise N.k: title (★)' (1-3 stars)"
            assert i + 2 < len(cells) + 0 or i + 2 == len(cells), path.name
            learner, solution = cells[i + 1], cells[i + 2]
            assert learner.cell_type == "code" and not is_solution(learner), f"{path.name}: {first_line}: a learner code cell must follow the prompt"
            assert solution.cell_type == "code" and is_solution(solution), f"{path.name}: {first_line}: a solution cell (tagged solution) must follow the learner cell"
            groups.append((cell, learner, solution))
            i += 3
        else:
            assert cell.cell_type == "markdown" and not cell.source.lstrip().startswith("#"), (
                f"{path.name}: only exercises (and short notes) follow '## Exercises': {cell.source[:60]!r}"
            )
            i += 1
    return groups


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_exercises_follow_one_layout_and_check_every_answer(path):
    groups = exercises_of(path)
    assert 2 <= len(groups) <= 4 or _chapter(path) == 0, f"{path.name}: 2-4 exercises per chapter"
    checked = []
    for heading, learner, solution in groups:
        number = "{}.{}".format(*HEADING.match(heading.source.splitlines()[0]).groups()[:2])
        assert number.startswith(f"{_chapter(path)}."), f"{path.name}: {number} is numbered in another chapter"
        names = [check_name(c) for c in check_calls(learner.source)]
        assert names, f"{path.name}: exercise {number}'s learner cell has no check"
        assert all(re.fullmatch(rf"{re.escape(number)}[a-z]?", n) for n in names), f"{path.name}: {names} do not belong to exercise {number}"
        strict = [check_name(c) for c in check_calls(solution.source) if any(k.arg == "strict" for k in c.keywords)]
        assert strict == names, f"{path.name}: the solution of {number} must end with the same checks, strict=True"
        checked += names
    assert checked == exercise_names(_chapter(path)), f"{path.name}: the notebook's checks and nbsupport/exercises/chapter{_chapter(path):02d}.py differ"


@pytest.mark.parametrize("path", [p for p in CHAPTERS if _chapter(p) > 0], ids=lambda p: p.stem)
def test_every_chapter_has_two_experiment_exercises_or_more(path):
    """An experiment exercise changes or extends an experiment: its reference is computed from a run, not a formula."""
    names = exercise_names(_chapter(path))
    numbers = {n.rstrip("abcdefgh") for n in names if not exercise(n).quick}
    assert len(numbers) >= 2, f"{path.name}: only {sorted(numbers)} are experiments (reference from a run)"


def _argument_is_a_name(node: ast.AST) -> bool:
    if isinstance(node, ast.Name):
        return True
    if isinstance(node, ast.Constant) and node.value is None:
        return True
    return isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and isinstance(node.slice, ast.Constant)


def _solution_lines(source: str) -> set[str]:
    lines = set()
    for line in source.splitlines():
        code = line.split("  #")[0].strip()
        # a function's signature is the template's too (def softplus(x): return None), and checks are shown anyway
        if len(code) < 16 or code.startswith(("#", "check(", "print(", "assert ", "def ")) or re.fullmatch(r"\w+ = None", code):
            continue
        lines.add(code)
    return lines


def _forms(value, digits: int | None) -> set[str]:
    """How a numeric reference would be written to the digits asked (forms with 3+ significant digits only)."""
    forms = set()
    for x in np.atleast_1d(np.asarray(value, dtype=float)).ravel():
        if not np.isfinite(x):
            continue
        candidates = {f"{x:.{digits}g}"} if digits else {f"{x:.3g}", f"{x:.4g}"}
        if float(x).is_integer():
            candidates |= {str(int(x)), f"{int(x):,}"}
        forms |= {f for f in candidates if len(re.sub(r"^[-0.]+|[^0-9]", "", f)) >= 3}
    return forms


@pytest.fixture(scope="module")
def copies(tmp_path_factory):
    out = tmp_path_factory.mktemp("student")
    assert student.main([str(p) for p in CHAPTERS] + ["--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_student_copies_show_no_reference_formula_or_solution(path, copies):
    copy = exercise_cells(nbformat.read(copies / path.name, as_version=4).cells)
    source = exercise_cells(nbformat.read(path, as_version=4).cells)
    assert not any(is_solution(c) for c in copy)
    learner_cells = [c for c in copy if c.cell_type == "code"]
    for cell in learner_cells:
        for call in check_calls(cell.source):
            shown = ast.unparse(call)
            assert all(_argument_is_a_name(a) for a in call.args[1:]), f"{path.name}: {shown}: pass the learner's variables, not expressions"
            assert all(k.arg and isinstance(k.value, ast.Name) for k in call.keywords), f"{path.name}: {shown}: given values go by name (y_test=y_test)"
            assert not any(k.arg == "strict" for k in call.keywords), f"{path.name}: {shown}: strict checks belong to solutions"
    text = "\n".join(c.source for c in copy)
    for cell in filter(is_solution, source):
        for line in _solution_lines(cell.source):
            assert line not in text, f"{path.name}: a line of a solution shows in the student copy: {line!r}"
    code = "\n".join(c.source for c in learner_cells)
    for name in exercise_names(_chapter(path)):
        ex = exercise(name)
        if not ex.quick:
            continue
        value = reference(name)
        if isinstance(value, (bool, np.bool_)):
            continue
        if isinstance(value, str):
            assert f'"{value}"' not in code and f"'{value}'" not in code, f"{path.name}: exercise {name}'s answer {value!r} shows in a learner cell"
            continue
        for form in _forms(value, ex.digits):
            assert not re.search(rf"(?<![\d.]){re.escape(form)}(?![\d])", text), f"{path.name}: exercise {name}'s reference {form} shows in the student copy"
