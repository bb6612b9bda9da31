"""Argument checks shared by the nbsupport modules: each raises an error that names the argument."""

from __future__ import annotations

import math
import numbers
from typing import Any


def check_int(value: Any, name: str, minimum: int) -> int:
    """Return ``value`` as an int, or raise if it is not an int >= ``minimum`` (bools refused)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an int >= {minimum}, got {type(value).__name__} {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an int >= {minimum}, got {value!r}")
    return int(value)


def check_positive(value: Any, name: str) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number > 0."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return value


def check_callable(f: Any, name: str) -> None:
    """Raise a TypeError unless ``f`` can be called."""
    if not callable(f):
        raise TypeError(f"{name} must be a function, got {type(f).__name__} {f!r}")
