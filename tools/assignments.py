"""Write an nbgrader course folder from the chapters: one assignment per chapter, graded by its self-checks.

A tool for instructors, not part of the course package: it needs ``nbformat`` (the ``test`` extra) and,
to generate the release copies, ``nbgrader`` (the ``teach`` extra). Run it from the project root
(``make assignments``)::

    python tools/assignments.py notebooks/*.ipynb --out build/assignments

For every chapter it writes ``source/<chapter>/<chapter>.ipynb``, in which each exercise becomes two
nbgrader cells:

- an **answer cell** (``solution``): the learner cell's template, then the solution cell's code between
  ``### BEGIN SOLUTION`` and ``### END SOLUTION``;
- a **test cell** (``grade``, locked, one point per checked answer): the learner cell's visible
  ``check(...)`` calls, then the solution's ``check(..., strict=True)`` calls between ``### BEGIN HIDDEN
  TESTS`` and ``### END HIDDEN TESTS``. A wrong or missing answer makes the strict check raise, so the
  cell scores 0; a right one scores its points.

Then, unless ``--no-release``, it runs ``nbgrader generate_assignment`` for each chapter, which writes
``release/<chapter>/<chapter>.ipynb``: the solutions replaced by ``# YOUR CODE HERE``, the hidden
checks removed, the outputs cleared. ``nbgrader_config.py`` in the folder names it as the course root,
so ``nbgrader autograde``, ``nbgrader generate_feedback`` and the formgrader work there as usual.
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
from pathlib import Path

SOLUTION_TAG = "solution"
CONFIG = '''# nbgrader's configuration for the course folder written by tools/assignments.py (make assignments).
# Run nbgrader's commands from this folder: it is the course root.
c = get_config()  # noqa: F821 (nbgrader provides it)
c.CourseDirectory.course_id = "activation-functions-course"
# the learner cell's template (my_answer = None, ...) stays above the stub, so Run All still works
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
# a chapter trains networks: give each cell time on a slow hub
c.Execute.timeout = 600
'''


def _statements(source: str) -> list[tuple[ast.stmt, str]]:
    """Each top-level statement of ``source`` with its text (comment lines attach to the next statement)."""
    lines = source.splitlines()
    tree = ast.parse(source)
    out = []
    start = 0
    for node in tree.body:
        end = node.end_lineno or node.lineno
        out.append((node, "\n".join(lines[start:end])))
        start = end
    trailing = "\n".join(lines[start:]).strip()
    if trailing and out:  # comments after the last statement belong to it
        node, text = out[-1]
        out[-1] = (node, text + "\n" + "\n".join(lines[start:]))
    return out


def _is_check(node: ast.stmt) -> bool:
    return (
        isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == "check"
    )


def split_checks(source: str) -> tuple[str, str, list[str]]:
    """Split a cell into (code without the check calls, the check calls, the names they check).

    Examples
    --------
    >>> split_checks('x = None  # an int\\ncheck("3.3", x)')
    ('x = None  # an int', 'check("3.3", x)', ['3.3'])
    """
    code, checks, names = [], [], []
    for node, text in _statements(source):
        if _is_check(node):
            checks.append(text.strip("\n"))
            names.append(node.value.args[0].value)
        else:
            code.append(text.strip("\n"))
    return "\n".join(c for c in code if c.strip()), "\n".join(checks), names


def _nbgrader(grade_id: str, *, solution: bool, grade: bool, points: int = 0) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": grade, "schema_version": 3, "solution": solution, "task": False}
    if grade:
        meta["points"] = points
    return meta


def to_assignment(notebook: dict) -> tuple[dict, int]:
    """Return the nbgrader source version of a chapter (as a dict) and its total points.

    Parameters
    ----------
    notebook : dict
        A chapter as ``nbformat.read`` returns it (version 4); it is not modified.

    Returns
    -------
    source : dict
        The chapter with each exercise's learner and solution cells replaced by an answer cell and a
        test cell with nbgrader metadata; outputs cleared.
    points : int
        One point per checked answer.

    Raises
    ------
    ValueError
        If a solution cell does not follow a learner cell with checks.
    """
    if not isinstance(notebook, dict) or not isinstance(notebook.get("cells"), list):
        raise TypeError("notebook must be a notebook dict with a 'cells' list (as nbformat or json reads it)")
    cells = notebook["cells"]
    out: list[dict] = []
    points = 0
    i = 0
    while i < len(cells):
        cell = cells[i]
        nxt = cells[i + 1] if i + 1 < len(cells) else None
        if cell.get("cell_type") == "code" and nxt is not None and SOLUTION_TAG in nxt.get("metadata", {}).get("tags", []):
            template, visible, names = split_checks(_text(cell))
            answer, hidden, strict_names = split_checks(_text(nxt))
            if not names or names != strict_names:
                raise ValueError(f"cell {i}: a learner cell with checks {names} must be followed by a solution ending with the same strict checks, got {strict_names}")
            number = names[0].rstrip("abcdefgh").replace(".", "-")
            answer_cell = f"{template}\n### BEGIN SOLUTION\n{answer}\n### END SOLUTION"
            out.append(_code(answer_cell, _nbgrader(f"ex{number}-answer", solution=True, grade=False), cell.get("id")))
            test = f"{visible}\n### BEGIN HIDDEN TESTS\n{hidden}\n### END HIDDEN TESTS"
            out.append(_code(test, _nbgrader(f"ex{number}-check", solution=False, grade=True, points=len(names)), nxt.get("id")))
            points += len(names)
            i += 2
            continue
        if SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            raise ValueError(f"cell {i}: a solution cell must follow a learner cell")
        out.append(_code(_text(cell), {}, cell.get("id")) if cell.get("cell_type") == "code" else {**cell, "metadata": _plain_metadata(cell)})
        i += 1
    return {**notebook, "cells": out}, points


def _text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


def _plain_metadata(cell: dict) -> dict:
    return {k: v for k, v in cell.get("metadata", {}).items() if k != "tags"}


def _code(source: str, nbgrader: dict, cell_id: str | None) -> dict:
    metadata = {"nbgrader": nbgrader} if nbgrader else {}
    cell = {"cell_type": "code", "execution_count": None, "metadata": metadata, "outputs": [], "source": source}
    return {**cell, "id": cell_id} if cell_id else cell


def write_course(paths: list[Path], out: Path) -> dict[str, int]:
    """Write ``nbgrader_config.py`` and ``source/<chapter>/<chapter>.ipynb`` for each chapter; return the points."""
    import nbformat
    from nbformat.corpus.words import generate_corpus_id

    out.mkdir(parents=True, exist_ok=True)
    (out / "nbgrader_config.py").write_text(CONFIG)
    points = {}
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        source, points[path.stem] = to_assignment(nb)
        folder = out / "source" / path.stem
        folder.mkdir(parents=True, exist_ok=True)
        nb.cells = [nbformat.from_dict(c) for c in source["cells"]]
        for cell in nb.cells:  # a cell without an id (an older editor's) gets one: nbgrader validates the notebook
            cell.setdefault("id", generate_corpus_id())
        nbformat.write(nb, folder / path.name)
    return points


def release(out: Path, assignments: list[str]) -> None:
    """Run ``nbgrader generate_assignment`` in the course folder for each assignment (``release/``)."""
    for name in assignments:
        subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", name, "--force", "--log-level=WARN"], cwd=out, check=True, env=nbgrader_env())


def nbgrader_env() -> dict[str, str]:
    """The environment for nbgrader's commands: this Python's scripts first on the PATH (nbgrader calls ``alembic``)."""
    return {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}


def main(argv: list[str] | None = None) -> int:
    """The command line: ``python tools/assignments.py NOTEBOOK ... [--out FOLDER] [--no-release]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", help="chapter .ipynb files")
    parser.add_argument("--out", default="build/assignments", help="the nbgrader course folder (default: build/assignments)")
    parser.add_argument("--no-release", action="store_true", help="write the source versions only, without running nbgrader")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    points = write_course([Path(p) for p in args.notebooks], out)
    if not args.no_release:
        release(out, list(points))
    for name, total in points.items():
        print(f"{name}: {total} point(s)")
    print(f"nbgrader course folder: {args.out} (source/ with solutions and hidden checks{'' if args.no_release else ', release/ for students'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
