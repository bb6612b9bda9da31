"""Self-checks for the exercises: a learner's answer against the expected value, with a friendly verdict.

``check`` prints a verdict and returns nothing; it never raises for a wrong answer, so "Run All"
keeps going in a learner's copy. Solution cells call it with ``strict=True``, which raises an
AssertionError for a wrong answer, so CI proves that every solution passes its own check.

>>> check("demo", 0.25, 0.25)
Exercise demo: correct.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nbsupport._validation import check_bool, check_scalar, check_str

__all__ = ["check"]


def check(name: str, answer: Any, expected: Any, *, rtol: float = 1e-6, atol: float = 1e-9, strict: bool = False) -> None:
    """Compare ``answer`` with ``expected`` and print whether the exercise is solved.

    Parameters
    ----------
    name : str
        The exercise's label, as the notebook numbers it (``"1.2"``).
    answer : object
        The learner's value: a number, an array, a string or a bool; ``None`` means "not answered yet".
    expected : object
        The reference value of the same kind.
    rtol : float, default=1e-6
        Relative tolerance for numbers and arrays (``numpy.allclose``), >= 0.
    atol : float, default=1e-9
        Absolute tolerance, >= 0.
    strict : bool, default=False
        Raise AssertionError unless the answer is correct (for solution cells).

    Raises
    ------
    AssertionError
        With ``strict=True``, when the answer is not correct.
    TypeError, ValueError
        For a bad ``name``, tolerance or ``strict``.

    Examples
    --------
    >>> check("1.1", None, 3)
    Exercise 1.1: not answered yet. Fill in your answer above, then run this cell again.
    >>> check("1.1", [1.0, 2.0], [1.0, 2.5])
    Exercise 1.1: not yet: largest difference 0.5 (tolerance rtol=1e-06, atol=1e-09).
    """
    ok = _verdict(name, answer, expected, rtol=rtol, atol=atol, strict=strict)
    if strict and not ok:
        raise AssertionError(f"exercise {name}: the answer does not pass its self-check")


def _verdict(name: str, answer: Any, expected: Any, *, rtol: float, atol: float, strict: bool) -> bool:
    check_str(name, "name")
    check_scalar(rtol, "rtol", min_val=0.0)
    check_scalar(atol, "atol", min_val=0.0)
    check_bool(strict, "strict")
    if answer is None:
        print(f"Exercise {name}: not answered yet. Fill in your answer above, then run this cell again.")
        return False
    if isinstance(expected, (str, bool, np.bool_)):
        same_kind = isinstance(answer, str) == isinstance(expected, str)
        ok = same_kind and bool(answer == expected)
        message = "correct." if ok else f"not yet: got {answer!r}."
    else:
        try:
            got = np.asarray(answer, dtype=float)
            want = np.asarray(expected, dtype=float)
        except (TypeError, ValueError):
            print(f"Exercise {name}: not yet: expected a number or an array of numbers, got {type(answer).__name__}.")
            return False
        if got.shape != want.shape:
            print(f"Exercise {name}: not yet: expected shape {want.shape}, got shape {got.shape}.")
            return False
        ok = bool(np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=False))
        if ok:
            message = "correct."
        else:
            gap = float(np.nanmax(np.abs(got - want))) if got.size else float("nan")
            message = f"not yet: largest difference {gap:.3g} (tolerance rtol={rtol:g}, atol={atol:g})."
    print(f"Exercise {name}: {message}")
    return ok
