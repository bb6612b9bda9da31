"""Train, evaluate and compare binary classifiers: learning curves, scores, and the spread over seeds.

>>> s = spread([0.96, 0.97, 0.98])
>>> print(s)
mean 0.9700, sd 0.0100, min 0.9600, max 0.9800 (n=3)
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from nbsupport.models import HISTORY_KEYS, build_classifier, fit_compiled, reset_classifier

METRIC_LABELS = {"loss": "binary cross-entropy", "accuracy": "accuracy"}


def as_history(history: Any) -> dict[str, np.ndarray]:
    """The per-epoch curves of a ``keras.callbacks.History`` (what ``fit`` returns) or of a dict, as numpy arrays.

    Examples
    --------
    >>> as_history({"loss": [0.5, 0.3], "val_loss": [0.6, 0.4]})["loss"].tolist()
    [0.5, 0.3]
    """
    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping):
        raise TypeError(f"history must be a keras History or a dict of per-epoch lists, got {type(history).__name__}")
    out = {str(k): np.asarray(v, dtype=float) for k, v in curves.items()}
    if "loss" not in out:
        raise ValueError(f"history must have a 'loss' curve, got keys {sorted(out)}")
    lengths = {v.shape for v in out.values()}
    if len(lengths) != 1 or len(next(iter(lengths))) != 1 or next(iter(lengths))[0] < 1:
        raise ValueError(f"history curves must be 1-D with one value per epoch and equal length, got shapes {sorted(lengths)}")
    return out


def plot_learning_curves(
    histories: Any, *, metrics: Sequence[str] = ("loss", "accuracy"), title: str | None = None, mark_epoch: int | None = None
) -> Figure:
    """Training (solid) and validation (dashed) curves per epoch, one panel per metric.

    Parameters
    ----------
    histories : one history (``keras.callbacks.History`` or a dict as ``fit_compiled`` returns), or a
        dict ``{label: history}`` to compare runs; each run gets its own colour.
    metrics : which curves to draw, each a key present with its ``val_`` twin (``"loss"``, ``"accuracy"``).
    title : the figure's title.
    mark_epoch : draw a vertical dotted line at this epoch (1-based), e.g. where training stopped.

    Examples
    --------
    >>> h = {"loss": [0.6, 0.4], "val_loss": [0.7, 0.5], "accuracy": [0.8, 0.9], "val_accuracy": [0.8, 0.85]}
    >>> fig = plot_learning_curves(h, title="demo")
    >>> [ax.get_ylabel() for ax in fig.axes]
    ['binary cross-entropy', 'accuracy']
    """
    if isinstance(histories, Mapping) and histories and all(not isinstance(v, (list, tuple, np.ndarray)) for v in histories.values()):
        runs = {str(label): as_history(h) for label, h in histories.items()}
    else:
        runs = {"": as_history(histories)}
    if isinstance(metrics, str) or not isinstance(metrics, Sequence) or not metrics:
        raise TypeError(f"metrics must be a non-empty list of curve names such as ('loss', 'accuracy'), got {metrics!r}")
    for label, curves in runs.items():
        for metric in metrics:
            if metric not in curves or f"val_{metric}" not in curves:
                raise ValueError(f"metrics: run {label!r} has no {metric!r} and 'val_{metric}' curves; it has {sorted(curves)}")
    if mark_epoch is not None and (isinstance(mark_epoch, bool) or not isinstance(mark_epoch, numbers.Integral) or mark_epoch < 1):
        raise ValueError(f"mark_epoch must be a positive int or None, got {mark_epoch!r}")

    fig, axes = plt.subplots(1, len(metrics), figsize=(5.2 * len(metrics), 3.8), squeeze=False)
    for ax, metric in zip(axes[0], metrics):
        for i, (label, curves) in enumerate(runs.items()):
            epochs = np.arange(1, len(curves[metric]) + 1)
            prefix = f"{label}: " if label else ""
            ax.plot(epochs, curves[metric], color=f"C{i}", label=f"{prefix}training")
            ax.plot(epochs, curves[f"val_{metric}"], color=f"C{i}", linestyle="--", label=f"{prefix}validation")
        if mark_epoch is not None:
            ax.axvline(mark_epoch, color="0.4", linestyle=":", linewidth=1.2)
        ax.set_xlabel("epoch")
        ax.set_ylabel(METRIC_LABELS.get(metric, metric))
        ax.set_title(metric)
        ax.legend(loc="best")
    if title:
        fig.suptitle(title)
    return fig


def predict_proba(model: Any, X: np.ndarray) -> np.ndarray:
    """Predicted probability of class 1 for each row, in inference mode (dropout off), without a progress bar.

    Calls the model directly rather than ``model.predict``: on a few hundred rows that is quicker and
    prints nothing.

    Examples
    --------
    >>> model = build_classifier(seed=0)
    >>> predict_proba(model, np.zeros((2, 30))).shape
    (2,)
    """
    X = np.asarray(X, dtype=np.float32)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (samples, features), got shape {X.shape}")
    return np.asarray(model(X, training=False), dtype=float).reshape(-1)


def binary_scores(y_true: Sequence[int], p: Sequence[float], threshold: float = 0.5) -> dict[str, float]:
    """Accuracy, precision, recall, F1 (class 1 is positive) and ROC AUC, from scikit-learn's metrics.

    Parameters
    ----------
    y_true : labels 0/1, 1 the positive class (malignant, in this course).
    p : predicted probability of class 1 per sample.
    threshold : predict 1 when ``p > threshold``; in (0, 1).

    Examples
    --------
    >>> scores = binary_scores([0, 0, 1, 1], [0.1, 0.6, 0.7, 0.9])
    >>> {k: round(v, 3) for k, v in scores.items()}
    {'accuracy': 0.75, 'precision': 0.667, 'recall': 1.0, 'f1': 0.8, 'roc_auc': 1.0}
    """
    from sklearn import metrics

    y_true = np.asarray(y_true)
    p = np.asarray(p, dtype=float)
    if y_true.ndim != 1 or p.shape != y_true.shape:
        raise ValueError(f"y_true and p must be 1-D of the same length, got shapes {y_true.shape} and {p.shape}")
    if not np.isin(y_true, (0, 1)).all():
        raise ValueError("y_true must hold binary labels 0 and 1 only")
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real) or not 0 < threshold < 1:
        raise ValueError(f"threshold must be a number in (0, 1), got {threshold!r}")
    y_pred = (p > threshold).astype(int)
    return {
        "accuracy": float(metrics.accuracy_score(y_true, y_pred)),
        "precision": float(metrics.precision_score(y_true, y_pred, zero_division=0)),
        "recall": float(metrics.recall_score(y_true, y_pred, zero_division=0)),
        "f1": float(metrics.f1_score(y_true, y_pred, zero_division=0)),
        "roc_auc": float(metrics.roc_auc_score(y_true, p)),
    }


@dataclass(frozen=True)
class Spread:
    """Mean, sample standard deviation, minimum and maximum of a few numbers (one per seed)."""

    mean: float
    sd: float
    min: float
    max: float
    n: int

    def __str__(self) -> str:
        return f"mean {self.mean:.4f}, sd {self.sd:.4f}, min {self.min:.4f}, max {self.max:.4f} (n={self.n})"


def spread(values: Sequence[float]) -> Spread:
    """Summarise repeated measurements: mean, sample standard deviation (``ddof=1``), min and max.

    Examples
    --------
    >>> spread([1.0, 3.0]).sd
    1.4142135623730951
    """
    v = np.asarray(values, dtype=float)
    if v.ndim != 1 or v.size < 2 or not np.isfinite(v).all():
        raise ValueError(f"values must be at least 2 finite numbers, got {values!r}")
    return Spread(float(v.mean()), float(v.std(ddof=1)), float(v.min()), float(v.max()), int(v.size))


@dataclass(frozen=True)
class Run:
    """One trained model's result: its seed, learning curves and test scores."""

    seed: int
    history: dict[str, np.ndarray] = field(repr=False)
    scores: dict[str, float]

    @property
    def test_accuracy(self) -> float:
        """Accuracy on the test part."""
        return self.scores["accuracy"]


def repeat_runs(
    X_train: np.ndarray,
    y_train: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    seeds: Sequence[int],
    *,
    epochs: int = 50,
    batch_size: int = 32,
    validation_split: float = 0.2,
    **model_kwargs: Any,
) -> list[Run]:
    """Train (``fit_compiled``) and score the ``build_classifier`` network once per seed.

    Each run starts exactly where ``build_classifier(..., seed=seed)`` would: one model is built and
    reset to that state for every seed (``reset_classifier``), so the compiled loop is traced once.

    Parameters
    ----------
    X_train, y_train, X_test, y_test : the split (labels 0/1).
    seeds : distinct non-negative ints; each seeds the weights, the dropout masks and the shuffles.
    epochs, batch_size, validation_split : as for ``model.fit``.
    **model_kwargs : passed to ``build_classifier`` (``hidden``, ``dropout``, ``initializer``, ...).

    Examples
    --------
    >>> from nbsupport.data import load_breast_cancer_split
    >>> s = load_breast_cancer_split()
    >>> runs = repeat_runs(s.X_train, s.y_train, s.X_test, s.y_test, seeds=[0], epochs=2)
    >>> runs[0].seed, sorted(runs[0].scores)
    (0, ['accuracy', 'f1', 'precision', 'recall', 'roc_auc'])
    """
    if isinstance(seeds, (str, bytes)) or not isinstance(seeds, Sequence) or len(seeds) == 0:
        raise TypeError(f"seeds must be a non-empty list of ints, got {seeds!r}")
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, got {list(seeds)}")
    if "seed" in model_kwargs:
        raise TypeError("pass seeds=[...] rather than seed=")
    runs = []
    model = build_classifier(np.shape(X_train)[1], seed=seeds[0], **model_kwargs)
    for seed in seeds:
        reset_classifier(model, seed)
        history = fit_compiled(model, X_train, y_train, epochs=epochs, batch_size=batch_size, validation_split=validation_split, seed=seed)
        scores = binary_scores(y_test, predict_proba(model, X_test))
        runs.append(Run(int(seed), history, scores))
    return runs


__all__ = [
    "HISTORY_KEYS",
    "Run",
    "Spread",
    "as_history",
    "binary_scores",
    "plot_learning_curves",
    "predict_proba",
    "repeat_runs",
    "spread",
]
