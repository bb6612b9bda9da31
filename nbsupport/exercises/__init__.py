"""Self-checks for the exercises: ``check("4.1", my_answer)`` says whether an answer is right, and why not.

The notebooks show only the learner's variables and one call. What an answer is compared against lives
here, in one module per chapter (``chapter04.py`` holds chapter 4's exercises), as the answers sit at the
back of a book: a learner who looks can find them; a learner reading the notebook does not see them.

Each :class:`Exercise` computes its reference when an answer is given (not before), from the values the
notebook passes by name (``check("2.3", my_answer, y_test=y_test, p_test=p_test)``), so a reference that
depends on the library versions is computed with the versions in use. A wrong answer gets a hint: the
hint of the first :class:`Mistake` whose typical wrong answer it matches (a factor of 2, a sign, the
wrong layer), else the exercise's general hint. A right one gets one sentence on what it means.

``check`` prints its verdict and returns nothing; it does not raise for a wrong answer, so "Run All" keeps
going in a learner's copy. Solution cells call it with ``strict=True``, which raises an AssertionError for
a wrong answer, so CI proves that every solution passes its own check.

>>> check("0.1", None)
Exercise 0.1: not answered yet. Fill in your answer above, then run this cell again.
"""

from __future__ import annotations

import importlib
import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

from nbsupport._validation import check_bool, check_str
from nbsupport.exercises._compare import Comparison, compare

__all__ = ["Exercise", "Mistake", "check", "exercise", "exercise_names", "reference"]

#: the chapters that have exercises (each has a module ``chapterNN``)
CHAPTERS = tuple(range(10))


@dataclass(frozen=True)
class Mistake:
    """A typical wrong answer and the hint it deserves.

    Parameters
    ----------
    answer : object or callable
        The wrong answer this mistake gives: a value, or a function ``answer(expected, **given)`` of the
        reference and the values the notebook passed (``lambda expected, **_: 2 * expected``).
    hint : str
        Where the reasoning went wrong, as a hint, not the answer.
    """

    answer: Any
    hint: str

    def wrong_answer(self, expected: Any, given: dict[str, Any]) -> Any:
        """The wrong answer this mistake gives for this reference."""
        return self.answer(expected, **given) if callable(self.answer) else self.answer


@dataclass(frozen=True)
class Exercise:
    """One self-checked answer: how to compute its reference, how close is right, and what to say.

    Parameters
    ----------
    name : str
        The label the notebook uses (``"4.2a"``).
    reference : callable
        ``reference(**given)`` returns the expected answer: a number, array, string or bool.
    meaning : str
        One sentence printed with a right answer: what it means.
    hint : str
        Printed with a wrong answer that no mistake explains.
    mistakes : tuple of Mistake
        Typical wrong answers, tried in order, each with its own hint.
    given : tuple of str
        The names of the values the notebook must pass to :func:`check` (its data, the learner's choice
        of a setting); the reference is a function of them.
    accept : tuple
        Other answers that are also right (``"mean_squared_error"`` beside ``"mse"``).
    rtol, atol, digits
        The tolerance of :func:`~nbsupport.exercises._compare.compare`; ``digits`` for answers asked to a
        number of significant digits.
    validate : callable or None
        ``validate(**given)`` returns None, or a message for a learner whose given values cannot be
        checked (a learning rate outside the range the exercise asks for).
    quick : bool
        Whether the reference takes well under a second and needs no ``given`` values (tests then
        compute it, for example to prove that no student copy prints it).
    """

    name: str
    reference: Callable[..., Any]
    meaning: str
    hint: str
    mistakes: tuple[Mistake, ...] = ()
    given: tuple[str, ...] = ()
    accept: tuple[Any, ...] = ()
    rtol: float = 1e-6
    atol: float = 0.0
    digits: int | None = None
    validate: Callable[..., str | None] | None = None
    quick: bool = True
    tolerance: dict[str, Any] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tolerance", {"rtol": self.rtol, "atol": self.atol, "digits": self.digits})
        for text, what in ((self.meaning, "meaning"), (self.hint, "hint")):
            check_str(text, what)
        if not callable(self.reference):
            raise TypeError(f"reference of exercise {self.name} must be callable, got {type(self.reference).__name__}")


def _chapter_module(chapter: int):
    return importlib.import_module(f"nbsupport.exercises.chapter{chapter:02d}")


def exercise_names(chapter: int | None = None) -> list[str]:
    """The names of the self-checked answers, of one chapter or of all, in the order the notebooks ask them.

    Parameters
    ----------
    chapter : int or None, default=None
        A chapter number (0 to 9); None for all chapters.

    Returns
    -------
    list of str

    Examples
    --------
    >>> exercise_names(0)[0]
    '0.1'
    """
    if chapter is not None and chapter not in CHAPTERS:
        raise ValueError(f"chapter must be one of {list(CHAPTERS)}, got {chapter!r}")
    chapters = CHAPTERS if chapter is None else (chapter,)
    return [ex.name for c in chapters for ex in _chapter_module(c).EXERCISES]


def exercise(name: str) -> Exercise:
    """The :class:`Exercise` called ``name`` (``"4.1"``), from its chapter's module.

    Raises
    ------
    ValueError
        If there is no such exercise; the message lists the chapter's exercises.
    """
    check_str(name, "name")
    chapter_text = name.split(".")[0]
    if not chapter_text.isdigit() or int(chapter_text) not in CHAPTERS:
        raise ValueError(f"name must start with a chapter number 0-9 and a dot, like '4.1', got {name!r}")
    found = {ex.name: ex for ex in _chapter_module(int(chapter_text)).EXERCISES}
    if name not in found:
        raise ValueError(f"chapter {int(chapter_text)} has no exercise {name!r}; its exercises are {sorted(found)}")
    return found[name]


def _checked_given(ex: Exercise, given: dict[str, Any]) -> None:
    missing = [g for g in ex.given if g not in given]
    extra = [g for g in given if g not in ex.given]
    if missing or extra:
        wanted = ", ".join(f"{g}={g}" for g in ex.given) or "nothing beside the answer"
        raise TypeError(f"check({ex.name!r}, answer, ...) takes {wanted}; got {sorted(given) or 'nothing'}")


def reference(name: str, **given: Any) -> Any:
    """The expected answer of exercise ``name``, computed from the ``given`` values (for tests and graders).

    Examples
    --------
    >>> reference("0.1") == exercise("0.1").reference()
    True
    """
    ex = exercise(name)
    _checked_given(ex, given)
    return ex.reference(**given)


def _unanswered(answer: Any) -> bool:
    if answer is None:
        return True
    return isinstance(answer, (list, tuple)) and any(item is None for item in answer)


def _judge(ex: Exercise, answer: Any, given: dict[str, Any]) -> tuple[bool, str]:
    """Whether ``answer`` is right, and the verdict to print after ``"Exercise {name}: "``."""
    if _unanswered(answer):
        return False, "not answered yet. Fill in your answer above, then run this cell again."
    if ex.validate is not None:
        problem = ex.validate(**given)
        if problem:
            return False, f"not yet: {problem}"
    expected = ex.reference(**given)
    outcome: Comparison = compare(answer, expected, **ex.tolerance)
    if not outcome.ok:
        for other in ex.accept:
            if compare(answer, other, **ex.tolerance).ok:
                outcome = Comparison(True)
                break
    if outcome.ok:
        rounded = f" ({outcome.note})" if outcome.note else ""
        return True, f"correct{rounded}. {ex.meaning}"
    if outcome.form:
        return False, f"not yet: {outcome.note}."
    hint = ex.hint
    for mistake in ex.mistakes:
        if compare(answer, mistake.wrong_answer(expected, given), **ex.tolerance).ok:
            hint = mistake.hint
            break
    problem = f": {outcome.note}" if outcome.note else ""
    return False, f"not yet{problem}. Hint: {hint}"


def check(name: str, answer: Any, *, strict: bool = False, **given: Any) -> None:
    """Print whether ``answer`` solves exercise ``name``: with a hint if not, with what it means if so.

    Parameters
    ----------
    name : str
        The exercise's label, as the notebook numbers it (``"1.2"``, ``"4.2a"``).
    answer : object
        The learner's value: a number, an array, a string or a bool; ``None`` (or a list or tuple with a
        None in it) means "not answered yet", and then nothing is computed.
    strict : bool, default=False
        Raise AssertionError unless the answer is right (for solution cells).
    **given
        The notebook values the exercise's reference is computed from, by the names the exercise lists
        (most exercises need none).

    Raises
    ------
    AssertionError
        With ``strict=True``, when the answer is not right (the message ends with the printed verdict).
    TypeError, ValueError
        For an unknown exercise, a bad ``strict``, or missing or unexpected given values.

    Examples
    --------
    >>> check("0.1", "1")
    Exercise 0.1: not yet: the answer must be a number, not a string: got '1' (write numbers without quotes).
    """
    check_bool(strict, "strict")
    ex = exercise(name)
    _checked_given(ex, given)
    ok, verdict = _judge(ex, answer, given)
    print(f"Exercise {name}: {verdict}")
    if strict and not ok:
        raise AssertionError(f"exercise {name}: the answer does not pass its self-check: {verdict}")


def _signature_names(function: Callable[..., Any]) -> list[str]:
    """The keyword names a reference function takes (tests compare them with ``given``)."""
    return [p.name for p in inspect.signature(function).parameters.values() if p.kind != p.VAR_KEYWORD]
