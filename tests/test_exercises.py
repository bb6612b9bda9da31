import re

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
        (np.array(["relu"]), "relu", False),  # == gives array([True]): only a str answers a str
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


# --- the printed verdicts: the notebooks store them and nbval compares them ---------------------

# Recorded before the bad answers below got their own messages; every notebook's stored output is one
# of these kinds (correct, not answered yet) or a wrong numeric answer a learner sees.
UNCHANGED_VERDICTS = [
    ((0.25, 0.25), {}, "correct."),
    ((None, 3), {}, "not answered yet. Fill in your answer above, then run this cell again."),
    (([1.0, 2.0], [1.0, 2.5]), {}, "not yet: largest difference 0.5 (tolerance rtol=1e-06, atol=0)."),
    ((0.3, 0.25), {}, "not yet: largest difference 0.05 (tolerance rtol=1e-06, atol=0)."),
    ((0.368, np.exp(-1)), {"digits": 3}, "correct (to the 3 significant digits asked for)."),
    ((0.37, np.exp(-1)), {"digits": 3}, "not yet: largest difference 0.00212 (tolerance rtol=1e-06, atol=0; asked to 3 significant digits)."),
    ((9.5e-7, 0.25**10), {"digits": 2}, "correct (to the 2 significant digits asked for)."),
    (("relu", "relu"), {}, "correct."),
    (("tanh", "relu"), {}, "not yet: got 'tanh'."),
    ((True, True), {}, "correct."),
    ((False, True), {}, "not yet: got False."),
    ((1e-12, 0.0), {}, "not yet: largest difference 1e-12 (tolerance rtol=1e-06, atol=0)."),
    ((5, 6), {"rtol": 0, "atol": 0}, "not yet: largest difference 1 (tolerance rtol=0, atol=0)."),
    ((np.array([0.1, 0.2]), [0.1, 0.2]), {}, "correct."),
    (([1.0, 2.0], [1.0, 2.0, 3.0]), {}, "not yet: expected shape (3,), got shape (2,)."),
    ((np.float32(0.25), 0.25), {}, "correct."),
    ((123456.0, 1.0), {}, "not yet: largest difference 1.23e+05 (tolerance rtol=1e-06, atol=0)."),
    ((-1e-20, 1e-20), {}, "not yet: largest difference 2e-20 (tolerance rtol=1e-06, atol=0)."),
]


@pytest.mark.parametrize("args, kwargs, verdict", UNCHANGED_VERDICTS)
def test_verdicts_are_printed_byte_for_byte(capsys, args, kwargs, verdict):
    exercises.check("2.3", *args, **kwargs)
    assert capsys.readouterr().out == f"Exercise 2.3: {verdict}\n"


@pytest.mark.parametrize(
    "answer, expected, verdict",
    [
        ("0.25", 0.25, r"the answer must be a number, not a string: got '0\.25' \(write numbers without quotes\)\."),
        ("abc", 1.0, r"the answer must be a number, not a string: got 'abc'"),
        (["0.1", "0.2"], [0.1, 0.2], r"the answer must be a number, not a string: got \['0\.1', '0\.2'\]"),
        (np.array(["0.1", "0.2"]), [0.1, 0.2], r"the answer must be a number, not a string: got array\(\['0\.1', '0\.2'\]"),
        (np.array([0.1, "0.2"], dtype=object), [0.1, 0.2], "the answer must be a number, not a string"),
        (b"0.25", 0.25, "the answer must be a number, not a string: got b'0.25'"),
        (float("nan"), 0.25, r"the answer is nan, not a finite number\."),
        (np.float64("-inf"), 0.25, r"the answer is -inf, not a finite number\."),
        ([float("nan"), 2.0], [1.0, 2.0], r"the answer holds 1 NaN or infinite value\(s\) \(of 2\); every value must be a finite number\."),
        ([float("nan"), float("inf")], [1.0, 2.0], r"the answer holds 2 NaN or infinite value\(s\) \(of 2\)"),
    ],
    ids=["str", "word", "list-of-str", "array-of-str", "object-array", "bytes", "nan", "-inf", "one-nan", "nan-and-inf"],
)
def test_strings_and_non_finite_numbers_are_not_yet_right(capsys, answer, expected, verdict):
    exercises.check("x", answer, expected)
    out = capsys.readouterr().out
    assert re.fullmatch(rf"Exercise x: not yet: {verdict}.*\n", out), out
    with pytest.raises(AssertionError, match=rf"^exercise x: the answer does not pass its self-check: not yet: {verdict}"):
        exercises.check("x", answer, expected, strict=True)


def test_a_string_is_right_only_where_a_string_is_expected(capsys):
    exercises.check("s", "0.25", "0.25")
    exercises.check("s", 0.25, "0.25")
    assert capsys.readouterr().out.splitlines() == ["Exercise s: correct.", "Exercise s: not yet: got 0.25."]


def test_infinity_is_right_where_infinity_is_expected(capsys):
    exercises.check("i", [1.0, np.inf], [1.0, np.inf])
    exercises.check("i", float("nan"), float("nan"))  # NaN is never equal to anything: no answer passes
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["Exercise i: correct.", "Exercise i: not yet: the answer is nan, not a finite number."]


def test_a_number_is_not_a_yes_or_no(capsys):
    """1 == True in Python, but an exercise that asks True or False wants a bool."""
    exercises.check("x", 1, True)
    assert capsys.readouterr().out == "Exercise x: not yet: got 1.\n"
    exercises.check("x", np.True_, True)
    assert capsys.readouterr().out == "Exercise x: correct.\n"
    exercises.check("x", True, 1.0)  # a number expected: a bool still counts as 1 there, as before
    assert "correct" in capsys.readouterr().out
