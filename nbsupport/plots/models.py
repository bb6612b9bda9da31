"""Pictures of what a trained model computes: the regions a binary classifier assigns to each class.

>>> import numpy as np
>>> ax = plot_decision_boundary(lambda g: (g[:, 0] > 0).astype(float), np.array([[-1.0, 0.0], [1.0, 0.0]]), [0, 1])
>>> ax.get_xlabel()
'$x_1$'
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from nbsupport._validation import check_array, check_binary_labels, check_callable, check_int, check_scalar
from nbsupport.plots._axes import axes_or_new

__all__ = ["plot_decision_boundary"]


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
    predict : callable
        A function from an array of shape (n, 2) to n probabilities of class 1, of shape (n,) or
        (n, 1); a Keras model works as it is (``model(grid)``).
    X : array-like of shape (n_samples, 2)
        The samples, finite.
    y : array-like of shape (n_samples,)
        Their labels, 0 or 1.
    ax : matplotlib Axes or None, default=None
        Axes to draw on; a new figure when None.
    resolution : int, default=200
        Grid points per axis, >= 10.
    margin : float, default=0.5
        How far the plotted plane reaches beyond the samples, >= 0.
    title : str or None, default=None
        The Axes title.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError, ValueError
        For an argument of the wrong type or value, or a ``predict`` that returns the wrong number of values.

    Examples
    --------
    >>> X = np.array([[-1.0, 0.0], [1.0, 0.0]])
    >>> ax = plot_decision_boundary(lambda g: (g[:, 0] > 0).astype(float), X, [0, 1], resolution=20)
    >>> ax.get_xlabel(), ax.get_ylabel()
    ('$x_1$', '$x_2$')
    """
    check_callable(predict, "predict")
    X = check_array(X, "X", ndim=2, min_rows=1, shape_hint="(n_samples, 2)")
    if X.shape[1] != 2:
        raise ValueError(f"X must have shape (n_samples, 2), got {X.shape}")
    y = check_binary_labels(y, "y", X.shape[0])
    resolution = check_int(resolution, "resolution", 10)
    margin = check_scalar(margin, "margin", min_val=0.0)
    if title is not None and not isinstance(title, str):
        raise TypeError(f"title must be a str or None, got {type(title).__name__}")
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
