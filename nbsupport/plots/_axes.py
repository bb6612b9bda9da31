"""What every plot function shares: the Axes to draw on, and the check of a list of results."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

from nbsupport._validation import check_sequence


def axes_or_new(ax: object, figsize: tuple[float, float] | None = None) -> Axes:
    """Return ``ax`` if it is a matplotlib Axes, a new figure's Axes if it is None; else raise TypeError.

    >>> axes_or_new(None).get_title()
    ''
    """
    if ax is None:
        _, ax = plt.subplots(figsize=figsize)
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


def check_results(results: Any, name: str, kind: type, what: str) -> list:
    """A non-empty list whose items are all ``kind`` (the result objects a plot draws).

    >>> check_results([1, 2], "runs", int, "ints")
    [1, 2]
    """
    if isinstance(results, kind):
        raise TypeError(f"{name} must be a list of {what}, got a single {kind.__name__}: wrap it in a list")
    items = check_sequence(results, name, what=what)
    for item in items:
        if not isinstance(item, kind):
            raise TypeError(f"{name} must be a list of {what}, got an item of type {type(item).__name__}")
    return items
