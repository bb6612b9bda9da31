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
