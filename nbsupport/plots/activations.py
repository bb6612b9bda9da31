"""Pictures of :mod:`nbsupport.activations`: functions and their derivatives.

>>> ax = plot_activation("tanh")
>>> ax.get_xlabel()
'x'
"""

from __future__ import annotations

from typing import Sequence, Union

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nbsupport import activations as acts
from nbsupport._validation import check_array, check_bool, check_int, check_sequence
from nbsupport.plots._axes import axes_or_new

__all__ = ["plot_activation", "plot_activations", "plot_derivatives"]

ActivationLike = Union[str, acts.Activation]
DEFAULT_X = np.linspace(-5.0, 5.0, 401)


def _resolve(activation: ActivationLike) -> acts.Activation:
    if isinstance(activation, acts.Activation):
        resolved = activation
    elif isinstance(activation, str):
        resolved = acts.get(activation)
    else:
        raise TypeError(
            f"activation must be a name (one of {acts.names()}) or an Activation from "
            f"activations.get, got {type(activation).__name__} {activation!r}"
        )
    if resolved.name == "softmax":
        raise ValueError("activation 'softmax' maps a vector to a vector and has no 1-D curve to plot; choose another name")
    return resolved


def _check_activation_list(activations: object) -> list[acts.Activation]:
    if isinstance(activations, (str, acts.Activation)):
        raise TypeError(f"activations must be a list of names or Activations, got a single {type(activations).__name__}: wrap it in a list")
    return [_resolve(a) for a in check_sequence(activations, "activations", what="activation names")]


def _grid(x: object) -> np.ndarray:
    return DEFAULT_X if x is None else check_array(x, "x", ndim=1, min_rows=2, shape_hint="of at least 2 points")


def plot_activation(activation: ActivationLike, x: object = None, ax: Axes | None = None, *, derivative: bool = True) -> Axes:
    """Plot an activation (solid) and its derivative (dashed) on one Axes.

    Parameters
    ----------
    activation : str or Activation
        A name from ``activations.names()`` (not softmax) or an ``Activation`` from ``activations.get``.
    x : array-like of shape (n_points,) or None, default=None
        The grid of inputs (at least 2 finite points); None means 401 points on [-5, 5].
    ax : matplotlib Axes or None, default=None
        Axes to draw on; a new figure when None.
    derivative : bool, default=True
        Also draw f'(x).

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError, ValueError
        For an unknown activation, softmax, or a bad grid.

    Examples
    --------
    >>> ax = plot_activation("sigmoid", x=np.linspace(-6, 6, 101))
    >>> ax.get_legend_handles_labels()[1]
    ['sigmoid', "sigmoid'"]
    """
    act = _resolve(activation)
    grid = _grid(x)
    derivative = check_bool(derivative, "derivative")
    ax = axes_or_new(ax)
    ax.axhline(0.0, color="0.6", linewidth=0.8)
    ax.axvline(0.0, color="0.6", linewidth=0.8)
    ax.plot(grid, act.f(grid), color="C0", label=act.name)
    if derivative:
        ax.plot(grid, act.df(grid), linestyle="--", color="C1", label=f"{act.name}'")
    ax.set_title(f"{act.name}: ${act.formula}$")
    ax.set_xlabel("x")
    ax.set_ylabel("f(x), f'(x)" if derivative else "f(x)")
    ax.legend(loc="upper left")
    return ax


def plot_activations(
    activations: Sequence[ActivationLike], x: object = None, *, ncols: int = 3, derivative: bool = True, sharey: bool = True
) -> Figure:
    """Plot several activations side by side, one panel each, on a shared x range.

    Parameters
    ----------
    activations : list of str or Activation
        At least one; names or ``Activation`` objects (not softmax).
    x : array-like of shape (n_points,) or None, default=None
        The grid of inputs; None means 401 points on [-5, 5].
    ncols : int, default=3
        Panels per row, >= 1.
    derivative : bool, default=True
        Also draw each f'(x).
    sharey : bool, default=True
        One y range for all panels (to compare sizes); False gives each panel its own range, so that
        small values (sigmoid's slope, at most 0.25) are not flattened by large ones (ReLU's f up to 5).

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    TypeError, ValueError
        For an empty or non-list ``activations``, an unknown name, a bad grid, ``ncols`` or ``sharey``.

    Examples
    --------
    >>> fig = plot_activations(["relu", "elu"], ncols=2)
    >>> len(fig.axes)
    2
    >>> fig = plot_activations(["relu", "sigmoid"], ncols=2, sharey=False)
    >>> bool(fig.axes[1].get_ylim()[1] < fig.axes[0].get_ylim()[1])
    True
    """
    resolved_list = _check_activation_list(activations)
    ncols = check_int(ncols, "ncols", 1)
    sharey = check_bool(sharey, "sharey")
    resolved = resolved_list
    ncols = min(ncols, len(resolved))
    nrows = -(-len(resolved) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.0 * ncols, 3.2 * nrows), sharex=True, sharey=sharey, squeeze=False)
    for ax, act in zip(axes.flat, resolved):
        plot_activation(act, x, ax, derivative=derivative)
        ax.set_ylabel("")
        ax.set_xlabel("")
    for ax in axes.flat[len(resolved):]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel("x")
    for ax in axes[:, 0]:
        ax.set_ylabel("f(x), f'(x)" if derivative else "f(x)")
    return fig


def plot_derivatives(activations: Sequence[ActivationLike], x: object = None, ax: Axes | None = None) -> Axes:
    """Plot the derivatives f'(x) of several activations on one Axes, to compare their sizes.

    Parameters
    ----------
    activations : list of str or Activation
        At least one; names or ``Activation`` objects (not softmax).
    x : array-like of shape (n_points,) or None, default=None
        The grid of inputs; None means 401 points on [-5, 5].
    ax : matplotlib Axes or None, default=None
        Axes to draw on; a new figure when None.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError, ValueError
        For an empty or non-list ``activations``, an unknown name or a bad grid.

    Examples
    --------
    >>> ax = plot_derivatives(["sigmoid", "tanh"])
    >>> ax.get_legend_handles_labels()[1]
    ["sigmoid'", "tanh'"]
    """
    resolved = _check_activation_list(activations)
    grid = _grid(x)
    ax = axes_or_new(ax)
    ax.axhline(0.0, color="0.6", linewidth=0.8)
    for act in resolved:
        ax.plot(grid, act.df(grid), label=f"{act.name}'")
    ax.set_xlabel("x")
    ax.set_ylabel("f'(x)")
    ax.set_title("Derivatives")
    ax.legend(loc="upper left")
    return ax
