"""The breast-cancer data of the article, split and scaled the way a careful study does it.

scikit-learn stores the labels as 0 = malignant, 1 = benign. The article treats *malignant* as the
positive class, so here the labels are flipped: **1 = malignant**, 0 = benign. Precision, recall and
the confusion matrix then speak about finding cancers, as a reader of the article expects.

>>> split = load_breast_cancer_split()
>>> split.X_train.shape, split.X_test.shape, split.class_names
((455, 30), (114, 30), ('benign', 'malignant'))
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import RobustScaler, StandardScaler

from nbsupport._validation import check_bool, check_choice, check_scalar, check_seed

__all__ = ["CLASS_NAMES", "SCALINGS", "BreastCancerSplit", "load_breast_cancer_split", "load_breast_cancer_xy"]

SCALINGS = ("standard", "robust", "none")
CLASS_NAMES = ("benign", "malignant")  # index = label: 0 = benign, 1 = malignant


@dataclass(frozen=True)
class BreastCancerSplit:
    """Training and test parts of the breast-cancer data, with names. Labels: 1 = malignant."""

    X_train: np.ndarray = field(repr=False)
    X_test: np.ndarray = field(repr=False)
    y_train: np.ndarray = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    feature_names: tuple[str, ...] = field(repr=False)
    class_names: tuple[str, str] = CLASS_NAMES
    scaler: StandardScaler | RobustScaler | None = None


def load_breast_cancer_xy() -> tuple[np.ndarray, np.ndarray, tuple[str, ...]]:
    """All 569 samples, unscaled, with labels flipped to 1 = malignant, and the feature names.

    Returns
    -------
    X : ndarray of shape (569, 30)
    y : ndarray of shape (569,)
        1 = malignant, 0 = benign.
    feature_names : tuple of str

    Examples
    --------
    >>> X, y, names = load_breast_cancer_xy()
    >>> X.shape, int(y.sum()), names[0]
    ((569, 30), 212, 'mean radius')
    """
    data = load_breast_cancer()
    if list(data.target_names) != ["malignant", "benign"]:  # guard the flip below against a change upstream
        raise RuntimeError(f"unexpected target names in scikit-learn's data: {list(data.target_names)}")
    return data.data.astype(np.float64), (1 - data.target).astype(np.int64), tuple(str(n) for n in data.feature_names)


def load_breast_cancer_split(
    test_size: float = 0.2, seed: int = 42, *, stratify: bool = False, scaling: str = "standard"
) -> BreastCancerSplit:
    """Split the breast-cancer data and scale it with a scaler fitted on the training part only.

    The defaults reproduce the article's split: 20 % test, ``random_state=42``, not stratified,
    standardised.

    Parameters
    ----------
    test_size : float, default=0.2
        Share of the samples held out for testing, in (0, 1).
    seed : int, default=42
        The ``random_state`` of ``train_test_split``, in [0, 2**31 - 1].
    stratify : bool, default=False
        Keep the class shares equal in both parts.
    scaling : {"standard", "robust", "none"}, default="standard"
        ``"standard"`` (mean 0, sd 1), ``"robust"`` (median 0, interquartile range 1: outliers pull it
        less) or ``"none"``.

    Returns
    -------
    BreastCancerSplit

    Raises
    ------
    TypeError
        If an argument has the wrong type (a float ``seed``, a str ``stratify``, ...).
    ValueError
        If a value is out of range or ``scaling`` is unknown.

    Examples
    --------
    >>> split = load_breast_cancer_split(scaling="robust", stratify=True, seed=0)
    >>> round(float(split.y_train.mean()), 3), type(split.scaler).__name__
    (0.374, 'RobustScaler')
    """
    test_size = check_scalar(test_size, "test_size", min_val=0.0, max_val=1.0, include_boundaries="neither")
    seed = check_seed(seed)
    stratify = check_bool(stratify, "stratify")
    scaling = check_choice(scaling, "scaling", SCALINGS)

    X, y, names = load_breast_cancer_xy()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y if stratify else None
    )
    scaler = {"standard": StandardScaler, "robust": RobustScaler, "none": lambda: None}[scaling]()
    if scaler is not None:
        X_train = scaler.fit_transform(X_train)
        X_test = scaler.transform(X_test)
    return BreastCancerSplit(X_train, X_test, y_train, y_test, names, CLASS_NAMES, scaler)
