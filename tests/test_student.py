"""Unit tests for the developer tool ``tools/student.py`` (``make student``)."""

import nbformat
import pytest

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
    from pathlib import Path

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
