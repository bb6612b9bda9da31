"""Pictures of :mod:`nbsupport.diagnostics`: a measurement per layer (or per time step), and histograms per layer.

>>> import numpy as np
>>> from nbsupport.diagnostics import GradientProfile
>>> profile = GradientProfile(("dense_1", "dense_2"), np.array([1e-3, 1e-1]), np.array([1e-4, 1e-2]))
>>> plot_gradient_norms({"sigmoid": profile}).get_yscale()
'log'
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes

from nbsupport._validation import check_array, check_bool, check_choice, check_int, check_str
from nbsupport.diagnostics import GradientProfile
from nbsupport.plots._axes import axes_or_new

__all__ = ["plot_gradient_norms", "plot_layer_histograms", "plot_per_layer"]


def _labelled_series(series: Any, name: str) -> dict[str, np.ndarray]:
    """One array, or ``{label: array}``, as ``{label: 1-D float array}`` (non-empty, finite)."""
    if not isinstance(series, Mapping):
        series = {"": series}
    if not series:
        raise ValueError(f"{name} must hold at least one series, got an empty dict")
    return {str(label): check_array(values, f"{name}[{label!r}]", ndim=1, min_rows=1) for label, values in series.items()}


def plot_per_layer(
    series: Mapping[str, Any] | Any,
    *,
    ylabel: str,
    xlabel: str = "layer (input side first)",
    log: bool = True,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """One value per layer (or per time step), one line per model, numbered from 1; log axis by default.

    Parameters
    ----------
    series : array-like or dict of str to array-like
        One 1-D array of values, or ``{label: values}`` for several models in one view.
    ylabel : str
        What the values are.
    xlabel : str, default="layer (input side first)"
        What the positions are (``"time step"`` for a sequence).
    log : bool, default=True
        Log scale on the y axis (then every value must be > 0).
    ax : matplotlib Axes or None, default=None
        Axes to draw on; a new figure when None.
    title : str or None, default=None
        The Axes title.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError, ValueError
        For an empty ``series``, values that are not finite (or not positive on a log axis), or bad labels.

    Examples
    --------
    >>> ax = plot_per_layer({"sigmoid": [0.1, 0.2, 0.3]}, ylabel="relative change of W", log=False)
    >>> ax.get_ylabel()
    'relative change of W'
    """
    lines = _labelled_series(series, "series")
    ylabel, xlabel = check_str(ylabel, "ylabel"), check_str(xlabel, "xlabel")
    log = check_bool(log, "log")
    if log:
        for label, values in lines.items():
            if not np.all(values > 0):
                raise ValueError(f"series[{label!r}] has values <= 0, which a log axis cannot show: {values}")
    ax = axes_or_new(ax, figsize=(7.0, 4.2))
    for i, (label, values) in enumerate(lines.items()):
        ax.plot(np.arange(1, len(values) + 1), values, "-o", color=f"C{i}", markersize=4, label=label or None)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    longest = max(len(v) for v in lines.values())
    ax.set_xticks(np.arange(1, longest + 1, max(1, longest // 15)))
    if any(lines):
        ax.legend(loc="best")
    if title:
        ax.set_title(check_str(title, "title"))
    return ax

_LABELS = {
    "preactivation": "|dL/dz|, back-propagated gradient (log scale)",
    "weight": "|dL/dW|, weight gradient (log scale)",
}


def plot_gradient_norms(
    profiles: Mapping[str, GradientProfile] | GradientProfile,
    *,
    which: str = "preactivation",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Gradient norm per layer (input side on the left), one line per model, on a log axis.

    A line that falls towards the left is a vanishing gradient; one that rises is an exploding one.

    Parameters
    ----------
    profiles : GradientProfile or dict of str to GradientProfile
        One profile, or ``{label: profile}`` for several models in one view.
    which : {"preactivation", "weight"}, default="preactivation"
        Which gradient to draw: with respect to each layer's pre-activation ``z`` or its weights ``W``.
    ax : matplotlib Axes or None, default=None
        Axes to draw on; a new figure when None.
    title : str or None, default=None
        The Axes title.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError
        If ``profiles`` holds something other than ``GradientProfile`` objects.
    ValueError
        If it is empty, ``which`` is unknown, or a norm is not positive and finite (a log axis cannot show it).

    Examples
    --------
    >>> p = GradientProfile(("a", "b", "c"), np.ones(3), np.array([1e-6, 1e-3, 1.0]))
    >>> ax = plot_gradient_norms(p, title="demo")
    >>> ax.get_xlabel()
    'layer (input side first)'
    """
    which = check_choice(which, "which", ("preactivation", "weight"))
    if isinstance(profiles, GradientProfile):
        profiles = {"": profiles}
    if not isinstance(profiles, Mapping):
        raise TypeError(f"profiles must be a GradientProfile or a dict of them, got {type(profiles).__name__}")
    if not profiles:
        raise ValueError("profiles must hold at least one GradientProfile, got an empty dict")
    for label, profile in profiles.items():
        if not isinstance(profile, GradientProfile):
            raise TypeError(f"profiles[{label!r}] must be a GradientProfile (from diagnostics.gradient_profile), got {type(profile).__name__}")
        norms = profile.norms(which)
        if not np.all(np.isfinite(norms) & (norms > 0)):
            raise ValueError(f"profiles[{label!r}] has {which} norms that are zero or not finite; a log axis cannot show them: {norms}")
    return plot_per_layer({label: p.norms(which) for label, p in profiles.items()}, ylabel=_LABELS[which], ax=ax, title=title)


def plot_layer_histograms(
    values: Mapping[str, Any] | Sequence[Any],
    *,
    xlabel: str,
    bins: int = 60,
    limits: tuple[float, float] | None = None,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Normalised histograms of one quantity, one outline per layer, coloured from the input side (dark) to the output (light).

    In the manner of Glorot and Bengio (2010): activations or back-propagated gradients of every layer
    on one axis, so a distribution that narrows or saturates with depth is seen at a glance.

    Parameters
    ----------
    values : dict of str to array-like, or list of array-like
        ``{layer name: values}`` (any shape, flattened) or a list in layer order, input side first.
    xlabel : str
        What the values are.
    bins : int, default=60
        Number of bins, from 2 to 10,000 (a figure is a few thousand pixels wide: more bins show nothing
        more, and 2**31 of them would exhaust the memory).
    limits : (float, float) or None, default=None
        The range of the histograms; None spans all the values.
    ax : matplotlib Axes or None, default=None
        Axes to draw on; a new figure when None.
    title : str or None, default=None
        The Axes title.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError, ValueError
        For empty or non-finite values, or bad ``bins`` (not an int from 2 to 10,000) or ``limits``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> ax = plot_layer_histograms({"relu_1": rng.normal(size=100), "relu_2": rng.normal(size=100)}, xlabel="activation")
    >>> ax.get_legend_handles_labels()[1]
    ['relu_1', 'relu_2']
    """
    if not isinstance(values, Mapping):
        if isinstance(values, np.ndarray) or not isinstance(values, Sequence) or isinstance(values, str):
            raise TypeError(f"values must be a dict of layer name to values, or a list of arrays, got {type(values).__name__}")
        values = {f"layer {i}": v for i, v in enumerate(values, start=1)}
    if not values:
        raise ValueError("values must hold at least one layer, got none")
    arrays = {str(k): check_array(v, f"values[{k!r}]", min_rows=1).ravel() for k, v in values.items()}
    xlabel = check_str(xlabel, "xlabel")
    bins = check_int(bins, "bins", 2, 10_000)
    if limits is None:
        low, high = min(a.min() for a in arrays.values()), max(a.max() for a in arrays.values())
        limits = (low, high) if high > low else (low - 0.5, high + 0.5)
    limits = tuple(check_array(limits, "limits", ndim=1))
    if len(limits) != 2 or not limits[0] < limits[1]:
        raise ValueError(f"limits must be (low, high) with low < high, got {limits}")
    ax = axes_or_new(ax, figsize=(7.0, 4.2))
    colors = plt.get_cmap("viridis")(np.linspace(0.0, 0.9, len(arrays)))
    for color, (label, a) in zip(colors, arrays.items()):
        ax.hist(a, bins=bins, range=limits, density=True, histtype="step", linewidth=1.6, color=color, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel("density")
    ax.legend(loc="upper right", fontsize=8, ncol=2 if len(arrays) > 6 else 1)
    if title:
        ax.set_title(check_str(title, "title"))
    return ax
