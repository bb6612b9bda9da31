"""Scoring a trained classifier, and summarising a score over repeated runs.

- :func:`predict_proba`: the model's probability of class 1 for each row, dropout off, nothing printed.
- :func:`binary_scores`: accuracy, precision, recall, F1 and ROC AUC from scikit-learn's metrics, with
  class 1 as the positive class.
- :func:`spread`: mean, standard deviation, minimum and maximum of a score over seeds.

>>> print(spread([0.96, 0.97, 0.98]))
mean 0.9700, sd 0.0100, min 0.9600, max 0.9800 (n=3)
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

import numpy as np

from nbsupport._validation import check_array, check_binary_labels, check_model, check_scalar

__all__ = ["Spread", "binary_scores", "predict_proba", "spread"]


def predict_proba(model: Any, X: Any) -> np.ndarray:
    """Predicted probability of class 1 for each row, in inference mode (dropout off), without a progress bar.

    Calls the model directly rather than ``model.predict``: on a few hundred rows that is quicker and
    prints nothing.

    Parameters
    ----------
    model : keras.Model
        A binary classifier with one sigmoid output.
    X : array-like of shape (n_samples, n_features)
        Finite values, at least one row.

    Returns
    -------
    ndarray of shape (n_samples,)

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model or ``X`` is not numeric.
    ValueError
        If ``X`` is empty, not finite, or has the wrong number of columns for the model.

    Examples
    --------
    >>> from nbsupport.models import build_classifier
    >>> predict_proba(build_classifier(seed=0), np.zeros((2, 30))).shape
    (2,)
    """
    check_model(model)
    X = check_array(X, "X", ndim=2, min_rows=1, shape_hint="(samples, features)")
    expected = tuple(model.inputs[0].shape[1:])
    if X.shape[1:] != expected:
        raise ValueError(f"X must have {expected[0]} columns for this model, got shape {X.shape}")
    p = np.asarray(model(X.astype(np.float32), training=False), dtype=float)
    if p.ndim != 2 or p.shape[1] != 1:
        raise ValueError(f"model must have one output unit (a binary classifier), got outputs of shape {p.shape}")
    return p.reshape(-1)


def binary_scores(y_true: Sequence[int], p: Sequence[float], threshold: float = 0.5) -> dict[str, float]:
    """Accuracy, precision, recall, F1 (class 1 is positive) and ROC AUC, from scikit-learn's metrics.

    Where a score is undefined the result says so: precision, recall and F1 are 0 when their
    denominator is 0 (scikit-learn's ``zero_division=0``), and ROC AUC is NaN when ``y_true`` holds one
    class only (ranking needs both).

    Parameters
    ----------
    y_true : array-like of shape (n_samples,)
        Labels 0/1, 1 the positive class (malignant, in this course).
    p : array-like of shape (n_samples,)
        Predicted probability of class 1 per sample, in [0, 1].
    threshold : float, default=0.5
        Predict 1 when ``p > threshold``; in (0, 1).

    Returns
    -------
    dict
        ``accuracy``, ``precision``, ``recall``, ``f1``, ``roc_auc``.

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If the shapes differ, a label is not 0/1, a probability is outside [0, 1], or the threshold is
        outside (0, 1).

    Examples
    --------
    >>> scores = binary_scores([0, 0, 1, 1], [0.1, 0.6, 0.7, 0.9])
    >>> {k: round(v, 3) for k, v in scores.items()}
    {'accuracy': 0.75, 'precision': 0.667, 'recall': 1.0, 'f1': 0.8, 'roc_auc': 1.0}
    >>> binary_scores([0, 0], [0.2, 0.4])["roc_auc"]
    nan
    """
    from sklearn import metrics

    p = check_array(p, "p", ndim=1, min_rows=1)
    y_true = check_binary_labels(y_true, "y_true", p.shape[0]).astype(int)
    if np.any((p < 0) | (p > 1)):
        raise ValueError(f"p must hold probabilities in [0, 1], got values from {p.min():g} to {p.max():g}")
    threshold = check_scalar(threshold, "threshold", min_val=0.0, max_val=1.0, include_boundaries="neither")
    y_pred = (p > threshold).astype(int)
    both_classes = len(np.unique(y_true)) == 2
    return {
        "accuracy": float(metrics.accuracy_score(y_true, y_pred)),
        "precision": float(metrics.precision_score(y_true, y_pred, zero_division=0)),
        "recall": float(metrics.recall_score(y_true, y_pred, zero_division=0)),
        "f1": float(metrics.f1_score(y_true, y_pred, zero_division=0)),
        "roc_auc": float(metrics.roc_auc_score(y_true, p)) if both_classes else math.nan,
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

    Parameters
    ----------
    values : array-like of shape (n,)
        At least two finite numbers.

    Returns
    -------
    Spread

    Raises
    ------
    ValueError
        If there are fewer than two values or one is not finite.

    Examples
    --------
    >>> spread([1.0, 3.0]).sd
    1.4142135623730951
    """
    v = check_array(values, "values", ndim=1, min_rows=2, shape_hint="(at least 2 measurements)")
    return Spread(float(v.mean()), float(v.std(ddof=1)), float(v.min()), float(v.max()), int(v.size))
