"""Self-checks for the exercises: a learner's answer against the expected value, with a friendly verdict.

``check`` prints a verdict and returns nothing; it never raises for a wrong answer, so "Run All"
keeps going in a learner's copy. Solution cells call it with ``strict=True``, which raises an
AssertionError for a wrong answer, so CI proves that every solution passes its own check.

Numeric answers asked for "to 3 significant digits" pass ``digits=3``: then any answer that agrees with
the expected value to that many significant digits is right (0.368 for e^-1 = 0.36788...), and so is
any more precise one.

>>> check("demo", 0.25, 0.25)
Exercise demo: correct.
>>> check("demo", 0.368, np.exp(-1), digits=3)
Exercise demo: correct (to the 3 significant digits asked for).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nbsupport._validation import check_bool, check_int, check_scalar, check_str

__all__ = ["check"]


def check(
    name: str,
    answer: Any,
    expected: Any,
    *,
    rtol: float = 1e-6,
    atol: float = 0.0,
    digits: int | None = None,
    strict: bool = False,
) -> None:
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
    atol : float, default=0.0
        Absolute tolerance, >= 0: set it where the expected values include zeros or numbers far smaller
        than the rest (with the default, the tolerance is relative: ``rtol`` times each expected value).
    digits : int or None, default=None
        For answers asked to a number of significant digits: also accept every value within half a unit
        of the last asked digit of ``expected`` (``digits=2`` accepts 9.5e-7 for 9.5367e-7). Per entry
        for arrays; an expected 0 falls back to ``atol``.
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
    Exercise 1.1: not yet: largest difference 0.5 (tolerance rtol=1e-06, atol=0).
    """
    ok = _verdict(name, answer, expected, rtol=rtol, atol=atol, digits=digits, strict=strict)
    if strict and not ok:
        raise AssertionError(f"exercise {name}: the answer does not pass its self-check")


def _digit_tolerance(want: np.ndarray, digits: int, atol: float) -> np.ndarray:
    """Half a unit in the last asked significant digit of each expected value."""
    magnitude = np.floor(np.log10(np.abs(np.where(want == 0, 1.0, want))))
    return np.where(want == 0, atol, 0.5 * 10.0 ** (magnitude - digits + 1))


def _verdict(name: str, answer: Any, expected: Any, *, rtol: float, atol: float, digits: int | None, strict: bool) -> bool:
    check_str(name, "name")
    check_scalar(rtol, "rtol", min_val=0.0)
    check_scalar(atol, "atol", min_val=0.0)
    if digits is not None:
        digits = check_int(digits, "digits", 1, 17)
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
        close = bool(np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=False))
        with np.errstate(invalid="ignore"):
            rounded = digits is not None and bool(np.all(np.abs(got - want) <= _digit_tolerance(want, digits, atol) * (1 + 1e-9)))
        ok = close or rounded
        if close:
            message = "correct."
        elif rounded:
            message = f"correct (to the {digits} significant digits asked for)."
        else:
            gap = float(np.nanmax(np.abs(got - want))) if got.size else float("nan")
            asked = f"; asked to {digits} significant digits" if digits is not None else ""
            message = f"not yet: largest difference {gap:.3g} (tolerance rtol={rtol:g}, atol={atol:g}{asked})."
    print(f"Exercise {name}: {message}")
    return ok
