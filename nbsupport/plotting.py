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


def axes_or_new(ax: object) -> Axes:
    """Return ``ax`` if it is a matplotlib Axes, a new figure's Axes if it is None; else raise TypeError.

    >>> axes_or_new(None).get_title()
    ''
    """
    if ax is None:
        _, ax = plt.subplots()
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    return ax


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


def plot_derivatives(activations: Sequence[ActivationLike], x: object = None, ax: Axes | None = None) -> Axes:
    """Plot the derivatives f'(x) of several activations on one Axes, to compare their sizes.

    Parameters
    ----------
    activations : names or ``Activation`` objects (not softmax), at least one.
    x : 1-D grid of inputs; default 401 points on [-5, 5].
    ax : Axes to draw on; a new figure when None.

    Examples
    --------
    >>> ax = plot_derivatives(["sigmoid", "tanh"])
    >>> ax.get_legend_handles_labels()[1]
    ["sigmoid'", "tanh'"]
    """
    if isinstance(activations, (str, acts.Activation)) or not isinstance(activations, Sequence):
        raise TypeError(f"activations must be a list of names or Activations, got {type(activations).__name__}")
    if len(activations) == 0:
        raise ValueError("activations must name at least one activation, got an empty list")
    resolved = [_resolve(a) for a in activations]
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


def plot_decision_boundary(
    predict: object,
    X: object,
    y: object,
    ax: Axes | None = None,
    *,
    resolution: int = 200,
    margin: float = 0.5,
    title: str | None = None,
) -> Axes:
    """Shade the regions a binary classifier assigns to each class on a 2-D plane, with the samples on top.

    Parameters
    ----------
    predict : a function from an array of shape (n, 2) to n probabilities of class 1, of shape (n,) or
        (n, 1); a Keras model works as it is (``model(grid)``).
    X : the samples, shape (n_samples, 2).
    y : their labels, 0 or 1, shape (n_samples,).
    ax : Axes to draw on; a new figure when None.
    resolution : grid points per axis, at least 10.
    margin : how far the plotted plane reaches beyond the samples, >= 0.
    title : the Axes title; default none.

    Examples
    --------
    >>> X = np.array([[-1.0, 0.0], [1.0, 0.0]])
    >>> ax = plot_decision_boundary(lambda g: (g[:, 0] > 0).astype(float), X, [0, 1], resolution=20)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('$x_1$', '$x_2$')
    """
    if not callable(predict):
        raise TypeError(f"predict must be a function of an (n, 2) array (or a Keras model), got {type(predict).__name__}")
    X = acts.as_float_array(X, "X")
    if X.ndim != 2 or X.shape[1] != 2 or X.shape[0] == 0:
        raise ValueError(f"X must have shape (n_samples, 2), got {X.shape}")
    y = acts.as_float_array(y, "y")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape ({X.shape[0]},), one label per sample, got {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"y must hold labels 0 and 1 only, got values {sorted(set(np.unique(y).tolist()))[:5]}")
    if isinstance(resolution, bool) or not isinstance(resolution, int) or resolution < 10:
        raise ValueError(f"resolution must be an int >= 10, got {resolution!r}")
    if isinstance(margin, bool) or not isinstance(margin, (int, float)) or not 0 <= margin < np.inf:
        raise ValueError(f"margin must be a finite number >= 0, got {margin!r}")
    ax = axes_or_new(ax)
    lo, hi = X.min(axis=0) - margin, X.max(axis=0) + margin
    g1, g2 = np.meshgrid(np.linspace(lo[0], hi[0], resolution), np.linspace(lo[1], hi[1], resolution))
    grid = np.column_stack([g1.ravel(), g2.ravel()]).astype(np.float32)
    proba = np.asarray(predict(grid), dtype=np.float64).reshape(-1)
    if proba.size != grid.shape[0]:
        raise ValueError(f"predict must return one probability per grid point ({grid.shape[0]}), got {proba.size} values")
    proba = proba.reshape(g1.shape)
    ax.contourf(g1, g2, proba, levels=[0.0, 0.5, 1.0], colors=["C0", "C1"], alpha=0.25)
    if proba.min() < 0.5 < proba.max():  # draw the boundary only where there is one (no matplotlib warning)
        ax.contour(g1, g2, proba, levels=[0.5], colors="k", linewidths=1.0)
    for label, marker in ((0, "o"), (1, "^")):
        ax.scatter(X[y == label, 0], X[y == label, 1], s=14, color=f"C{label}", marker=marker, edgecolors="k",
                   linewidths=0.3, label=f"class {label}")
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal")
    if title is not None:
        ax.set_title(title)
    ax.legend(loc="upper right")
    return ax
