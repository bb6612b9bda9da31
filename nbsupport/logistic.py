"""Logistic regression by hand in numpy: the loss, its gradient, the safe step, full-batch descent and mini-batches.

:func:`logistic_loss` is the mean binary cross-entropy (overflow-free, via ``logaddexp``) and
:func:`logistic_gradient` its gradient ``X^T (sigmoid(Xw) - y) / n``, :func:`logistic_hessian` its
curvature ``X^T diag(s (1 - s)) X / n``; :func:`safe_step` is ``1/L`` with ``L = lambda_max(X^T X) / (4n)``.
:func:`logistic_descent` runs full-batch gradient descent and :func:`minibatch_sgd` the same loop on
shuffled mini-batches, epoch by epoch.

>>> X = add_bias_column([[1.0], [-1.0]])
>>> round(logistic_loss([0.0, 0.0], X, [1, 0]), 6), safe_step(X)
(0.693147, 4.0)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from nbsupport._tensorflow import import_tensorflow_quietly
from nbsupport._validation import FloatArray, check_array, check_int, check_scalar, check_seed
from nbsupport.activations import sigmoid
from nbsupport.descent import MAX_STEPS, DescentRun, gradient_descent

__all__ = [
    "add_bias_column",
    "logistic_loss",
    "logistic_gradient",
    "logistic_hessian",
    "logistic_loss_keras",
    "smoothness_constant",
    "safe_step",
    "logistic_descent",
    "SGDRun",
    "minibatch_sgd",
]

_SHAPE = "(samples, features)"


# --- argument checks ------------------------------------------------------------------------


def _check_X(X: ArrayLike) -> FloatArray:
    X = check_array(X, "X", ndim=2, shape_hint=_SHAPE)
    if X.size == 0:
        raise ValueError(f"X is empty (shape {X.shape}): it must hold at least one sample and one feature")
    return X


def _check_data(X: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    X = _check_X(X)
    y = check_array(y, "y")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must be a 1-D array of {X.shape[0]} labels (one per row of X), got shape {y.shape}")
    outside = y[(y < 0) | (y > 1)]
    if outside.size:
        raise ValueError(f"y must hold labels in [0, 1] (0 = benign, 1 = malignant), got {outside[:5].tolist()}")
    return X, y


def _check_weights(w: ArrayLike, X: FloatArray, name: str = "w") -> FloatArray:
    w = check_array(w, name)
    if w.shape != (X.shape[1],):
        raise ValueError(f"{name} must be a 1-D array of {X.shape[1]} weights (one per column of X), got shape {w.shape}")
    return w


def _check_tensor_weights(w: Any, X: FloatArray) -> Any:
    """The checks of :func:`_check_weights` for a TensorFlow tensor or variable, which stays a tensor for the tape.

    A float tensor is cast to float64 (``X``'s type, differentiably); in a traced function (no values
    yet) only the dtype and the shape can be checked.
    """
    tf = import_tensorflow_quietly()
    import keras

    if not (tf.is_tensor(w) or isinstance(w, (tf.Variable, keras.Variable))):
        return _check_weights(w, X)  # a number, list or numpy array: exactly as the numpy functions
    dtype = tf.as_dtype(w.dtype)
    if not dtype.is_floating:
        raise TypeError(f"w must be a float tensor of {X.shape[1]} weights (float64 like X), got a tensor of dtype {dtype.name}")
    shape = tf.TensorShape(w.shape)
    if not shape.is_compatible_with((X.shape[1],)):  # a traced shape may be unknown (None) yet
        raise ValueError(f"w must be a 1-D array of {X.shape[1]} weights (one per column of X), got shape {tuple(shape)}")
    if tf.executing_eagerly():
        check_array(tf.convert_to_tensor(w).numpy(), "w")  # finite values only
    return w if dtype == tf.float64 else keras.ops.cast(w, "float64")


# --- the loss and its gradient --------------------------------------------------------------


def add_bias_column(X: ArrayLike) -> FloatArray:
    """Prepend a column of ones to ``X``, so that ``w[0]`` plays the part of the bias (intercept).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data, finite.

    Returns
    -------
    ndarray of shape (n_samples, n_features + 1)
        ``X`` with a first column of ones.

    Raises
    ------
    TypeError
        If ``X`` is not numeric.
    ValueError
        If ``X`` is not 2-D or holds NaN or infinity.

    Examples
    --------
    >>> add_bias_column([[2.0, 3.0]]).tolist()
    [[1.0, 2.0, 3.0]]
    """
    X = check_array(X, "X", ndim=2, shape_hint=_SHAPE)
    return np.hstack([np.ones((X.shape[0], 1)), X])


def _loss(w: FloatArray, X: FloatArray, y: FloatArray) -> float:
    z = X @ w
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _gradient(w: FloatArray, X: FloatArray, y: FloatArray) -> FloatArray:
    return X.T @ (sigmoid(X @ w) - y) / X.shape[0]


def logistic_loss(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    """Mean binary cross-entropy of ``sigmoid(X w)`` against ``y``, in the overflow-free form.

    With the logit ``z = x.w``, ``-[y log s(z) + (1 - y) log(1 - s(z))] = log(1 + e^z) - y z``, and
    ``np.logaddexp(0, z)`` computes ``log(1 + e^z)`` without overflow for any ``z``.

    Parameters
    ----------
    w : array-like of shape (n_features,)
        The weights, finite.
    X : array-like of shape (n_samples, n_features)
        The data (add the bias column first if you want one), finite and not empty.
    y : array-like of shape (n_samples,)
        The labels, in [0, 1].

    Returns
    -------
    float
        The mean loss over the samples.

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If the shapes do not fit together, ``X`` is empty, a value is NaN or infinite, or a label
        is outside [0, 1].

    Examples
    --------
    >>> round(logistic_loss([0.0, 0.0], [[1.0, 2.0], [1.0, -1.0]], [1, 0]), 6)  # log 2 at w = 0
    0.693147
    >>> logistic_loss([1000.0], [[1.0]], [0])  # no overflow: the loss is just the logit
    1000.0
    """
    X, y = _check_data(X, y)
    return _loss(_check_weights(w, X), X, y)


def logistic_gradient(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> FloatArray:
    """Gradient of :func:`logistic_loss`: ``X^T (sigmoid(X w) - y) / n``.

    Parameters
    ----------
    w : array-like of shape (n_features,)
        The weights, finite.
    X : array-like of shape (n_samples, n_features)
        The data, finite and not empty.
    y : array-like of shape (n_samples,)
        The labels, in [0, 1].

    Returns
    -------
    ndarray of shape (n_features,)
        The gradient at ``w``.

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If the shapes do not fit together, ``X`` is empty, a value is NaN or infinite, or a label
        is outside [0, 1].

    Examples
    --------
    >>> logistic_gradient([0.0, 0.0], [[1.0, 2.0], [1.0, -1.0]], [1, 0]).tolist()
    [0.0, -0.75]
    """
    X, y = _check_data(X, y)
    return _gradient(_check_weights(w, X), X, y)


def logistic_hessian(w: ArrayLike, X: ArrayLike) -> FloatArray:
    """Hessian of :func:`logistic_loss`: ``X^T diag(s (1 - s)) X / n`` with ``s = sigmoid(X w)``.

    The labels drop out: the gradient is linear in ``y``. Every entry of ``s (1 - s)`` is at most
    1/4 (reached where ``x.w = 0``), so the largest eigenvalue is at most :func:`smoothness_constant`,
    with equality at ``w = 0``; where the model is confident, ``s (1 - s)`` is small and the loss
    curves less.

    Parameters
    ----------
    w : array-like of shape (n_features,)
        The weights, finite.
    X : array-like of shape (n_samples, n_features)
        The data, finite and not empty.

    Returns
    -------
    ndarray of shape (n_features, n_features)
        The symmetric positive semi-definite matrix of second derivatives at ``w``.

    Raises
    ------
    TypeError
        If an argument is not numeric.
    ValueError
        If the shapes do not fit together, ``X`` is empty or a value is NaN or infinite.

    Examples
    --------
    >>> logistic_hessian([0.0, 0.0], [[1.0, 2.0], [1.0, -2.0]]).tolist()  # s (1 - s) = 1/4 at w = 0
    [[0.25, 0.0], [0.0, 1.0]]
    """
    X = _check_X(X)
    w = _check_weights(w, X)
    s = sigmoid(X @ w)
    return X.T @ (X * (s * (1.0 - s))[:, None]) / X.shape[0]


def logistic_loss_keras(w: Any, X: ArrayLike, y: ArrayLike) -> Any:
    """The same loss built from Keras's own ``binary_crossentropy(from_logits=True)``, for ``tf.GradientTape``.

    Used to check the gradient written by hand against automatic differentiation through an
    independent implementation.

    Parameters
    ----------
    w : tensor or array-like of shape (n_features,)
        The weights, finite: a float TensorFlow tensor (or variable) the tape watches (cast to float64,
        like ``X``), or numbers as for :func:`logistic_loss`.
    X : array-like of shape (n_samples, n_features)
        The data, finite and not empty.
    y : array-like of shape (n_samples,)
        The labels, in [0, 1].

    Returns
    -------
    tensor
        The mean loss, a scalar tensor.

    Raises
    ------
    TypeError
        If an argument is not numeric, or ``w`` is a tensor of integers.
    ValueError
        If the shapes do not fit together, ``X`` is empty, a value is NaN or infinite, or a label
        is outside [0, 1] (as in :func:`logistic_loss`).

    Examples
    --------
    >>> from nbsupport.derivatives import tape_gradient
    >>> tape_gradient(lambda w: logistic_loss_keras(w, [[1.0, 2.0], [1.0, -1.0]], [1, 0]), [0.0, 0.0]).tolist()
    [0.0, -0.75]
    """
    import_tensorflow_quietly()
    import keras

    X, y = _check_data(X, y)
    w = _check_tensor_weights(w, X)
    logits = keras.ops.matmul(keras.ops.convert_to_tensor(X), w)
    return keras.ops.mean(keras.ops.binary_crossentropy(keras.ops.convert_to_tensor(y), logits, from_logits=True))


# --- the step size --------------------------------------------------------------------------


def smoothness_constant(X: ArrayLike) -> float:
    """``L = lambda_max(X^T X) / (4n)``: an upper bound on the curvature of :func:`logistic_loss`.

    The Hessian of the loss is ``X^T diag(s (1 - s)) X / n`` and ``s (1 - s) <= 1/4`` (the sigmoid's
    slope is at most 0.25), so no direction curves more than ``L``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data, finite, not empty and not all zeros.

    Returns
    -------
    float
        ``L``, a number > 0.

    Raises
    ------
    TypeError
        If ``X`` is not numeric.
    ValueError
        If ``X`` is not 2-D, is empty, holds NaN or infinity, is all zeros (then ``L = 0``: the loss
        does not depend on ``w``, and no step-size limit exists), or so large or so small that ``X^T X``
        overflows or underflows to 0.

    Examples
    --------
    >>> smoothness_constant([[2.0, 0.0], [0.0, 1.0]])  # lambda_max = 4, n = 2
    0.5
    """
    X = _check_X(X)
    with np.errstate(over="ignore", invalid="ignore"):
        gram = X.T @ X
    if not np.all(np.isfinite(gram)):
        raise ValueError("X is too large: X^T X overflows, so L cannot be computed; rescale the features")
    L = float(np.linalg.eigvalsh(gram)[-1] / (4 * X.shape[0]))
    if not L > 0 and np.any(X):
        raise ValueError("X is too small: X^T X underflows to 0, so L cannot be computed; rescale the features")
    if not L > 0:
        raise ValueError(
            f"X is all zeros (shape {X.shape}): L = 0, the loss does not depend on w, and no step-size limit exists"
        )
    return L


def safe_step(X: ArrayLike) -> float:
    """``1 / L`` with ``L`` from :func:`smoothness_constant`: the step with the largest guaranteed decrease.

    For a loss whose curvature is at most ``L``, one step from ``w`` with gradient ``g`` gives
    ``f(w - alpha g) <= f(w) - alpha (1 - alpha L / 2) ||g||^2``: every ``alpha < 2 / L`` lowers the
    loss (unless ``g = 0``), and ``alpha = 1 / L`` maximises the guaranteed decrease, ``||g||^2 / (2L)``.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data, finite, not empty and not all zeros.

    Returns
    -------
    float
        The step ``1 / L``.

    Raises
    ------
    TypeError
        If ``X`` is not numeric.
    ValueError
        As :func:`smoothness_constant`: ``X`` not 2-D, empty, not finite, or all zeros (no limit exists).

    Examples
    --------
    >>> safe_step([[2.0, 0.0], [0.0, 1.0]])
    2.0
    """
    return 1.0 / smoothness_constant(X)


# --- full-batch descent ---------------------------------------------------------------------


def logistic_descent(
    X: ArrayLike, y: ArrayLike, alpha: float, n_steps: int, w0: ArrayLike | None = None
) -> DescentRun:
    """Full-batch gradient descent on :func:`logistic_loss`, from ``w0`` (zeros by default).

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data (add the bias column first if you want one), finite and not empty.
    y : array-like of shape (n_samples,)
        The labels, in [0, 1].
    alpha : float
        The learning rate, a finite number > 0.
    n_steps : int
        The number of steps, from 0 to ``MAX_STEPS`` (1,000,000).
    w0 : array-like of shape (n_features,) or None, default=None
        The start, finite; zeros when None.

    Returns
    -------
    DescentRun
        The run of :func:`~nbsupport.descent.gradient_descent`.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If the data or ``w0`` are not allowed (as in :func:`logistic_loss`) or a number is out of range.

    Examples
    --------
    >>> run = logistic_descent([[1.0, 2.0], [1.0, -1.0]], [1, 0], alpha=1.0, n_steps=50)
    >>> bool(run.final_loss < 0.05), run.diverged
    (True, False)
    """
    X, y = _check_data(X, y)
    w0 = np.zeros(X.shape[1]) if w0 is None else _check_weights(w0, X, "w0")
    return gradient_descent(lambda w: _loss(w, X, y), lambda w: _gradient(w, X, y), w0, alpha, n_steps)


# --- epochs and mini-batches ----------------------------------------------------------------


@dataclass(frozen=True)
class SGDRun:
    """What :func:`minibatch_sgd` saw: the full-data loss after every update.

    Parameters
    ----------
    batch_size : int
        Samples per update.
    alpha : float
        The learning rate.
    updates_per_epoch : int
        ``ceil(n / batch_size)``.
    losses : ndarray of shape (n_updates + 1,)
        ``losses[0]`` is the loss at the start, ``losses[k]`` the loss on all samples after ``k`` updates.
    epochs : ndarray of shape (n_updates + 1,)
        ``epochs[k]`` is how many passes over the data ``k`` updates make.
    w : ndarray of shape (n_features,)
        The weights after the last update.

    Examples
    --------
    >>> run = minibatch_sgd([[1.0, 2.0], [1.0, -1.0]], [1, 0], alpha=0.5, batch_size=1, n_epochs=2)
    >>> run.n_updates, run.epochs.tolist()
    (4, [0.0, 0.5, 1.0, 1.5, 2.0])
    """

    batch_size: int
    alpha: float
    updates_per_epoch: int
    losses: FloatArray = field(repr=False)
    epochs: FloatArray = field(repr=False)
    w: FloatArray = field(repr=False)

    @property
    def n_updates(self) -> int:
        """The number of updates made."""
        return len(self.losses) - 1

    def loss_at_epoch(self, epoch: int) -> float:
        """The full-data loss at the end of epoch ``epoch`` (0 = the start).

        Parameters
        ----------
        epoch : int
            From 0 to the number of epochs run.

        Returns
        -------
        float
            The loss on all samples after ``epoch`` passes.

        Raises
        ------
        TypeError
            If ``epoch`` is not an int.
        ValueError
            If ``epoch`` is negative or beyond the last epoch.

        Examples
        --------
        >>> run = minibatch_sgd([[1.0], [-1.0]], [1, 0], alpha=0.5, batch_size=2, n_epochs=1)
        >>> round(run.loss_at_epoch(0), 6)
        0.693147
        """
        epoch = check_int(epoch, "epoch", 0)
        if epoch * self.updates_per_epoch > self.n_updates:
            raise ValueError(f"epoch must be at most {self.n_updates // self.updates_per_epoch}, got {epoch}")
        return float(self.losses[epoch * self.updates_per_epoch])


def minibatch_sgd(
    X: ArrayLike,
    y: ArrayLike,
    alpha: float,
    batch_size: int,
    n_epochs: int,
    *,
    w0: ArrayLike | None = None,
    seed: int = 0,
) -> SGDRun:
    """Mini-batch stochastic gradient descent on :func:`logistic_loss`, recording the full-data loss per update.

    Each epoch shuffles the samples (``numpy.random.default_rng(seed)``) and cuts them into batches of
    ``batch_size`` (the last one may be smaller): ``ceil(n / batch_size)`` updates per epoch, each
    ``w <- w - alpha * (gradient on the batch)``. ``batch_size = n`` is full-batch gradient descent,
    ``batch_size = 1`` single-sample SGD.

    Parameters
    ----------
    X : array-like of shape (n_samples, n_features)
        The data (add the bias column first if you want one), finite and not empty.
    y : array-like of shape (n_samples,)
        The labels, in [0, 1].
    alpha : float
        The learning rate, a finite number > 0.
    batch_size : int
        Samples per update, from 1 to ``n_samples``.
    n_epochs : int
        Passes over the data, >= 1, with at most ``MAX_STEPS`` (1,000,000) updates in all
        (``n_epochs * ceil(n_samples / batch_size)``: the loss after every update is recorded).
    w0 : array-like of shape (n_features,) or None, default=None
        The start, finite; zeros when None.
    seed : int, default=0
        Seed of the shuffling, in [0, 2**31 - 1].

    Returns
    -------
    SGDRun
        The full-data loss after every update, and the final weights.

    Raises
    ------
    TypeError
        If an argument has the wrong type.
    ValueError
        If the data or ``w0`` are not allowed (as in :func:`logistic_loss`), a number is out of range, or
        the run would make more than ``MAX_STEPS`` updates.

    Examples
    --------
    >>> run = minibatch_sgd([[1.0, 2.0], [1.0, -1.0], [1.0, 0.5]], [1, 0, 1], alpha=0.5, batch_size=2, n_epochs=3)
    >>> run.updates_per_epoch, run.n_updates, run.epochs[:3].tolist()
    (2, 6, [0.0, 0.5, 1.0])
    """
    X, y = _check_data(X, y)
    n = X.shape[0]
    alpha = check_scalar(alpha, "alpha", min_val=0.0, include_boundaries="neither")
    batch_size = check_int(batch_size, "batch_size", 1)
    if batch_size > n:
        raise ValueError(f"batch_size must be between 1 and the number of samples {n}, got {batch_size}")
    n_epochs = check_int(n_epochs, "n_epochs", 1, MAX_STEPS)
    updates_per_epoch = -(-n // batch_size)
    if n_epochs * updates_per_epoch > MAX_STEPS:
        raise ValueError(
            f"n_epochs={n_epochs} with {updates_per_epoch} updates per epoch (batch_size={batch_size}, {n} samples) "
            f"makes {n_epochs * updates_per_epoch:,} updates; at most {MAX_STEPS:,} are allowed: lower n_epochs "
            f"or raise batch_size"
        )
    seed = check_seed(seed)
    w = np.zeros(X.shape[1]) if w0 is None else _check_weights(w0, X, "w0").copy()

    rng = np.random.default_rng(seed)
    losses = [_loss(w, X, y)]
    for _ in range(n_epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            w = w - alpha * _gradient(w, X[batch], y[batch])
            losses.append(_loss(w, X, y))
    epochs = np.arange(len(losses)) / updates_per_epoch
    return SGDRun(batch_size, alpha, updates_per_epoch, np.array(losses), epochs, w)
