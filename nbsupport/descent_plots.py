"""Pictures of gradient descent: the three learning-rate regimes, paths on a loss surface, sweeps.

Every helper returns the Axes or Figure it drew on and never calls ``plt.show()``.

>>> from nbsupport.descent import QuadraticBowl
>>> fig = plot_regimes(QuadraticBowl([2.0]), [0.2, 0.8, 1.1], w0=2.0, n_steps=10)
>>> [ax.get_title().split(":")[0] for ax in fig.axes[:3]]
['α = 0.2', 'α = 0.8', 'α = 1.1']
"""

from __future__ import annotations

import numbers
from typing import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nbsupport.activations import as_float_array
from nbsupport.descent import DescentRun, QuadraticBowl, SGDRun, gradient_descent, measured_regime
from nbsupport.plotting import axes_or_new

REGIME_COLORS = {"smooth": "C2", "oscillating": "C1", "diverging": "C3"}


def _check_alphas(alphas: object) -> list[float]:
    if isinstance(alphas, (str, bytes)) or not isinstance(alphas, (Sequence, np.ndarray)) or len(alphas) == 0:
        raise TypeError(f"alphas must be a non-empty list of learning rates, got {type(alphas).__name__} {alphas!r}")
    return [float(a) for a in alphas]


def _check_bowl(bowl: object, dim: int, name: str) -> QuadraticBowl:
    if not isinstance(bowl, QuadraticBowl) or bowl.dim != dim:
        raise TypeError(f"{name} must be a {dim}-D QuadraticBowl, got {bowl!r}")
    return bowl


def _draw_1d_path(ax: Axes, bowl: QuadraticBowl, run: DescentRun, half_width: float) -> str:
    """Draw the parabola and the run's iterates on it; return the measured regime."""
    regime = measured_regime(run)
    color = REGIME_COLORS[regime]
    grid = np.linspace(-half_width, half_width, 201)
    ax.plot(grid, 0.5 * bowl.curvatures[0] * grid**2, color="0.6", linewidth=1.5, zorder=1)
    w = run.path[:, 0]
    ax.plot(w, run.losses, "-o", color=color, markersize=4, linewidth=1.0, zorder=2)
    ax.plot(w[:1], run.losses[:1], "s", color="black", markersize=6, zorder=3, label="start")
    ax.set_xlim(-half_width, half_width)
    ax.set_ylim(-0.05 * bowl.loss(half_width), 1.05 * bowl.loss(half_width))
    ax.set_xlabel("w")
    return regime


def plot_regimes(bowl: QuadraticBowl, alphas: Sequence[float], w0: float = 2.0, n_steps: int = 12) -> Figure:
    """The three learning-rate regimes on ``a/2 w^2``, one column per step size.

    Top row: the iterates on the parabola. Bottom row: ``w_k`` against the step ``k``. Each column is
    coloured by the regime measured from its path (green smooth, orange oscillating, red diverging).

    Parameters
    ----------
    bowl : a 1-D :class:`~nbsupport.descent.QuadraticBowl`.
    alphas : the learning rates, one column each.
    w0 : the start.
    n_steps : steps per run.

    Examples
    --------
    >>> fig = plot_regimes(QuadraticBowl([1.0]), [0.5, 2.5])
    >>> len(fig.axes)
    4
    """
    bowl = _check_bowl(bowl, 1, "bowl")
    alphas = _check_alphas(alphas)
    half_width = 1.5 * abs(float(w0))
    fig, axes = plt.subplots(2, len(alphas), figsize=(3.6 * len(alphas), 6.0), squeeze=False)
    for (top, bottom), alpha in zip(axes.T, alphas):
        run = gradient_descent(bowl.loss, bowl.grad, w0, alpha, n_steps)
        regime = _draw_1d_path(top, bowl, run, half_width)
        color = REGIME_COLORS[regime]
        top.set_title(f"α = {alpha:g}: {regime}\n(α·a = {alpha * bowl.curvatures[0]:.2g})", color=color)
        bottom.axhline(0.0, color="0.6", linewidth=0.8)
        bottom.plot(np.arange(run.n_steps + 1), run.path[:, 0], "-o", color=color, markersize=3.5, linewidth=1.2)
        bottom.set_ylim(-half_width, half_width)
        bottom.set_xlabel("step k")
        ending = "stopped: diverged" if run.diverged else f"|w| = {abs(run.w[0]):.2g}"
        bottom.set_title(f"after {run.n_steps} steps: {ending}", fontsize=10)
    axes[0, 0].set_ylabel("loss f(w)")
    axes[1, 0].set_ylabel("w after k steps")
    axes[0, 0].legend(loc="upper center")
    fig.suptitle(f"Gradient descent on f(w) = a/2·w², a = {bowl.curvatures[0]:g}:  1/a = {1 / bowl.curvatures[0]:g},  2/a = {2 / bowl.curvatures[0]:g}")
    return fig


def plot_paths_on_surface(
    loss: Callable[[np.ndarray], float],
    runs: Sequence[DescentRun],
    *,
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    ax: Axes | None = None,
    levels: int = 12,
    resolution: int = 121,
    legend: bool = True,
) -> Axes:
    """Contours of a 2-parameter loss with descent paths drawn on them, one colour per run.

    Parameters
    ----------
    loss : a function of a 1-D array of 2 parameters returning a number.
    runs : :class:`~nbsupport.descent.DescentRun` objects with 2-D paths; the legend names their
        learning rates and final losses.
    xlim, ylim : the window (w1 and w2 ranges).
    ax : Axes to draw on; a new figure when None.
    levels : the number of contour levels (spaced evenly in the square root of the loss).
    resolution : grid points per axis.
    legend : draw the legend (with one run per panel, a title may say it better).

    Examples
    --------
    >>> from nbsupport.descent import QuadraticBowl, gradient_descent
    >>> bowl = QuadraticBowl([1.0, 10.0])
    >>> run = gradient_descent(bowl.loss, bowl.grad, [-2.0, 1.0], 0.1, 10)
    >>> ax = plot_paths_on_surface(bowl.loss, [run], xlim=(-2.5, 2.5), ylim=(-1.5, 1.5))
    >>> ax.get_xlabel(), ax.get_legend_handles_labels()[1][0].split(":")[0]
    ('$w_1$', 'α = 0.1')
    """
    if not callable(loss):
        raise TypeError(f"loss must be a function, got {type(loss).__name__}")
    if isinstance(runs, DescentRun) or not isinstance(runs, Sequence):
        raise TypeError(f"runs must be a list of DescentRun, got {type(runs).__name__}")
    for run in runs:
        if not isinstance(run, DescentRun) or run.path.shape[1] != 2:
            raise ValueError("runs must be DescentRun objects with 2-D paths (two parameters)")
    for name, lim in (("xlim", xlim), ("ylim", ylim)):
        lim_array = as_float_array(lim, name)
        if lim_array.shape != (2,) or not lim_array[0] < lim_array[1]:
            raise ValueError(f"{name} must be (low, high) with low < high, got {lim!r}")
    for name, count in (("levels", levels), ("resolution", resolution)):
        if isinstance(count, bool) or not isinstance(count, numbers.Integral) or count < 2:
            raise ValueError(f"{name} must be an int >= 2, got {count!r}")
    ax = axes_or_new(ax)
    g1, g2 = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    surface = np.array([loss(np.array([a, b])) for a, b in zip(g1.ravel(), g2.ravel())]).reshape(g1.shape)
    heights = np.linspace(0.0, np.sqrt(surface.max()), levels + 1)[1:] ** 2
    ax.contour(g1, g2, surface, levels=heights, colors="0.65", linewidths=0.8)
    for i, run in enumerate(runs):
        ending = "diverged" if run.diverged else f"loss {run.final_loss:.2g} after {run.n_steps} steps"
        ax.plot(run.path[:, 0], run.path[:, 1], "-o", color=f"C{i}", markersize=3, linewidth=1.2, label=f"α = {run.alpha:g}: {ending}")
    if runs:
        ax.plot(*runs[0].path[0], "s", color="black", markersize=6, zorder=3)
    ax.plot(0, 0, "*", color="black", markersize=10, zorder=3)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    if runs and legend:
        ax.legend(loc="upper right", fontsize=9)
    return ax


def plot_learning_rate_panels(
    alphas: Sequence[float],
    bowl_1d: QuadraticBowl,
    bowl_2d: QuadraticBowl,
    *,
    w0_1d: float = 2.0,
    w0_2d: Sequence[float] = (-2.5, 1.0),
    n_steps: int = 20,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-1.6, 1.6),
) -> Figure:
    """For each learning rate, the 1-D run on its parabola and the 2-D run on its contours.

    With several learning rates: one column each, 1-D on top, 2-D below (the static picture for a reader
    without a running kernel). With one learning rate: the two panels side by side (the picture the
    interactive explorer redraws).

    Examples
    --------
    >>> fig = plot_learning_rate_panels([0.1], QuadraticBowl([2.0]), QuadraticBowl([0.2, 2.0]))
    >>> len(fig.axes), fig.axes[0].get_title().startswith("α = 0.1")
    (2, True)
    """
    alphas = _check_alphas(alphas)
    bowl_1d = _check_bowl(bowl_1d, 1, "bowl_1d")
    bowl_2d = _check_bowl(bowl_2d, 2, "bowl_2d")
    if len(alphas) == 1:
        fig, axes = plt.subplots(1, 2, figsize=(10.0, 3.8))
        pairs = [tuple(axes)]
    else:
        fig, axes = plt.subplots(2, len(alphas), figsize=(3.0 * len(alphas), 6.0), squeeze=False)
        pairs = [tuple(column) for column in axes.T]
    for (top, bottom), alpha in zip(pairs, alphas):
        run = gradient_descent(bowl_1d.loss, bowl_1d.grad, w0_1d, alpha, n_steps)
        regime = _draw_1d_path(top, bowl_1d, run, 1.5 * abs(float(w0_1d)))
        top.set_title(f"α = {alpha:.3g}: 1-D {regime}", color=REGIME_COLORS[regime], fontsize=11)
        run_2d = gradient_descent(bowl_2d.loss, bowl_2d.grad, w0_2d, alpha, n_steps)
        plot_paths_on_surface(bowl_2d.loss, [run_2d], xlim=xlim, ylim=ylim, ax=bottom, levels=10, resolution=81, legend=False)
        ending = "diverged" if run_2d.diverged else f"loss {run_2d.final_loss:.2g}"
        growing = " and growing" if not run_2d.diverged and run_2d.final_loss > run_2d.losses[0] else ""
        bottom.set_title(f"2-D: {ending}{growing}", fontsize=10)
    pairs[0][0].set_ylabel("loss f(w)")
    fig.suptitle(
        f"{n_steps} steps on a/2·w² (a = {bowl_1d.curvatures[0]:g}) and on a 2-D bowl with curvatures "
        f"{bowl_2d.curvatures[0]:g} and {bowl_2d.curvatures[1]:g}"
    )
    return fig


def plot_lr_sweep(
    alphas: Sequence[float],
    final_losses: Sequence[float],
    *,
    safe: float,
    worst_losses: Sequence[float] | None = None,
    start_loss: float | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Loss after a fixed number of steps against the learning rate (log axis), with the safe step ``1/L`` marked.

    Parameters
    ----------
    alphas, final_losses : the sweep, same length.
    safe : the safe step ``1/L``, drawn as a vertical line.
    worst_losses : optionally, the highest loss each run reached (shows where steps start to overshoot).
    start_loss : optionally, the loss at the start, drawn as a horizontal line.
    ax : Axes to draw on; a new figure when None.

    Examples
    --------
    >>> ax = plot_lr_sweep([0.01, 0.1, 1.0], [0.5, 0.2, 0.1], safe=0.3)
    >>> ax.get_xscale()
    'log'
    """
    alphas_ = as_float_array(alphas, "alphas")
    finals = as_float_array(final_losses, "final_losses")
    if alphas_.ndim != 1 or finals.shape != alphas_.shape:
        raise ValueError(f"alphas and final_losses must be 1-D and of equal length, got shapes {alphas_.shape} and {finals.shape}")
    ax = axes_or_new(ax)
    ax.plot(alphas_, finals, "-o", color="C0", markersize=4, label="loss after the last step")
    if worst_losses is not None:
        worst = as_float_array(worst_losses, "worst_losses")
        if worst.shape != alphas_.shape:
            raise ValueError(f"worst_losses must have the shape of alphas {alphas_.shape}, got {worst.shape}")
        ax.plot(alphas_, worst, "--^", color="C3", markersize=4, label="highest loss during the run")
    if start_loss is not None:
        ax.axhline(float(start_loss), color="0.5", linewidth=1, linestyle=":", label=f"loss at the start ({float(start_loss):.3f})")
    ax.axvline(float(safe), color="C2", linewidth=2, label=f"safe step 1/L = {float(safe):.3f}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("learning rate α (log scale)")
    ax.set_ylabel("training loss (log scale)")
    ax.legend(loc="upper center", fontsize=9)
    return ax


def plot_sgd_runs(runs: Sequence[SGDRun], labels: Sequence[str] | None = None) -> Figure:
    """Two panels: the full-data loss against epochs (left) and against updates (right, log axis).

    Examples
    --------
    >>> from nbsupport.descent import minibatch_sgd
    >>> run = minibatch_sgd([[1.0, 2.0], [1.0, -1.0]], [1, 0], alpha=0.5, batch_size=1, n_epochs=2)
    >>> [ax.get_xlabel() for ax in plot_sgd_runs([run]).axes]
    ['epochs', 'updates (log scale)']
    """
    if isinstance(runs, SGDRun) or not isinstance(runs, Sequence) or not all(isinstance(r, SGDRun) for r in runs):
        raise TypeError("runs must be a list of SGDRun from minibatch_sgd")
    if labels is None:
        labels = [f"batch size {r.batch_size}: {r.updates_per_epoch} update{'s' * (r.updates_per_epoch != 1)} per epoch" for r in runs]
    if len(labels) != len(runs):
        raise ValueError(f"labels must name each of the {len(runs)} runs, got {len(labels)} labels")
    fig, (by_epoch, by_update) = plt.subplots(1, 2, figsize=(11.0, 4.0), sharey=True)
    for i, (run, label) in enumerate(zip(runs, labels)):
        by_epoch.plot(run.epochs, run.losses, color=f"C{i}", linewidth=1.2, label=label)
        by_update.plot(np.arange(1, run.n_updates + 1), run.losses[1:], color=f"C{i}", linewidth=1.2, label=label)
    by_epoch.set_xlabel("epochs")
    by_epoch.set_ylabel("training loss (all samples, log scale)")
    by_epoch.set_yscale("log")
    by_epoch.set_title("same amount of computation")
    by_update.set_xscale("log")
    by_update.set_xlabel("updates (log scale)")
    by_update.set_title("same number of updates")
    by_epoch.legend(loc="upper right", fontsize=9)
    return fig
