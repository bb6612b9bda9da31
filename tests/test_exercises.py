import numpy as np
import pytest

from nbsupport import exercises


@pytest.mark.parametrize(
    "answer, expected, correct",
    [
        (0.25, 0.25, True),
        (None, 1.0, False),
        ([1.0, 2.0], [1.0, 2.0, 3.0], False),
        ("abc", 1.0, False),
        ("relu", "relu", True),
        (1, "relu", False),
        (True, True, True),
        (1.0 + 1e-9, 1.0, True),
        (np.array([0.1, 0.2]), [0.1, 0.2], True),
    ],
)
def test_check_verdicts(capsys, answer, expected, correct):
    assert exercises.check("x", answer, expected) is None
    out = capsys.readouterr().out
    assert ("Exercise x: correct." in out) == correct
    if correct:
        exercises.check("x", answer, expected, strict=True)
    else:
        with pytest.raises(AssertionError, match="exercise x: the answer does not pass"):
            exercises.check("x", answer, expected, strict=True)


def test_check_messages(capsys):
    exercises.check("b", None, 1.0)
    exercises.check("c", [1.0, 2.0], [1.0, 2.0, 3.0])
    out = capsys.readouterr().out
    assert "not answered yet" in out and "expected shape (3,)" in out


@pytest.mark.parametrize(
    "kwargs, error", [({"rtol": -1}, ValueError), ({"atol": float("nan")}, ValueError), ({"rtol": "0.1"}, TypeError)]
)
def test_check_rejects_bad_tolerances(kwargs, error):
    with pytest.raises(error, match=r"(rtol|atol) must be a finite number in \[0, inf\)"):
        exercises.check("x", 1.0, 1.0, **kwargs)


def test_check_rejects_bad_strict():
    with pytest.raises(TypeError, match="strict must be True or False"):
        exercises.check("x", 1.0, 1.0, strict=1)


def test_check_rejects_bad_name():
    with pytest.raises(ValueError, match="name must be a non-empty str"):
        exercises.check("", 1.0, 1.0)
    with pytest.raises(TypeError, match="name must be a non-empty str, got int 3"):
        exercises.check(3, 1.0, 1.0)


@pytest.mark.parametrize(
    "answer, expected, digits, correct",
    [
        (9.5e-7, 0.25**10, 2, True),  # 9.5367e-7 to 2 significant digits
        (9.54e-7, 0.25**10, 2, True),  # more precise than asked
        (9.6e-7, 0.25**10, 2, False),
        (9.5e-7, 0.25**10, 3, False),  # 3 digits asked: 9.54e-7
        (0.368, np.exp(-1.0), 3, True),
        (0.37, np.exp(-1.0), 3, False),
        (-0.368, -np.exp(-1.0), 3, True),
        ([1.0, 0.368], [1.0, np.exp(-1.0)], 3, True),
    ],
)
def test_answers_to_the_digits_asked_for(capsys, answer, expected, digits, correct):
    exercises.check("d", answer, expected, digits=digits)
    out = capsys.readouterr().out
    assert ("Exercise d: correct" in out) == correct, out
    if correct and not np.allclose(answer, expected, rtol=1e-6, atol=0.0):
        assert f"to the {digits} significant digits asked for" in out
    if not correct:
        assert f"asked to {digits} significant digits" in out


@pytest.mark.parametrize("digits, error", [(0, ValueError), (2.0, TypeError), (True, TypeError)])
def test_digits_must_be_a_count(digits, error):
    with pytest.raises(error, match="digits must be an int"):
        exercises.check("x", 1.0, 1.0, digits=digits)


def test_the_default_tolerance_is_relative(capsys):
    """A tiny expected value is not matched by 0 (an absolute default would accept it)."""
    exercises.check("t", 0.0, 1e-12)
    exercises.check("t", 1e-12 * (1 + 1e-7), 1e-12)
    exercises.check("t", 1e-13, 0.0, digits=3, atol=1e-12)  # an expected 0 falls back to atol
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Exercise t: not yet") and out[1] == "Exercise t: correct." and out[2].startswith("Exercise t: correct")
