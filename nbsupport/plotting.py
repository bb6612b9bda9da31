"""Plots of activation functions; every helper returns the Axes or Figure it drew on.

>>> from nbsupport.plotting import plot_activation
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


def _grid(x: object) -> np.ndarray:
    grid = DEFAULT_X if x is None else acts.as_float_array(x, "x")
    if grid.ndim != 1 or grid.size < 2:
        raise ValueError(f"x must be a 1-D array of at least 2 points, got shape {grid.shape}")
    return grid


def plot_activation(activation: ActivationLike, x: object = None, ax: Axes | None = None, *, derivative: bool = True) -> Axes:
    """Plot an activation (solid) and its derivative (dashed) on one Axes.

    Parameters
    ----------
    activation : a name from ``activations.names()`` (not softmax) or an ``Activation``.
    x : 1-D grid of inputs; default 401 points on [-5, 5].
    ax : Axes to draw on; a new figure when None.
    derivative : also draw f'(x).

    Examples
    --------
    >>> ax = plot_activation("sigmoid", x=np.linspace(-6, 6, 101))
    >>> ax.get_legend_handles_labels()[1]
    ['sigmoid', "sigmoid'"]
    """
    act = _resolve(activation)
    grid = _grid(x)
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
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
    activations: Sequence[ActivationLike], x: object = None, *, ncols: int = 3, derivative: bool = True
) -> Figure:
    """Plot several activations side by side, one panel each, with shared axis ranges.

    Parameters
    ----------
    activations : names or ``Activation`` objects (not softmax), at least one.
    x : 1-D grid of inputs; default 401 points on [-5, 5].
    ncols : panels per row, at least 1.
    derivative : also draw each f'(x).

    Examples
    --------
    >>> fig = plot_activations(["relu", "elu"], ncols=2)
    >>> len(fig.axes)
    2
    """
    if isinstance(activations, (str, acts.Activation)) or not isinstance(activations, Sequence):
        raise TypeError(f"activations must be a list of names or Activations, got {type(activations).__name__}")
    if len(activations) == 0:
        raise ValueError("activations must name at least one activation, got an empty list")
    if isinstance(ncols, bool) or not isinstance(ncols, int) or ncols < 1:
        raise ValueError(f"ncols must be an int >= 1, got {ncols!r}")
    resolved = [_resolve(a) for a in activations]
    ncols = min(ncols, len(resolved))
    nrows = -(-len(resolved) // ncols)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.0 * ncols, 3.2 * nrows), sharex=True, sharey=True, squeeze=False)
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
