"""Pictures of gradient descent: the three learning-rate regimes, paths on a loss surface, sweeps, mini-batches.

The helpers draw results, they do not compute them: run :func:`~nbsupport.descent.gradient_descent`,
:func:`~nbsupport.logistic.logistic_descent` or :func:`~nbsupport.logistic.minibatch_sgd` first and
hand the runs over. Every helper returns the Axes or Figure it drew on and never calls ``plt.show()``.

>>> from nbsupport.descent import QuadraticBowl, gradient_descent
>>> bowl = QuadraticBowl([2.0])
>>> runs = [gradient_descent(bowl.loss, bowl.grad, 2.0, alpha, 10) for alpha in (0.2, 0.8, 1.1)]
>>> fig = plot_regimes(bowl, runs)
>>> [ax.get_title().split(":")[0] for ax in fig.axes[:3]]
['α = 0.2', 'α = 0.8', 'α = 1.1']
"""

from __future__ import annotations

import math
from typing import Any, Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from nbsupport._validation import check_array, check_bool, check_callable, check_int, check_scalar, check_sequence, check_str
from nbsupport.descent import DescentRun, QuadraticBowl, measured_regime
from nbsupport.logistic import SGDRun
from nbsupport.plots._axes import axes_or_new, check_results

__all__ = [
    "plot_regimes",
    "plot_paths_on_surface",
    "plot_learning_rate_panels",
    "plot_lr_sweep",
    "plot_sgd_runs",
]

_REGIME_COLORS = {"smooth": "C2", "oscillating": "C1", "diverging": "C3"}

_RUNS = "DescentRun from gradient_descent"


# --- argument checks ------------------------------------------------------------------------


def _check_bowl(bowl: object, dim: int, name: str) -> QuadraticBowl:
    if not isinstance(bowl, QuadraticBowl):
        raise TypeError(f"{name} must be a {dim}-D QuadraticBowl, got {type(bowl).__name__}")
    if bowl.dim != dim:
        raise ValueError(f"{name} must be a {dim}-D QuadraticBowl, got a {bowl.dim}-D one: {bowl!r}")
    return bowl


def _check_runs_on_bowl(runs: Any, name: str, bowl: QuadraticBowl, bowl_name: str) -> list[DescentRun]:
    """A non-empty list of runs, each with ``bowl.dim`` parameters and the losses of ``bowl`` along its path."""
    runs = check_results(runs, name, DescentRun, _RUNS)
    for i, run in enumerate(runs):
        if run.path.shape[1] != bowl.dim:
            raise ValueError(
                f"{name}[{i}] must be a run with {bowl.dim} parameter(s) like {bowl_name}, "
                f"got a path with {run.path.shape[1]} coordinates"
            )
        if not np.allclose(run.losses, [bowl.loss(w) for w in run.path], rtol=1e-9, atol=1e-12):
            raise ValueError(f"{name}[{i}] was not run on {bowl_name}: its losses are not {bowl_name}.loss along its path")
    return runs


def _half_width(runs: list[DescentRun], name: str) -> float:
    """Half the width of a 1-D window: 1.5 times the farthest start from the minimum 0."""
    half_width = 1.5 * max(abs(float(run.path[0, 0])) for run in runs)
    if half_width == 0:
        raise ValueError(f"{name} must not all start at the minimum w = 0: there is nothing to draw")
    return half_width


def _check_window(lim: Any, name: str) -> tuple[float, float]:
    lim_array = check_array(lim, name, ndim=1)
    if lim_array.shape != (2,) or not lim_array[0] < lim_array[1]:
        raise ValueError(f"{name} must be (low, high) with low < high, got {lim!r}")
    return float(lim_array[0]), float(lim_array[1])


# --- the regimes on a parabola --------------------------------------------------------------


def _draw_1d_path(ax: Axes, bowl: QuadraticBowl, run: DescentRun, half_width: float) -> str:
    """Draw the parabola and the run's iterates on it; return the measured regime."""
    regime = measured_regime(run)
    color = _REGIME_COLORS[regime]
    grid = np.linspace(-half_width, half_width, 201)
    ax.plot(grid, 0.5 * bowl.curvatures[0] * grid**2, color="0.6", linewidth=1.5, zorder=1)
    w = run.path[:, 0]
    ax.plot(w, run.losses, "-o", color=color, markersize=4, linewidth=1.0, zorder=2)
    ax.plot(w[:1], run.losses[:1], "s", color="black", markersize=6, zorder=3, label="start")
    ax.set_xlim(-half_width, half_width)
    ax.set_ylim(-0.05 * bowl.loss(half_width), 1.05 * bowl.loss(half_width))
    ax.set_xlabel("w")
    return regime


def plot_regimes(bowl: QuadraticBowl, runs: Sequence[DescentRun]) -> Figure:
    """The three learning-rate regimes on ``a/2 w^2``, one column per run.

    Top row: the iterates on the parabola (the window is 1.5 times the farthest start wide on each
    side of the minimum, so a diverging run leaves it). Bottom row: the distance to the minimum
    ``|w_k|`` against the step ``k`` on a log axis, where a geometric rate ``|1 - alpha a|^k`` is a
    straight line: filled markers where ``w_k > 0``, open ones where ``w_k < 0`` (an exact 0 cannot be
    drawn on a log axis and is left out). The dotted line is ``|w_0|``. Each column is coloured by the
    regime measured from its path (green smooth, orange oscillating, red diverging).

    Parameters
    ----------
    bowl : QuadraticBowl
        The 1-D bowl the runs were made on (its parabola is drawn under them).
    runs : list of DescentRun
        Runs of :func:`~nbsupport.descent.gradient_descent` on ``bowl``, one column each.

    Returns
    -------
    Figure
        Two rows of ``len(runs)`` Axes.

    Raises
    ------
    TypeError
        If ``bowl`` is not a QuadraticBowl, ``runs`` is not a list of DescentRun (a single run must
        be wrapped in a list).
    ValueError
        If ``bowl`` is not 1-D, ``runs`` is empty, a run has more than one parameter or was not made
        on ``bowl``, or every run starts at the minimum.

    Examples
    --------
    >>> from nbsupport.descent import QuadraticBowl, gradient_descent
    >>> bowl = QuadraticBowl([1.0])
    >>> fig = plot_regimes(bowl, [gradient_descent(bowl.loss, bowl.grad, 2.0, alpha, 12) for alpha in (0.5, 2.5)])
    >>> len(fig.axes), fig.axes[1].get_title().split("\\n")[0], fig.axes[3].get_yscale()
    (4, 'α = 2.5: diverging', 'log')
    """
    bowl = _check_bowl(bowl, 1, "bowl")
    runs = _check_runs_on_bowl(runs, "runs", bowl, "bowl")
    half_width = _half_width(runs, "runs")
    fig, axes = plt.subplots(2, len(runs), figsize=(3.6 * len(runs), 6.4), squeeze=False)
    distances = np.concatenate([np.abs(run.path[:, 0]) for run in runs])
    distances = distances[distances > 0]
    low, high = distances.min(), distances.max()
    for (top, bottom), run in zip(axes.T, runs):
        regime = _draw_1d_path(top, bowl, run, half_width)
        color = _REGIME_COLORS[regime]
        top.set_title(f"α = {run.alpha:g}: {regime}\n(α·a = {run.alpha * bowl.curvatures[0]:.2g})", color=color)
        k, w = np.arange(run.n_steps + 1), run.path[:, 0]
        if w[0] != 0:
            bottom.axhline(abs(w[0]), color="0.5", linewidth=1.0, linestyle=":")
        bottom.plot(k[w != 0], np.abs(w[w != 0]), "-", color=color, linewidth=1.2)
        bottom.plot(k[w > 0], w[w > 0], "o", color=color, markersize=4.5)
        bottom.plot(k[w < 0], -w[w < 0], "o", markerfacecolor="white", markeredgecolor=color, markersize=4.5)
        bottom.set_yscale("log")
        bottom.set_ylim(low / 3, high * 3)
        bottom.set_xlabel("step k")
        ending = "stopped: diverged" if run.diverged else f"|w| = {abs(run.w[0]):.2g}"
        bottom.set_title(f"after {run.n_steps} steps: {ending}", fontsize=10)
    axes[0, 0].set_ylabel("loss f(w)")
    axes[1, 0].set_ylabel("|w| after k steps (log scale)")
    axes[0, 0].legend(loc="upper center")
    key = [
        Line2D([], [], marker="o", color="0.3", linestyle="none", label="w > 0"),
        Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor="0.3", linestyle="none", label="w < 0"),
        Line2D([], [], color="0.5", linewidth=1.0, linestyle=":", label="|w| at the start"),
    ]
    fig.legend(handles=key, loc="outside lower center", ncols=3, fontsize=10)
    a = bowl.curvatures[0]
    fig.suptitle(f"Gradient descent on f(w) = a/2·w², a = {a:g}:  1/a = {1 / a:g},  2/a = {2 / a:g}")
    return fig


# --- paths on a 2-D loss surface ------------------------------------------------------------


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

    The square marks the first run's start, the star the point ``(0, 0)`` (the minimum of a
    :class:`~nbsupport.descent.QuadraticBowl`).

    Parameters
    ----------
    loss : callable
        A function of a 1-D array of 2 parameters returning a number.
    runs : list of DescentRun
        Runs of :func:`~nbsupport.descent.gradient_descent` with 2 parameters; the legend names
        their learning rates and final losses.
    xlim, ylim : tuple of float
        The window, ``(low, high)`` for w1 and for w2.
    ax : Axes or None, default=None
        The Axes to draw on; a new figure when None.
    levels : int, default=12
        The number of contour levels (spaced evenly in the square root of the loss), >= 2.
    resolution : int, default=121
        Grid points per axis, >= 2.
    legend : bool, default=True
        Draw the legend (with one run per panel, a title may say it better).

    Returns
    -------
    Axes
        The Axes drawn on.

    Raises
    ------
    TypeError
        If ``loss`` cannot be called, ``runs`` is not a list of DescentRun (a single run must be
        wrapped in a list), or another argument has the wrong type.
    ValueError
        If ``runs`` is empty, a run does not have 2 parameters, a window is not ``(low, high)`` with
        ``low < high``, or ``levels`` or ``resolution`` is below 2.

    Examples
    --------
    >>> from nbsupport.descent import QuadraticBowl, gradient_descent
    >>> bowl = QuadraticBowl([1.0, 10.0])
    >>> run = gradient_descent(bowl.loss, bowl.grad, [-2.0, 1.0], 0.1, 10)
    >>> ax = plot_paths_on_surface(bowl.loss, [run], xlim=(-2.5, 2.5), ylim=(-1.5, 1.5))
    >>> ax.get_xlabel(), ax.get_legend_handles_labels()[1][0].split(":")[0]
    ('$w_1$', 'α = 0.1')
    """
    check_callable(loss, "loss")
    runs = check_results(runs, "runs", DescentRun, _RUNS)
    for i, run in enumerate(runs):
        if run.path.shape[1] != 2:
            raise ValueError(f"runs[{i}] must be a run with 2 parameters, got a path with {run.path.shape[1]} coordinates")
    xlim = _check_window(xlim, "xlim")
    ylim = _check_window(ylim, "ylim")
    levels = check_int(levels, "levels", 2)
    resolution = check_int(resolution, "resolution", 2)
    legend = check_bool(legend, "legend")
    ax = axes_or_new(ax)
    g1, g2 = np.meshgrid(np.linspace(*xlim, resolution), np.linspace(*ylim, resolution))
    surface = np.array([loss(np.array([a, b])) for a, b in zip(g1.ravel(), g2.ravel())]).reshape(g1.shape)
    heights = np.linspace(0.0, np.sqrt(surface.max()), levels + 1)[1:] ** 2
    ax.contour(g1, g2, surface, levels=heights, colors="0.65", linewidths=0.8)
    for i, run in enumerate(runs):
        ending = "diverged" if run.diverged else f"loss {run.final_loss:.2g} after {run.n_steps} steps"
        ax.plot(run.path[:, 0], run.path[:, 1], "-o", color=f"C{i}", markersize=3, linewidth=1.2, label=f"α = {run.alpha:g}: {ending}")
    ax.plot(*runs[0].path[0], "s", color="black", markersize=6, zorder=3)
    ax.plot(0, 0, "*", color="black", markersize=10, zorder=3)
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    if legend:
        ax.legend(loc="upper right", fontsize=9)
    return ax


def plot_learning_rate_panels(
    bowl_1d: QuadraticBowl,
    runs_1d: Sequence[DescentRun],
    bowl_2d: QuadraticBowl,
    runs_2d: Sequence[DescentRun],
    *,
    xlim: tuple[float, float] = (-3.0, 3.0),
    ylim: tuple[float, float] = (-1.6, 1.6),
) -> Figure:
    """For each learning rate, the 1-D run on its parabola and the 2-D run on its contours.

    ``runs_1d[i]`` and ``runs_2d[i]`` are the runs with the same learning rate. With several pairs:
    one column each, 1-D on top, 2-D below (the static picture for a reader without a running
    kernel). With one pair: the two panels side by side (the picture the interactive explorer
    redraws). The title gives the number of steps of the longest run.

    Parameters
    ----------
    bowl_1d : QuadraticBowl
        The 1-D bowl of ``runs_1d``.
    runs_1d : list of DescentRun
        Runs of :func:`~nbsupport.descent.gradient_descent` on ``bowl_1d``.
    bowl_2d : QuadraticBowl
        The 2-D bowl of ``runs_2d``.
    runs_2d : list of DescentRun
        Runs on ``bowl_2d``, one per run in ``runs_1d``, in the same order of learning rates.
    xlim, ylim : tuple of float, default=(-3.0, 3.0) and (-1.6, 1.6)
        The window of the 2-D panels, ``(low, high)``.

    Returns
    -------
    Figure
        Two Axes per learning rate.

    Raises
    ------
    TypeError
        If a bowl is not a QuadraticBowl or a list of runs is not a list of DescentRun (a single run
        must be wrapped in a list).
    ValueError
        If a bowl has the wrong dimension, a list of runs is empty, the two lists differ in length or
        in learning rates, a run was not made on its bowl, or a window is not ``(low, high)``.

    Examples
    --------
    >>> from nbsupport.descent import QuadraticBowl, gradient_descent
    >>> bowl_1d, bowl_2d = QuadraticBowl([2.0]), QuadraticBowl([0.2, 2.0])
    >>> run_1d = gradient_descent(bowl_1d.loss, bowl_1d.grad, 2.0, 0.1, 20)
    >>> run_2d = gradient_descent(bowl_2d.loss, bowl_2d.grad, [-2.5, 1.0], 0.1, 20)
    >>> fig = plot_learning_rate_panels(bowl_1d, [run_1d], bowl_2d, [run_2d])
    >>> len(fig.axes), fig.axes[0].get_title()
    (2, 'α = 0.1: 1-D smooth')
    """
    bowl_1d = _check_bowl(bowl_1d, 1, "bowl_1d")
    runs_1d = _check_runs_on_bowl(runs_1d, "runs_1d", bowl_1d, "bowl_1d")
    bowl_2d = _check_bowl(bowl_2d, 2, "bowl_2d")
    runs_2d = _check_runs_on_bowl(runs_2d, "runs_2d", bowl_2d, "bowl_2d")
    if len(runs_1d) != len(runs_2d):
        raise ValueError(
            f"runs_1d and runs_2d must pair up, one run of each per learning rate; got {len(runs_1d)} and {len(runs_2d)} runs"
        )
    for i, (run_1d, run_2d) in enumerate(zip(runs_1d, runs_2d)):
        if not math.isclose(run_1d.alpha, run_2d.alpha, rel_tol=1e-12):
            raise ValueError(
                f"runs_1d[{i}] and runs_2d[{i}] must share a learning rate, got α = {run_1d.alpha:g} and α = {run_2d.alpha:g}"
            )
    xlim = _check_window(xlim, "xlim")
    ylim = _check_window(ylim, "ylim")
    half_width = _half_width(runs_1d, "runs_1d")
    if len(runs_1d) == 1:
        fig, axes = plt.subplots(1, 2, figsize=(10.0, 3.8))
        pairs = [tuple(axes)]
    else:
        fig, axes = plt.subplots(2, len(runs_1d), figsize=(3.0 * len(runs_1d), 6.0), squeeze=False)
        pairs = [tuple(column) for column in axes.T]
    for (top, bottom), run, run_2d in zip(pairs, runs_1d, runs_2d):
        regime = _draw_1d_path(top, bowl_1d, run, half_width)
        top.set_title(f"α = {run.alpha:.3g}: 1-D {regime}", color=_REGIME_COLORS[regime], fontsize=11)
        plot_paths_on_surface(bowl_2d.loss, [run_2d], xlim=xlim, ylim=ylim, ax=bottom, levels=10, resolution=81, legend=False)
        ending = "diverged" if run_2d.diverged else f"loss {run_2d.final_loss:.2g}"
        growing = " and growing" if not run_2d.diverged and run_2d.final_loss > run_2d.losses[0] else ""
        bottom.set_title(f"2-D: {ending}{growing}", fontsize=10)
    pairs[0][0].set_ylabel("loss f(w)")
    n_steps = max(run.n_steps for run in [*runs_1d, *runs_2d])
    fig.suptitle(
        f"{n_steps} steps on a/2·w² (a = {bowl_1d.curvatures[0]:g}) and on a 2-D bowl with curvatures "
        f"{bowl_2d.curvatures[0]:g} and {bowl_2d.curvatures[1]:g}"
    )
    return fig


# --- logistic regression: the learning-rate sweep and mini-batches --------------------------


def plot_lr_sweep(
    alphas: Sequence[float],
    final_losses: Sequence[float],
    *,
    safe: float,
    min_loss: float | None = None,
    worst_losses: Sequence[float] | None = None,
    start_loss: float | None = None,
    marks: Mapping[str, float] | None = None,
    ax: Axes | None = None,
) -> Axes:
    """Loss after a fixed number of steps against the learning rate (log axes), with ``1/L`` and ``2/L`` marked.

    The solid green line is the safe step ``1/L`` (the largest guaranteed decrease), the dashed one
    ``2/L`` (the end of the guarantee). With ``min_loss`` (the loss at the minimum, when there is one)
    every loss is drawn as its distance above the minimum, ``f - f*``, so that the runs that converge
    show how close they got. The legend sits to the right of the Axes, covering nothing.

    Parameters
    ----------
    alphas : array-like of shape (n_runs,)
        The learning rates of the sweep, > 0.
    final_losses : array-like of shape (n_runs,)
        The loss at the end of each run (``run.final_loss``), finite.
    safe : float
        The safe step ``1/L`` (:func:`~nbsupport.logistic.safe_step`), > 0; ``2/L`` is drawn with it.
    min_loss : float or None, default=None
        The minimum of the loss, below every loss drawn; None draws the losses themselves.
    worst_losses : array-like of shape (n_runs,) or None, default=None
        The highest loss each run reached (shows where steps start to overshoot); not drawn when None.
    start_loss : float or None, default=None
        The loss at the start, drawn as a horizontal line; not drawn when None.
    marks : dict of str to float or None, default=None
        More learning rates to mark, ``{label: alpha}`` (each > 0), drawn as dash-dotted vertical lines.
    ax : Axes or None, default=None
        The Axes to draw on; a new figure when None.

    Returns
    -------
    Axes
        The Axes drawn on.

    Raises
    ------
    TypeError
        If an argument is not numeric, ``marks`` is not a dict of labels to numbers or ``ax`` is not
        an Axes.
    ValueError
        If the arrays are empty, not 1-D, of different lengths or not finite, a learning rate,
        ``safe`` or a mark is not > 0, or a loss is not above ``min_loss`` (a log axis cannot show it).

    Examples
    --------
    >>> ax = plot_lr_sweep([0.01, 0.1, 1.0], [0.5, 0.2, 0.1], safe=0.3, min_loss=0.05, marks={"edge": 0.9})
    >>> ax.get_xscale(), [text.get_text() for text in ax.get_legend().get_texts()][1:]
    ('log', ['1/L = 0.3', '2/L = 0.6', 'edge = 0.9'])
    """
    alphas_ = check_array(alphas, "alphas", ndim=1, min_rows=1)
    if np.any(alphas_ <= 0):
        raise ValueError(f"alphas must be learning rates > 0 (drawn on a log axis), got {alphas_[alphas_ <= 0][:5].tolist()}")
    finals = check_array(final_losses, "final_losses", ndim=1)
    if finals.shape != alphas_.shape:
        raise ValueError(f"alphas and final_losses must be 1-D and of equal length, got shapes {alphas_.shape} and {finals.shape}")
    worst = None if worst_losses is None else check_array(worst_losses, "worst_losses", ndim=1)
    if worst is not None and worst.shape != alphas_.shape:
        raise ValueError(f"worst_losses must have the shape of alphas {alphas_.shape}, got {worst.shape}")
    start = None if start_loss is None else check_scalar(start_loss, "start_loss")
    safe = check_scalar(safe, "safe", min_val=0.0, include_boundaries="neither")
    floor = 0.0 if min_loss is None else check_scalar(min_loss, "min_loss")
    if marks is None:
        marks = {}
    if not isinstance(marks, Mapping):
        raise TypeError(f"marks must be a dict of labels to learning rates, got {type(marks).__name__}")
    marks = {check_str(label, "marks' labels"): check_scalar(alpha, f"marks[{label!r}]", min_val=0.0, include_boundaries="neither") for label, alpha in marks.items()}
    shown = {"final_losses": finals, "worst_losses": worst, "start_loss": None if start is None else np.array([start])}
    for name, values in shown.items():
        if values is not None and np.any(values - floor <= 0):
            what = f"above min_loss={floor:g}" if min_loss is not None else "> 0"
            must = "must be" if name == "start_loss" else "must all be"
            raise ValueError(f"{name} {must} {what} to be drawn on a log axis, got {values[values - floor <= 0][:5].tolist()}")
    ax = axes_or_new(ax, figsize=(9.5, 4.2))
    above = "" if min_loss is None else " − minimum"
    ax.plot(alphas_, finals - floor, "-o", color="C0", markersize=4, zorder=3, label=f"loss after the last step{above}")
    if worst is not None:
        ax.plot(alphas_, worst - floor, "--^", color="C3", markersize=4, zorder=3, label=f"highest loss during the run{above}")
    if start is not None:
        ax.axhline(start - floor, color="0.5", linewidth=1, linestyle=":", label=f"loss at the start{above}")
    ax.axvline(safe, color="C2", linewidth=2, zorder=1, label=f"1/L = {safe:.4g}")
    ax.axvline(2 * safe, color="C2", linewidth=2, linestyle="--", zorder=1, label=f"2/L = {2 * safe:.4g}")
    for i, (label, alpha) in enumerate(marks.items()):
        ax.axvline(alpha, color=f"C{4 + i}", linewidth=2, linestyle="-.", zorder=1, label=f"{label} = {alpha:.4g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("learning rate α (log scale)")
    ax.set_ylabel("training loss (log scale)" if min_loss is None else "loss above its minimum (log scale)")
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9)
    return ax


def plot_sgd_runs(runs: Sequence[SGDRun], labels: Sequence[str] | None = None) -> Figure:
    """Two panels: the full-data loss against epochs (left) and against updates (right, log axis).

    Parameters
    ----------
    runs : list of SGDRun
        Runs of :func:`~nbsupport.logistic.minibatch_sgd`, one colour each.
    labels : list of str or None, default=None
        One legend entry per run; when None, each run's batch size and updates per epoch.

    Returns
    -------
    Figure
        The two Axes, sharing the loss axis.

    Raises
    ------
    TypeError
        If ``runs`` is not a list of SGDRun (a single run must be wrapped in a list) or ``labels`` is
        not a list of strings.
    ValueError
        If ``runs`` is empty, or ``labels`` does not name each run once (or holds an empty string).

    Examples
    --------
    >>> from nbsupport.logistic import minibatch_sgd
    >>> run = minibatch_sgd([[1.0, 2.0], [1.0, -1.0]], [1, 0], alpha=0.5, batch_size=1, n_epochs=2)
    >>> [ax.get_xlabel() for ax in plot_sgd_runs([run]).axes]
    ['epochs', 'updates (log scale)']
    """
    runs = check_results(runs, "runs", SGDRun, "SGDRun from minibatch_sgd")
    if labels is None:
        labels = [f"batch size {r.batch_size}: {r.updates_per_epoch} update{'s' * (r.updates_per_epoch != 1)} per epoch" for r in runs]
    else:
        labels = [check_str(label, f"labels[{i}]") for i, label in enumerate(check_sequence(labels, "labels", what="labels"))]
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
