"""``tools/assignments.py`` (``make assignments``): chapters as nbgrader assignments, and nbgrader's whole cycle.

The cycle test does what an instructor's hub does, headless, on two chapters: generate the release
copies, collect two submissions (one that answers every exercise as the solutions do, one handed in
blank), autograde them, and read the gradebook: full marks and zero.
"""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from tools import assignments

ROOT = Path(__file__).resolve().parents[1]


def _notebook(*cells):
    return nbformat.v4.new_notebook(cells=list(cells))


def test_split_checks_keeps_the_template_and_finds_the_checks():
    code, checks, names = assignments.split_checks('my_a = None  # a number\n# the check\ncheck("4.2a", my_a)\ncheck(\n    "4.2b", my_b)')
    assert code == "my_a = None  # a number"
    assert checks == '# the check\ncheck("4.2a", my_a)\ncheck(\n    "4.2b", my_b)'
    assert names == ["4.2a", "4.2b"]


def test_an_exercise_becomes_an_answer_cell_and_a_test_cell():
    nb = _notebook(
        nbformat.v4.new_markdown_cell("### Exercise 1.2: a slope (★)"),
        nbformat.v4.new_code_cell('my_answer = None  # a number\ncheck("1.2", my_answer)'),
        nbformat.v4.new_code_cell('my_answer = 0.25  # the slope at 0\nprint(my_answer)\ncheck("1.2", my_answer, strict=True)', metadata={"tags": ["solution"]}),
    )
    source, points = assignments.to_assignment(nb)
    heading, answer, test = source["cells"]
    assert points == 1 and heading["source"].startswith("### Exercise 1.2")
    assert answer["source"] == "my_answer = None  # a number\n### BEGIN SOLUTION\nmy_answer = 0.25  # the slope at 0\nprint(my_answer)\n### END SOLUTION"
    assert answer["metadata"]["nbgrader"] == {"grade": False, "grade_id": "ex1-2-answer", "locked": False, "schema_version": 3, "solution": True, "task": False}
    assert test["source"] == 'check("1.2", my_answer)\n### BEGIN HIDDEN TESTS\ncheck("1.2", my_answer, strict=True)\n### END HIDDEN TESTS'
    assert test["metadata"]["nbgrader"]["points"] == 1 and test["metadata"]["nbgrader"]["locked"]
    assert len(nb.cells) == 3, "the chapter is left as it was"


def test_a_solution_must_check_what_its_learner_cell_checks():
    nb = _notebook(
        nbformat.v4.new_code_cell('x = None\ncheck("1.2", x)'),
        nbformat.v4.new_code_cell('x = 1\ncheck("1.3", x, strict=True)', metadata={"tags": ["solution"]}),
    )
    with pytest.raises(ValueError, match=r"a learner cell with checks \['1\.2'\] must be followed by a solution ending with the same strict checks, got \['1\.3'\]"):
        assignments.to_assignment(nb)
    with pytest.raises(ValueError, match="a solution cell must follow a learner cell"):
        assignments.to_assignment(_notebook(nbformat.v4.new_code_cell("x = 1", metadata={"tags": ["solution"]})))
    with pytest.raises(TypeError, match="notebook must be a notebook dict"):
        assignments.to_assignment([])


def test_every_chapter_converts_with_a_point_per_checked_answer(tmp_path):
    from nbsupport.exercises import exercise_names

    chapters = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    points = assignments.write_course(chapters, tmp_path)
    assert points == {p.stem: len(exercise_names(int(p.name[:2]))) for p in chapters}
    assert (tmp_path / "nbgrader_config.py").exists()
    nb = nbformat.read(tmp_path / "source" / chapters[4].stem / chapters[4].name, as_version=4)
    nbformat.validate(nb)
    assert not any("solution" in c.metadata.get("tags", []) for c in nb.cells)


def _answered(release: Path, source: Path) -> dict:
    """The release copy with every answer cell filled in as the source's solution does: a student who solved it all."""
    given = {c["metadata"]["nbgrader"]["grade_id"]: c["source"] for c in json.loads(source.read_text())["cells"] if c["metadata"].get("nbgrader", {}).get("solution")}
    nb = json.loads(release.read_text())
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in given:
            text = "".join(given[grade_id])
            cell["source"] = text.replace("### BEGIN SOLUTION\n", "").replace("\n### END SOLUTION", "")
    return nb


def test_nbgrader_generates_and_autogrades_two_chapters(tmp_path):
    """Release, submit a solved and a blank copy, autograde: full marks and zero (about a minute: two chapters run twice)."""
    pytest.importorskip("nbgrader")
    from nbgrader.api import Gradebook

    chapters = [ROOT / "notebooks" / "00_start_here.ipynb", ROOT / "notebooks" / "03_gradient_descent_and_learning_rate.ipynb"]
    course = tmp_path / "course"
    assert assignments.main([str(p) for p in chapters] + ["--out", str(course)]) == 0
    for path in chapters:
        release = course / "release" / path.stem / path.name
        text = release.read_text()
        assert "### BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text and "strict=True" not in text
        assert "# YOUR CODE HERE" in text
        for student, nb in (("solver", _answered(release, course / "source" / path.stem / path.name)), ("blank", json.loads(text))):
            folder = course / "submitted" / student / path.stem
            folder.mkdir(parents=True)
            (folder / path.name).write_text(json.dumps(nb))
    for path in chapters:
        subprocess.run([sys.executable, "-m", "nbgrader", "autograde", path.stem, "--log-level=ERROR"], cwd=course, check=True,
                       env=assignments.nbgrader_env(), capture_output=True)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        for path in chapters:
            solved = gradebook.find_submission(path.stem, "solver")
            blank = gradebook.find_submission(path.stem, "blank")
            assert solved.max_score > 0 and solved.score == solved.max_score, f"{path.stem}: the solved copy scored {solved.score} of {solved.max_score}"
            assert blank.score == 0, f"{path.stem}: the blank copy scored {blank.score}"
    shutil.rmtree(course)
