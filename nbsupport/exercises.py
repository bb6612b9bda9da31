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
        A string is right only where ``expected`` is a string: ``"0.25"`` for 0.25 is told to drop the
        quotes. NaN or infinity is told that it is not a finite number.
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
        With ``strict=True``, when the answer is not correct (the message ends with the printed verdict).
    TypeError, ValueError
        For a bad ``name``, tolerance or ``strict``.

    Examples
    --------
    >>> check("1.1", None, 3)
    Exercise 1.1: not answered yet. Fill in your answer above, then run this cell again.
    >>> check("1.1", [1.0, 2.0], [1.0, 2.5])
    Exercise 1.1: not yet: largest difference 0.5 (tolerance rtol=1e-06, atol=0).
    >>> check("1.1", "0.25", 0.25)
    Exercise 1.1: not yet: the answer must be a number, not a string: got '0.25' (write numbers without quotes).
    >>> check("1.1", float("nan"), 0.25)
    Exercise 1.1: not yet: the answer is nan, not a finite number.
    """
    ok, verdict = _verdict(name, answer, expected, rtol=rtol, atol=atol, digits=digits, strict=strict)
    print(f"Exercise {name}: {verdict}")
    if strict and not ok:
        raise AssertionError(f"exercise {name}: the answer does not pass its self-check: {verdict}")


def _digit_tolerance(want: np.ndarray, digits: int, atol: float) -> np.ndarray:
    """Half a unit in the last asked significant digit of each expected value."""
    magnitude = np.floor(np.log10(np.abs(np.where(want == 0, 1.0, want))))
    return np.where(want == 0, atol, 0.5 * 10.0 ** (magnitude - digits + 1))


def _holds_text(answer: Any) -> bool:
    """Whether ``answer`` is a string, or an array or list with strings in it ("0.25" typed with its quotes)."""
    if isinstance(answer, (str, bytes)):
        return True
    try:
        array = np.asarray(answer)
    except (TypeError, ValueError):  # ragged lists: left to the numeric conversion to refuse
        return False
    if array.dtype.kind in "SU":
        return True
    return array.dtype.kind == "O" and any(isinstance(item, (str, bytes)) for item in array.flat)


def _verdict(name: str, answer: Any, expected: Any, *, rtol: float, atol: float, digits: int | None, strict: bool) -> tuple[bool, str]:
    """Whether ``answer`` passes, and the verdict to print after ``"Exercise {name}: "``."""
    check_str(name, "name")
    check_scalar(rtol, "rtol", min_val=0.0)
    check_scalar(atol, "atol", min_val=0.0)
    if digits is not None:
        digits = check_int(digits, "digits", 1, 17)
    check_bool(strict, "strict")
    if answer is None:
        return False, "not answered yet. Fill in your answer above, then run this cell again."
    if isinstance(expected, (str, bool, np.bool_)):
        is_bool = (bool, np.bool_)
        same_kind = isinstance(answer, str) == isinstance(expected, str) and isinstance(answer, is_bool) == isinstance(expected, is_bool)
        ok = same_kind and bool(answer == expected)
        return ok, "correct." if ok else f"not yet: got {answer!r}."
    if _holds_text(answer):
        shown = repr(answer) if len(repr(answer)) <= 60 else repr(answer)[:57] + "..."
        return False, f"not yet: the answer must be a number, not a string: got {shown} (write numbers without quotes)."
    try:
        got = np.asarray(answer, dtype=float)
        want = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return False, f"not yet: expected a number or an array of numbers, got {type(answer).__name__}."
    if got.shape != want.shape:
        return False, f"not yet: expected shape {want.shape}, got shape {got.shape}."
    close = bool(np.allclose(got, want, rtol=rtol, atol=atol, equal_nan=False))
    with np.errstate(invalid="ignore"):
        rounded = digits is not None and bool(np.all(np.abs(got - want) <= _digit_tolerance(want, digits, atol) * (1 + 1e-9)))
    if close:
        return True, "correct."
    if rounded:
        return True, f"correct (to the {digits} significant digits asked for)."
    not_finite = ~np.isfinite(got) & (got != want)  # NaN or infinity where the expected value differs
    if got.ndim == 0 and not_finite:
        return False, f"not yet: the answer is {float(got)!r}, not a finite number."
    if np.any(not_finite):
        return False, (
            f"not yet: the answer holds {int(np.count_nonzero(not_finite))} NaN or infinite value(s) (of {got.size}); "
            "every value must be a finite number."
        )
    gaps = np.abs(got - want)
    gap = float(np.nanmax(gaps)) if np.any(~np.isnan(gaps)) else float("nan")  # NaN only where the expected value is
    asked = f"; asked to {digits} significant digits" if digits is not None else ""
    return False, f"not yet: largest difference {gap:.3g} (tolerance rtol={rtol:g}, atol={atol:g}{asked})."
