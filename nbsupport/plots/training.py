"""Pictures of :mod:`nbsupport.training`, :mod:`nbsupport.study` and :mod:`nbsupport.recording`: learning curves per
epoch, of one run or of several seeds, and per-layer measurements over the steps of training.

>>> fig = plot_learning_curves({"loss": [0.6, 0.4], "val_loss": [0.7, 0.5]}, metrics=("loss",))
>>> fig.axes[0].get_xlabel()
'epoch'
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nbsupport._validation import check_array, check_bool, check_int, check_sequence, check_str
from nbsupport.plots._axes import axes_or_new

__all__ = ["plot_learning_curves", "plot_per_layer_over_training", "plot_seed_curves"]

_METRIC_LABELS = {"loss": "binary cross-entropy", "accuracy": "accuracy"}


def _as_history(history: Any) -> dict[str, np.ndarray]:
    """The per-epoch curves of a ``keras.callbacks.History`` (what ``fit`` returns) or of a dict, as numpy arrays.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        Curves with a ``loss`` entry, all 1-D of one length >= 1.

    Returns
    -------
    dict of str to ndarray

    Raises
    ------
    TypeError
        If ``history`` is neither.
    ValueError
        If ``loss`` is missing or the curves have different or empty shapes.

    Examples
    --------
    >>> _as_history({"loss": [0.5, 0.3], "val_loss": [0.6, 0.4]})["loss"].tolist()
    [0.5, 0.3]
    """
    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping):
        raise TypeError(f"history must be a keras History or a dict of per-epoch lists, got {type(history).__name__}")
    out = {str(k): check_array(v, f"history[{k!r}]", ndim=1, finite=False) for k, v in curves.items()}
    if "loss" not in out:
        raise ValueError(f"history must have a 'loss' curve, got keys {sorted(out)}")
    lengths = {v.shape[0] for v in out.values()}
    if len(lengths) != 1 or 0 in lengths:
        raise ValueError(f"history curves must hold one value per epoch and be of equal length, got lengths {sorted(lengths)}")
    return out


def _runs(histories: Any) -> dict[str, dict[str, np.ndarray]]:
    """One history, or a dict of labelled histories, as ``{label: curves}``."""
    is_collection = isinstance(histories, Mapping) and not hasattr(histories, "history")
    if is_collection and not histories:
        raise ValueError("histories must hold at least one run, got an empty dict")
    if is_collection and all(not isinstance(v, (list, tuple, np.ndarray)) for v in histories.values()):
        return {str(label): _as_history(h) for label, h in histories.items()}
    return {"": _as_history(histories)}


def plot_learning_curves(
    histories: Any,
    *,
    metrics: Sequence[str] = ("loss", "accuracy"),
    title: str | None = None,
    mark_epoch: int | None = None,
) -> Figure:
    """Training (solid) and validation (dashed) curves per epoch, one panel per metric.

    Parameters
    ----------
    histories : keras.callbacks.History, dict, or dict of them
        One history (what ``model.fit`` or ``fit_compiled`` returns), or ``{label: history}`` to compare
        runs, each in its own colour.
    metrics : sequence of str, default=("loss", "accuracy")
        Which curves to draw, each present in every run; its ``val_`` twin is drawn dashed when present.
    title : str or None, default=None
        The figure's title.
    mark_epoch : int or None, default=None
        Draw a vertical dotted line at this epoch (1-based, >= 1), e.g. where training stopped.

    Returns
    -------
    matplotlib Figure

    Raises
    ------
    TypeError
        If ``histories`` or ``metrics`` has the wrong type.
    ValueError
        If there is no run, or a run lacks a metric.

    Examples
    --------
    >>> h = {"loss": [0.6, 0.4], "val_loss": [0.7, 0.5], "accuracy": [0.8, 0.9], "val_accuracy": [0.8, 0.85]}
    >>> fig = plot_learning_curves(h, title="demo")
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['binary cross-entropy', 'accuracy']
    """
    runs = _runs(histories)
    metrics = [str(m) for m in check_sequence(metrics, "metrics", what="curve names such as ('loss', 'accuracy')")]
    for label, curves in runs.items():
        for metric in metrics:
            if metric not in curves:
                raise ValueError(f"metrics: run {label!r} has no {metric!r} curve; it has {sorted(curves)}")
    mark_epoch = None if mark_epoch is None else check_int(mark_epoch, "mark_epoch", 1)

    fig, axes = plt.subplots(1, len(metrics), figsize=(5.2 * len(metrics), 3.8), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        for i, (label, curves) in enumerate(runs.items()):
            epochs = np.arange(1, len(curves[metric]) + 1)
            prefix = f"{label}: " if label else ""
            ax.plot(epochs, curves[metric], color=f"C{i}", label=f"{prefix}training")
            if f"val_{metric}" in curves:
                ax.plot(epochs, curves[f"val_{metric}"], color=f"C{i}", linestyle="--", label=f"{prefix}validation")
        if mark_epoch is not None:
            ax.axvline(mark_epoch, color="0.4", linestyle=":", linewidth=1.2)
        ax.set_xlabel("epoch")
        ax.set_ylabel(_METRIC_LABELS.get(metric, metric))
        ax.set_title(metric)
        ax.legend(loc="best")
    if title:
        fig.suptitle(title)
    return fig


def plot_seed_curves(
    histories: Mapping[str, Sequence[Any]],
    *,
    metric: str = "loss",
    log: bool = False,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """One training curve per seed, one colour per experiment: the spread of the seeds in one view.

    An epoch whose value is NaN or infinite leaves a gap in its line (matplotlib draws no point there).

    Parameters
    ----------
    histories : dict of str to list of histories
        ``{label: [history, ...]}``, one history per seed; each a ``keras.callbacks.History`` or a dict of
        per-epoch curves (what ``fit_compiled`` returns).
    metric : str, default="loss"
        The curve to draw, present in every history.
    log : bool, default=False
        Log scale on the y axis.
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
        If ``histories`` is not a dict of lists, or another argument has the wrong type.
    ValueError
        If there is no experiment, an experiment has no run, or a run lacks ``metric``.

    Examples
    --------
    >>> ax = plot_seed_curves({"SGD": [{"loss": [0.7, 0.5]}, {"loss": [0.7, 0.6]}], "Adam": [{"loss": [0.6, 0.2]}]})
    >>> ax.get_ylabel(), len(ax.get_lines()), ax.get_legend_handles_labels()[1]
    ('training loss (binary cross-entropy)', 3, ['SGD', 'Adam'])
    """
    if not isinstance(histories, Mapping):
        raise TypeError(f"histories must be a dict {{label: [history, ...]}}, got {type(histories).__name__}")
    if not histories:
        raise ValueError("histories must hold at least one experiment, got an empty dict")
    metric = check_str(metric, "metric")
    runs: dict[str, list[np.ndarray]] = {}
    for label, seeds in histories.items():
        if isinstance(seeds, Mapping) or hasattr(seeds, "history"):
            raise TypeError(f"histories[{label!r}] must be a list of histories (one per seed), got a single history: wrap it in a list")
        runs[str(label)] = []
        for history in check_sequence(seeds, f"histories[{label!r}]", what="histories, one per seed"):
            curves = _as_history(history)
            if metric not in curves:
                raise ValueError(f"metric: a run of {label!r} has no {metric!r} curve; it has {sorted(curves)}")
            runs[str(label)].append(curves[metric])
    log = check_bool(log, "log")
    ax = axes_or_new(ax, figsize=(7.0, 4.2))
    for i, (label, curves) in enumerate(runs.items()):
        for k, values in enumerate(curves):
            ax.plot(np.arange(1, len(values) + 1), values, color=f"C{i}", alpha=0.8, label=label if k == 0 else None)
    ylabel = "training loss (binary cross-entropy)" if metric == "loss" else f"training {_METRIC_LABELS.get(metric, metric)}"
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel + (" (log)" if log else ""))
    if log:
        ax.set_yscale("log")
    if title:
        ax.set_title(check_str(title, "title"))
    ax.legend(loc="best")
    return ax


def plot_per_layer_over_training(
    steps: Any,
    values: Any,
    *,
    ylabel: str,
    layers: Sequence[str] | None = None,
    log: bool = False,
    reference: float | None = None,
    window: int = 1,
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """One line per layer over the steps of training, dark for the input side and light for the output side.

    Draws what :func:`nbsupport.recording.record_training` records: ``update_ratio`` against the steps
    (``log=True, reference=1e-3``), or a statistic such as ``record.statistic("flat")`` against
    ``record.statistics_steps``. Values that are not positive are left out on a log axis.

    Parameters
    ----------
    steps : array-like of shape (n,)
        The x positions (step counts).
    values : array-like of shape (n, layers)
        One column per layer, input side first.
    ylabel : str
        The y-axis label.
    layers : list of str or None, default=None
        Legend names of the columns; None means ``layer 1``, ``layer 2``, ...
    log : bool, default=False
        Log scale on the y axis.
    reference : float or None, default=None
        Draw a dotted horizontal line at this value (for instance 1e-3 for update-to-data ratios).
    window : int, default=1
        Each line is the running mean of this many consecutive values (of their log10 on a log axis),
        to calm step-to-step noise; 1 draws them as they are.
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
        If the arrays do not match or an argument has the wrong type or value.

    Examples
    --------
    >>> ratios = np.array([[1e-5, 1e-3], [2e-5, 1e-3], [3e-5, 2e-3]])
    >>> ax = plot_per_layer_over_training([1, 2, 3], ratios, ylabel="update / weight", log=True, reference=1e-3)
    >>> len(ax.get_lines()), ax.get_yscale(), ax.get_legend_handles_labels()[1]
    (3, 'log', ['layer 1', 'layer 2'])
    """
    steps = check_array(steps, "steps", ndim=1, min_rows=1)
    values = check_array(values, "values", ndim=2, finite=False, min_rows=1)
    if values.shape[0] != steps.shape[0]:
        raise ValueError(f"values must have one row per step: {steps.shape[0]} steps, got {values.shape[0]} rows")
    names = [f"layer {i}" for i in range(1, values.shape[1] + 1)] if layers is None else [check_str(n, "each layer") for n in check_sequence(layers, "layers", what="layer names")]
    if len(names) != values.shape[1]:
        raise ValueError(f"layers must name each of the {values.shape[1]} columns of values, got {len(names)} names")
    ylabel = check_str(ylabel, "ylabel")
    log = check_bool(log, "log")
    window = check_int(window, "window", 1, max(1, steps.shape[0]))
    if reference is not None and (isinstance(reference, bool) or not isinstance(reference, (int, float)) or not np.isfinite(reference) or (log and reference <= 0)):
        raise ValueError(f"reference must be a finite number (positive on a log axis) or None, got {reference!r}")
    ax = axes_or_new(ax, figsize=(7.0, 4.2))
    colors = plt.get_cmap("viridis")(np.linspace(0.0, 0.9, values.shape[1]))
    kernel = np.ones(window) / window
    for color, name, column in zip(colors, names, values.T):
        column = np.where(column > 0, np.log10(np.where(column > 0, column, 1.0)), np.nan) if log else column
        if window > 1:
            column = np.convolve(column, kernel, mode="valid")
        x = steps[window - 1 :] if window > 1 else steps
        ax.plot(x, 10.0**column if log else column, color=color, linewidth=1.4, label=name)
    if reference is not None:
        ax.axhline(reference, color="0.3", linestyle=":", linewidth=1.2)
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("training step")
    ax.set_ylabel(ylabel + (" (log)" if log else ""))
    ax.legend(loc="best", fontsize=8, ncol=2 if len(names) > 6 else 1)
    if title:
        ax.set_title(check_str(title, "title"))
    return ax
