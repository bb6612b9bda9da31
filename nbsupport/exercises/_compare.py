"""The comparison behind the self-checks: is an answer the expected value, within the tolerance asked for?

It says what is wrong with the *form* of an answer (a string for a number, a shape, a NaN) and, for arrays,
how many entries are off, but never how far a single number is from the reference: that would give the
answer away one guess at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from nbsupport._validation import check_int, check_scalar


@dataclass(frozen=True)
class Comparison:
    """The outcome of :func:`compare`: ``ok``, a note on why, and whether the note is about the answer's form.

    ``form`` is True when the answer cannot be right as written (a string for a number, a wrong shape, a
    NaN): then the note, not a hint about the reasoning, is what the learner needs.
    """

    ok: bool
    note: str = ""
    form: bool = False


def compare(answer: Any, expected: Any, *, rtol: float = 1e-6, atol: float = 0.0, digits: int | None = None) -> Comparison:
    """Whether ``answer`` equals ``expected``: within ``rtol``/``atol``, or to ``digits`` significant digits.

    Parameters
    ----------
    answer, expected : object
        A number, an array of numbers, a string or a bool. A string (or bool) is right only where the
        expected value is a string (or bool) equal to it.
    rtol, atol : float
        Relative and absolute tolerance (``numpy.allclose``), >= 0.
    digits : int or None
        Also accept every value within half a unit of the last asked significant digit of ``expected``
        (per entry; an expected 0 falls back to ``atol``).

    Returns
    -------
    Comparison
        ``ok`` and a note: for a right answer given to the digits asked, which digits; for a wrong one,
        what is wrong with its form, or how many entries of an array are off.

    Examples
    --------
    >>> compare(0.368, np.exp(-1), digits=3)
    Comparison(ok=True, note='to the 3 significant digits asked for', form=False)
    >>> compare("0.25", 0.25).ok
    False
    """
    rtol = check_scalar(rtol, "rtol", min_val=0.0)
    atol = check_scalar(atol, "atol", min_val=0.0)
    if digits is not None:
        digits = check_int(digits, "digits", 1, 17)
    if isinstance(expected, (str, bool, np.bool_)):
        is_bool = (bool, np.bool_)
        same_kind = isinstance(answer, str) == isinstance(expected, str) and isinstance(answer, is_bool) == isinstance(expected, is_bool)
        if same_kind and bool(answer == expected):
            return Comparison(True)
        if isinstance(expected, str) and not isinstance(answer, str):
            return Comparison(False, f"the answer is a string here, in quotes: got {_shown(answer)}", form=True)
        if not isinstance(expected, str) and not isinstance(answer, is_bool):
            return Comparison(False, f"the answer is True or False here: got {_shown(answer)}", form=True)
        return Comparison(False)
    if _holds_text(answer):
        return Comparison(False, f"the answer must be a number, not a string: got {_shown(answer)} (write numbers without quotes)", form=True)
    try:
        got = np.asarray(answer, dtype=float)
        want = np.asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return Comparison(False, f"expected a number or an array of numbers, got {type(answer).__name__}", form=True)
    if got.shape != want.shape:
        return Comparison(False, f"expected shape {want.shape}, got shape {got.shape}", form=True)
    with np.errstate(invalid="ignore"):
        close = np.isclose(got, want, rtol=rtol, atol=atol, equal_nan=False)
        if np.all(close):
            return Comparison(True)
        if digits is not None:
            rounded = np.abs(got - want) <= _digit_tolerance(want, digits, atol) * (1 + 1e-9)
            if np.all(close | rounded):
                return Comparison(True, f"to the {digits} significant digits asked for")
            close = close | rounded
    not_finite = ~np.isfinite(got) & (got != want)
    if got.ndim == 0:
        if not_finite:
            return Comparison(False, f"the answer is {float(got)!r}, not a finite number", form=True)
        return Comparison(False)
    if np.any(not_finite):
        return Comparison(False, f"{int(np.count_nonzero(not_finite))} of the {got.size} values are NaN or infinite; every value must be a finite number", form=True)
    wrong = np.flatnonzero(~close.ravel())
    first = np.unravel_index(int(wrong[0]), got.shape)
    where = int(first[0]) if got.ndim == 1 else tuple(int(i) for i in first)
    return Comparison(False, f"{wrong.size} of the {got.size} values are off (the first at index {where})")


def _shown(answer: Any) -> str:
    text = repr(answer)
    return text if len(text) <= 60 else text[:57] + "..."


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
