"""The self-checks: the comparison, the ``check`` call, and every chapter's answers at the back of the book."""

import re

import numpy as np
import pytest

from nbsupport import exercises
from nbsupport.exercises import Exercise, Mistake, check, exercise, exercise_names, reference
from nbsupport.exercises._compare import compare

# --- the comparison -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, expected, correct",
    [
        (0.25, 0.25, True),
        ([1.0, 2.0], [1.0, 2.0, 3.0], False),
        ("abc", 1.0, False),
        ("relu", "relu", True),
        (np.array(["relu"]), "relu", False),  # == gives array([True]): only a str answers a str
        (True, True, True),
        (np.True_, True, True),
        (1, True, False),  # 1 == True in Python, but a yes-or-no question wants a bool
        (1.0 + 1e-9, 1.0, True),
        (np.array([0.1, 0.2]), [0.1, 0.2], True),
        (np.float32(0.25), 0.25, True),
        ([1.0, np.inf], [1.0, np.inf], True),
        (float("nan"), float("nan"), False),  # NaN equals nothing: no answer passes
        (0.0, 1e-12, False),  # the default tolerance is relative
        (1e-12 * (1 + 1e-7), 1e-12, True),
    ],
)
def test_compare(answer, expected, correct):
    assert compare(answer, expected).ok == correct


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
def test_answers_to_the_digits_asked_for(answer, expected, digits, correct):
    outcome = compare(answer, expected, digits=digits)
    assert outcome.ok == correct
    if correct and not np.allclose(answer, expected, rtol=1e-6, atol=0.0):
        assert outcome.note == f"to the {digits} significant digits asked for"


def test_an_expected_zero_falls_back_to_atol():
    assert compare(1e-13, 0.0, digits=3, atol=1e-12).ok
    assert not compare(1e-11, 0.0, digits=3, atol=1e-12).ok


@pytest.mark.parametrize(
    "answer, expected, note",
    [
        ("0.25", 0.25, r"the answer must be a number, not a string: got '0\.25' \(write numbers without quotes\)"),
        (["0.1", "0.2"], [0.1, 0.2], r"the answer must be a number, not a string: got \['0\.1', '0\.2'\]"),
        (np.array([0.1, "0.2"], dtype=object), [0.1, 0.2], "the answer must be a number, not a string"),
        (b"0.25", 0.25, "the answer must be a number, not a string: got b'0.25'"),
        (float("nan"), 0.25, r"the answer is nan, not a finite number"),
        (np.float64("-inf"), 0.25, r"the answer is -inf, not a finite number"),
        ([float("nan"), 2.0], [1.0, 2.0], r"1 of the 2 values are NaN or infinite"),
        ([1.0, 2.0], [1.0, 2.0, 3.0], r"expected shape \(3,\), got shape \(2,\)"),
        (0.25, "0.25", r"the answer is a string here, in quotes: got 0\.25"),
        (1, True, "the answer is True or False here: got 1"),
        ({"a": 1}, 1.0, "expected a number or an array of numbers, got dict"),
    ],
)
def test_what_is_wrong_with_the_form_of_an_answer(answer, expected, note):
    outcome = compare(answer, expected)
    assert not outcome.ok and outcome.form and re.match(note, outcome.note), outcome


def test_a_wrong_number_is_not_told_how_far_off_it_is():
    """Telling the distance would give the answer away one guess at a time."""
    assert compare(0.3, 0.25) == exercises._compare.Comparison(False)
    outcome = compare([1.0, 2.0, 3.0], [1.0, 2.5, 3.5])
    assert outcome.note == "2 of the 3 values are off (the first at index 1)" and not outcome.form


@pytest.mark.parametrize("kwargs, error", [({"rtol": -1}, ValueError), ({"atol": float("nan")}, ValueError), ({"rtol": "0.1"}, TypeError)])
def test_compare_rejects_bad_tolerances(kwargs, error):
    with pytest.raises(error, match=r"(rtol|atol) must be a finite number in \[0, inf\)"):
        compare(1.0, 1.0, **kwargs)


@pytest.mark.parametrize("digits, error", [(0, ValueError), (2.0, TypeError), (True, TypeError)])
def test_digits_must_be_a_count(digits, error):
    with pytest.raises(error, match="digits must be an int"):
        compare(1.0, 1.0, digits=digits)


# --- the check call --------------------------------------------------------------------------------

DEMO = Exercise(
    "demo",
    lambda scale=1.0: 0.25 * scale,
    meaning="a quarter is sigmoid's largest slope.",
    hint="think of the slope at 0.",
    mistakes=(Mistake(lambda expected, **_: 2 * expected, "twice too large."), Mistake(0.0, "zero is the slope far out.")),
    given=("scale",),
    accept=(0.2500001,),
    digits=2,
    validate=lambda scale: None if scale > 0 else f"scale must be positive, got {scale}",
)


@pytest.fixture
def demo(monkeypatch):
    monkeypatch.setattr(exercises, "exercise", lambda name: DEMO)
    return DEMO


def test_check_prints_the_meaning_of_a_right_answer_and_the_hint_of_a_mistake(demo, capsys):
    check("demo", 0.25, scale=1.0)
    check("demo", 0.5, scale=1.0)
    check("demo", 0.0, scale=1.0)
    check("demo", 0.3, scale=1.0)
    check("demo", 0.251, scale=1.0)
    assert capsys.readouterr().out.splitlines() == [
        "Exercise demo: correct. a quarter is sigmoid's largest slope.",
        "Exercise demo: not yet. Hint: twice too large.",
        "Exercise demo: not yet. Hint: zero is the slope far out.",
        "Exercise demo: not yet. Hint: think of the slope at 0.",
        "Exercise demo: correct (to the 2 significant digits asked for). a quarter is sigmoid's largest slope.",
    ]


def test_check_computes_nothing_until_there_is_an_answer(monkeypatch, capsys):
    def expensive():
        raise AssertionError("the reference was computed for an unanswered exercise")

    lazy = Exercise("lazy", expensive, meaning="m.", hint="h.")
    monkeypatch.setattr(exercises, "exercise", lambda name: lazy)
    check("lazy", None)
    check("lazy", [1.0, None])
    check("lazy", (None, None))
    assert capsys.readouterr().out.count("not answered yet") == 3


def test_check_strict_raises_for_a_wrong_answer(demo, capsys):
    check("demo", 0.25, scale=1.0, strict=True)
    with pytest.raises(AssertionError, match=r"^exercise demo: the answer does not pass its self-check: not yet\. Hint: twice"):
        check("demo", 0.5, scale=1.0, strict=True)
    with pytest.raises(AssertionError, match="not answered yet"):
        check("demo", None, scale=1.0, strict=True)
    with pytest.raises(TypeError, match="strict must be True or False"):
        check("demo", 0.25, scale=1.0, strict=1)


def test_check_says_when_a_given_value_cannot_be_checked(demo, capsys):
    check("demo", 0.25, scale=-1.0)
    assert capsys.readouterr().out == "Exercise demo: not yet: scale must be positive, got -1.0\n"


def test_check_accepts_the_other_right_answers(demo, capsys):
    check("demo", 0.2500001, scale=2.0)  # accepted though the reference is now 0.5
    assert "correct" in capsys.readouterr().out


def test_check_names_missing_and_unexpected_given_values(demo):
    with pytest.raises(TypeError, match=r"check\('demo', answer, \.\.\.\) takes scale=scale; got nothing"):
        check("demo", 0.25)
    with pytest.raises(TypeError, match=r"takes scale=scale; got \['other', 'scale'\]"):
        check("demo", 0.25, scale=1.0, other=2)


def test_unknown_exercises_are_named():
    with pytest.raises(ValueError, match=r"chapter 0 has no exercise '0\.99'; its exercises are \["):
        check("0.99", 1.0)
    with pytest.raises(ValueError, match="name must start with a chapter number 0-9 and a dot"):
        check("x", 1.0)
    with pytest.raises(TypeError, match="name must be a non-empty str, got int 3"):
        check(3, 1.0)
    with pytest.raises(ValueError, match=r"chapter must be one of \[0, 1"):
        exercise_names(12)


def test_an_exercise_needs_words_and_a_callable_reference():
    with pytest.raises(ValueError, match="meaning must be a non-empty str"):
        Exercise("x", lambda: 1, meaning="", hint="h")
    with pytest.raises(TypeError, match="reference of exercise x must be callable, got float"):
        Exercise("x", 1.0, meaning="m", hint="h")


# --- every chapter's answers -------------------------------------------------------------------------

ALL = exercise_names()
QUICK = [name for name in ALL if exercise(name).quick]


def test_exercise_names_are_unique_and_in_chapter_order():
    assert len(ALL) == len(set(ALL))
    chapters = [int(name.split(".")[0]) for name in ALL]
    assert chapters == sorted(chapters)


@pytest.mark.parametrize("name", ALL)
def test_every_exercise_teaches(name):
    """A right answer gets a sentence of meaning, a wrong one a hint that is not the answer; `given` matches the reference."""
    ex = exercise(name)
    assert ex.meaning.endswith((".", "!", ")")) and len(ex.meaning) > 20, f"{name}: meaning should be a sentence"
    assert len(ex.hint) > 20, f"{name}: the general hint should say where the reasoning goes wrong"
    assert sorted(exercises._signature_names(ex.reference)) == sorted(ex.given), f"{name}: given must name the reference's arguments"
    if ex.given:
        assert not ex.quick, f"{name}: an exercise that needs notebook values is not quick"


@pytest.mark.parametrize("name", QUICK)
def test_every_quick_reference_passes_its_own_check_and_every_mistake_gets_its_hint(name, capsys):
    ex = exercise(name)
    expected = reference(name)
    check(name, expected, strict=True)
    assert "correct" in capsys.readouterr().out
    for mistake in ex.mistakes:
        wrong = mistake.wrong_answer(expected, {})
        assert not compare(wrong, expected, **ex.tolerance).ok, f"{name}: a mistake's answer must be wrong: {wrong!r}"
        check(name, wrong)
        out = capsys.readouterr().out
        assert out.startswith(f"Exercise {name}: not yet"), out
        first = next(m for m in ex.mistakes if compare(wrong, m.wrong_answer(expected, {}), **ex.tolerance).ok)
        assert first.hint in out, f"{name}: {wrong!r} should get its mistake's hint"
