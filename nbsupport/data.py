"""The data sets of the course: the article's breast-cancer data, the two moons, and generated sequence tasks.

The breast-cancer data are split and scaled the way a careful study does it.

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
from sklearn.datasets import load_breast_cancer, make_moons
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import RobustScaler, StandardScaler

from nbsupport._validation import check_bool, check_choice, check_int, check_scalar, check_seed

__all__ = ["BreastCancerSplit", "load_breast_cancer_split", "load_breast_cancer_xy", "load_moons", "make_sign_sequences"]

_SCALINGS = ("standard", "robust", "none")
_CLASS_NAMES = ("benign", "malignant")  # index = label: 0 = benign, 1 = malignant
_MAX_SEQUENCE_VALUES = 50_000_000  # float64: 400 MB


@dataclass(frozen=True)
class BreastCancerSplit:
    """Training and test parts of the breast-cancer data, with names. Labels: 1 = malignant."""

    X_train: np.ndarray = field(repr=False)
    X_test: np.ndarray = field(repr=False)
    y_train: np.ndarray = field(repr=False)
    y_test: np.ndarray = field(repr=False)
    feature_names: tuple[str, ...] = field(repr=False)
    class_names: tuple[str, str] = _CLASS_NAMES
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
    scaling = check_choice(scaling, "scaling", _SCALINGS)

    X, y, names = load_breast_cancer_xy()
    X_train, X_test, y_train, y_test = train_test_split(
        X, y, test_size=test_size, random_state=seed, stratify=y if stratify else None
    )
    scaler = {"standard": StandardScaler, "robust": RobustScaler, "none": lambda: None}[scaling]()
    if scaler is not None:
        X_train = scaler.fit_transform(X_train)
        X_test = scaler.transform(X_test)
    return BreastCancerSplit(X_train, X_test, y_train, y_test, names, _CLASS_NAMES, scaler)


# --- the two moons ------------------------------------------------------------------------------------


def load_moons(n_samples: int = 1000, *, noise: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """scikit-learn's two interleaving half circles, standardised: the deep networks' task in chapters 4 to 7.

    Two features, two classes that no straight line separates; each feature is scaled to mean 0 and
    standard deviation 1 (``StandardScaler``), as a network's inputs should be.

    Parameters
    ----------
    n_samples : int, default=1000
        Number of points, in [2, 10,000,000] (half of them in each moon).
    noise : float, default=0.2
        Standard deviation of the Gaussian noise added to the points, >= 0.
    seed : int, default=0
        ``random_state`` of ``sklearn.datasets.make_moons``, in [0, 2**31 - 1].

    Returns
    -------
    X : ndarray of shape (n_samples, 2)
    y : ndarray of shape (n_samples,)
        The moon of each point, 0 or 1.

    Examples
    --------
    >>> X, y = load_moons(200)
    >>> X.shape, np.round(X.mean(axis=0), 12) + 0.0, np.bincount(y).tolist()
    ((200, 2), array([0., 0.]), [100, 100])
    """
    n_samples = check_int(n_samples, "n_samples", 2, 10_000_000)
    noise = check_scalar(noise, "noise", min_val=0.0)
    X, y = make_moons(n_samples=n_samples, noise=noise, random_state=check_seed(seed))
    return StandardScaler().fit_transform(X), y


# --- generated long-range sequence tasks ---------------------------------------------------------------


def make_sign_sequences(n_sequences: int, length: int, *, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Sequences of ``length`` standard-normal values whose class is the sign of the *first* value.

    Everything after the first step is noise, so a recurrent network must carry one number through
    ``length - 1`` steps: the longer the sequence, the further back the gradient must reach.

    Parameters
    ----------
    n_sequences : int
        Number of sequences, >= 1.
    length : int
        Steps per sequence, >= 1; ``n_sequences * length`` at most 50,000,000.
    seed : int, default=0
        Seed of ``numpy.random.default_rng``, in [0, 2**31 - 1].

    Returns
    -------
    X : ndarray of shape (n_sequences, length, 1)
    y : ndarray of shape (n_sequences,)
        1 where the first value is positive, else 0.

    Raises
    ------
    TypeError, ValueError
        For a count, length or seed of the wrong type or out of range.

    Examples
    --------
    >>> X, y = make_sign_sequences(4, 10, seed=0)
    >>> X.shape, bool(np.all(y == (X[:, 0, 0] > 0)))
    ((4, 10, 1), True)
    """
    n_sequences = check_int(n_sequences, "n_sequences", 1)
    length = check_int(length, "length", 1)
    if n_sequences * length > _MAX_SEQUENCE_VALUES:
        raise ValueError(
            f"n_sequences * length must be at most {_MAX_SEQUENCE_VALUES:,} values (400 MB), got {n_sequences * length:,}"
        )
    rng = np.random.default_rng(check_seed(seed))
    X = rng.standard_normal((n_sequences, length, 1))
    return X, (X[:, 0, 0] > 0).astype(np.int64)
