"""Gradient descent written out in numpy: the update ``w <- w - alpha * grad``, and the problems it runs on.

- :func:`gradient_descent`: the loop itself; it records every iterate and the loss after every step,
  and stops (flagging ``diverged``) as soon as the loss is no longer finite or exceeds a cap, so a
  too-large learning rate never fills a notebook with overflow warnings.
- :class:`QuadraticBowl`: ``f(w) = 1/2 w^T H w`` in one or two dimensions, where everything about the
  learning rate can be worked out in closed form.
- logistic regression by hand: :func:`logistic_loss` (stable, via ``logaddexp``),
  :func:`logistic_gradient` (``X^T (sigmoid(Xw) - y) / n``), :func:`smoothness_constant` and
  :func:`safe_step` (``1/L`` with ``L = lambda_max(X^T X) / (4n)``).
- :func:`minibatch_sgd`: the same loop on shuffled mini-batches, epoch by epoch.

>>> bowl = QuadraticBowl([2.0])
>>> run = gradient_descent(bowl.loss, bowl.grad, [1.0], alpha=0.25, n_steps=3)
>>> run.path[:, 0].tolist()
[1.0, 0.5, 0.25, 0.125]
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np
from numpy.typing import ArrayLike

from nbsupport._validation import check_callable as _check_callable
from nbsupport._validation import check_int as _check_count
from nbsupport._validation import check_positive as _check_positive
from nbsupport.activations import FloatArray, as_float_array, sigmoid

__all__ = [
    "DescentRun",
    "gradient_descent",
    "QuadraticBowl",
    "REGIMES",
    "step_regime",
    "measured_regime",
    "add_bias_column",
    "logistic_loss",
    "logistic_gradient",
    "logistic_loss_keras",
    "smoothness_constant",
    "safe_step",
    "logistic_descent",
    "SGDRun",
    "minibatch_sgd",
]

REGIMES = ("smooth", "oscillating", "diverging")


# --- argument checks ------------------------------------------------------------------------


def _check_vector(w: Any, name: str) -> FloatArray:
    w = np.atleast_1d(as_float_array(w, name)).copy()
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"{name} must be a number or a non-empty 1-D array of parameters, got shape {w.shape}")
    if not np.all(np.isfinite(w)):
        raise ValueError(f"{name} must contain finite numbers only, got {w.tolist()}")
    return w


# --- the loop -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DescentRun:
    """What :func:`gradient_descent` saw: every iterate, the loss at each, and whether it diverged.

    ``path[k]`` is the parameter vector after ``k`` steps (``path[0]`` is the start) and
    ``losses[k]`` its loss. A diverged run stops early: it holds the steps taken before the loss left
    the finite range (or passed the cap), so ``n_steps`` may be smaller than asked for.
    """

    alpha: float
    path: FloatArray = field(repr=False)
    losses: FloatArray = field(repr=False)
    diverged: bool = False

    @property
    def w(self) -> FloatArray:
        """The last iterate."""
        return self.path[-1]

    @property
    def n_steps(self) -> int:
        """The number of steps taken (fewer than asked for when the run diverged)."""
        return len(self.losses) - 1

    @property
    def final_loss(self) -> float:
        """The loss at the last iterate."""
        return float(self.losses[-1])


def gradient_descent(
    loss: Callable[[FloatArray], float],
    grad: Callable[[FloatArray], ArrayLike],
    w0: ArrayLike,
    alpha: float,
    n_steps: int,
    *,
    max_loss: float = 1e10,
) -> DescentRun:
    """Run ``w <- w - alpha * grad(w)`` for ``n_steps`` steps, recording the path and the loss per step.

    The run stops early, with ``diverged=True``, at the first step whose loss is not finite or exceeds
    ``max_loss``; that step is not recorded. Overflow inside ``loss`` or ``grad`` is caught that way
    instead of reaching the output as a warning.

    Parameters
    ----------
    loss : a function of a 1-D float array returning a number.
    grad : a function of a 1-D float array returning its gradient, an array of the same shape.
    w0 : the start, a number or a 1-D array.
    alpha : the learning rate (step size), a finite number > 0.
    n_steps : the number of steps, an int >= 0.
    max_loss : the cap above which the run counts as diverged, a finite number > 0.

    Examples
    --------
    >>> bowl = QuadraticBowl([4.0])
    >>> run = gradient_descent(bowl.loss, bowl.grad, 1.0, alpha=1.0, n_steps=100)
    >>> run.diverged, run.n_steps, run.path[:4, 0].tolist()
    (True, 10, [1.0, -3.0, 9.0, -27.0])
    """
    _check_callable(loss, "loss")
    _check_callable(grad, "grad")
    w = _check_vector(w0, "w0")
    alpha = _check_positive(alpha, "alpha")
    n_steps = _check_count(n_steps, "n_steps", 0)
    max_loss = _check_positive(max_loss, "max_loss")

    def evaluate(v: FloatArray) -> float:
        value = loss(v)
        if np.ndim(value) != 0:
            raise ValueError(f"loss must return a single number, got shape {np.shape(value)}")
        return float(value)

    with np.errstate(over="ignore", invalid="ignore"):
        f = evaluate(w)
        if not (math.isfinite(f) and f <= max_loss):
            raise ValueError(f"the loss at w0 must be finite and <= max_loss={max_loss:g}, got {f!r}")
        path, losses, diverged = [w.copy()], [f], False
        for _ in range(n_steps):
            g = as_float_array(grad(w), "grad(w)")
            if g.shape != w.shape:
                raise ValueError(f"grad must return an array of the parameters' shape {w.shape}, got shape {g.shape}")
            w = w - alpha * g
            f = evaluate(w) if np.all(np.isfinite(w)) else math.inf
            if not (math.isfinite(f) and f <= max_loss):
                diverged = True
                break
            path.append(w.copy())
            losses.append(f)
    return DescentRun(alpha, np.array(path), np.array(losses), diverged)


# --- quadratic bowls ------------------------------------------------------------------------


@dataclass(frozen=True)
class QuadraticBowl:
    """The quadratic ``f(w) = 1/2 w^T H w`` with curvatures (eigenvalues of ``H``) and, in 2-D, a rotation.

    Its minimum is ``w = 0``. In 1-D with curvature ``a`` this is ``f(w) = a/2 w^2``, and gradient
    descent multiplies ``w`` by ``1 - alpha * a`` at every step.

    Parameters
    ----------
    curvatures : one or two numbers > 0, the eigenvalues of ``H``.
    angle : rotation of the eigenvectors in degrees (2-D only; 0 puts the first curvature along w1).

    Examples
    --------
    >>> bowl = QuadraticBowl([1.0, 10.0])
    >>> bowl.loss([1.0, 1.0]), bowl.grad([1.0, 1.0]).tolist(), bowl.max_stable_step
    (5.5, [1.0, 10.0], 0.2)
    """

    curvatures: tuple[float, ...]
    angle: float = 0.0

    def __post_init__(self) -> None:
        values = self.curvatures
        if isinstance(values, (str, bytes)) or not isinstance(values, (Sequence, np.ndarray)):
            raise TypeError(f"curvatures must be a list of one or two numbers > 0, got {type(values).__name__} {values!r}")
        if len(values) not in (1, 2):
            raise ValueError(f"curvatures must hold one or two numbers (a 1-D or 2-D bowl), got {len(values)}")
        object.__setattr__(self, "curvatures", tuple(_check_positive(c, "curvatures") for c in values))
        if isinstance(self.angle, bool) or not isinstance(self.angle, numbers.Real) or not math.isfinite(self.angle):
            raise TypeError(f"angle must be a finite number of degrees, got {type(self.angle).__name__} {self.angle!r}")
        if len(values) == 1 and self.angle != 0:
            raise ValueError(f"angle only applies to a 2-D bowl, got angle={self.angle!r} with one curvature")

    @property
    def dim(self) -> int:
        """The number of parameters, 1 or 2."""
        return len(self.curvatures)

    @property
    def hessian(self) -> FloatArray:
        """The matrix ``H = R diag(curvatures) R^T``."""
        if self.dim == 1:
            return np.array([[self.curvatures[0]]])
        t = math.radians(self.angle)
        rotation = np.array([[math.cos(t), -math.sin(t)], [math.sin(t), math.cos(t)]])
        return rotation @ np.diag(self.curvatures) @ rotation.T

    @property
    def max_stable_step(self) -> float:
        """``2 / lambda_max``: gradient descent converges for every step size below it, and only those."""
        return 2.0 / max(self.curvatures)

    @property
    def best_step(self) -> float:
        """``2 / (lambda_min + lambda_max)``: the constant step with the fastest worst-case convergence."""
        return 2.0 / (min(self.curvatures) + max(self.curvatures))

    def _point(self, w: ArrayLike) -> FloatArray:
        w = np.atleast_1d(as_float_array(w, "w"))
        if w.shape != (self.dim,):
            raise ValueError(f"w must have {self.dim} coordinate(s) for this bowl, got shape {w.shape}")
        return w

    def loss(self, w: ArrayLike) -> float:
        """``1/2 w^T H w``.

        >>> QuadraticBowl([3.0]).loss(2.0)
        6.0
        """
        w = self._point(w)
        return float(0.5 * w @ self.hessian @ w)

    def grad(self, w: ArrayLike) -> FloatArray:
        """``H w``.

        >>> QuadraticBowl([3.0]).grad(2.0).tolist()
        [6.0]
        """
        return self.hessian @ self._point(w)

    def iterate(self, w0: ArrayLike, alpha: float, k: int) -> FloatArray:
        """The closed form of ``k`` steps of gradient descent: ``(I - alpha H)^k w0``.

        >>> QuadraticBowl([2.0]).iterate(1.0, alpha=0.75, k=3).tolist()
        [-0.125]
        """
        alpha = _check_positive(alpha, "alpha")
        k = _check_count(k, "k", 0)
        step = np.eye(self.dim) - alpha * self.hessian
        return np.linalg.matrix_power(step, k) @ self._point(w0)


def step_regime(alpha: float, curvature: float) -> str:
    """What theory predicts for gradient descent on ``a/2 w^2``: ``"smooth"``, ``"oscillating"`` or ``"diverging"``.

    Each step multiplies ``w`` by ``r = 1 - alpha * a``: for ``alpha <= 1/a`` (``0 <= r < 1``) ``w``
    shrinks without changing sign; for ``1/a < alpha <= 2/a`` (``-1 <= r < 0``) it flips sign every step
    (and still shrinks, except exactly at ``2/a`` where it bounces for ever); above ``2/a`` (``r < -1``)
    it grows.

    Examples
    --------
    >>> [step_regime(alpha, curvature=2.0) for alpha in (0.2, 0.8, 1.1)]
    ['smooth', 'oscillating', 'diverging']
    """
    alpha = _check_positive(alpha, "alpha")
    r = 1.0 - alpha * _check_positive(curvature, "curvature")
    if r >= 0:
        return "smooth"
    return "oscillating" if r >= -1 else "diverging"


def measured_regime(run: DescentRun, minimum: float = 0.0) -> str:
    """Classify a 1-D run from its path alone: ``"diverging"``, ``"oscillating"`` or ``"smooth"``.

    Diverging: the run was stopped, or it ends farther from ``minimum`` than it started. Oscillating:
    it crosses ``minimum`` at some step. Smooth: neither.

    Examples
    --------
    >>> bowl = QuadraticBowl([2.0])
    >>> measured_regime(gradient_descent(bowl.loss, bowl.grad, 1.0, alpha=0.8, n_steps=10))
    'oscillating'
    """
    if not isinstance(run, DescentRun):
        raise TypeError(f"run must be a DescentRun from gradient_descent, got {type(run).__name__}")
    if run.path.shape[1] != 1:
        raise ValueError(f"measured_regime reads 1-D runs only, got a path with {run.path.shape[1]} coordinates")
    offset = run.path[:, 0] - float(minimum)
    if run.diverged or abs(offset[-1]) > abs(offset[0]):
        return "diverging"
    if np.any(offset[:-1] * offset[1:] < 0):
        return "oscillating"
    return "smooth"


# --- logistic regression by hand ------------------------------------------------------------


def add_bias_column(X: ArrayLike) -> FloatArray:
    """Prepend a column of ones to ``X``, so that ``w[0]`` plays the part of the bias (intercept).

    >>> add_bias_column([[2.0, 3.0]]).tolist()
    [[1.0, 2.0, 3.0]]
    """
    X = as_float_array(X, "X")
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (samples x features), got shape {X.shape}")
    return np.hstack([np.ones((X.shape[0], 1)), X])


def _check_data(X: ArrayLike, y: ArrayLike) -> tuple[FloatArray, FloatArray]:
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a 2-D array with at least one sample (samples x features), got shape {X.shape}")
    y = as_float_array(y, "y")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must be a 1-D array of {X.shape[0]} labels (one per row of X), got shape {y.shape}")
    if not np.all((y >= 0) & (y <= 1)):
        raise ValueError("y must hold labels in [0, 1] (0 = benign, 1 = malignant)")
    return X, y


def _check_weights(w: ArrayLike, X: FloatArray) -> FloatArray:
    w = as_float_array(w, "w")
    if w.shape != (X.shape[1],):
        raise ValueError(f"w must be a 1-D array of {X.shape[1]} weights (one per column of X), got shape {w.shape}")
    return w


def logistic_loss(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> float:
    """Mean binary cross-entropy of ``sigmoid(X w)`` against ``y``, in the overflow-free form.

    With the logit ``z = x.w``, ``-[y log s(z) + (1 - y) log(1 - s(z))] = log(1 + e^z) - y z``, and
    ``np.logaddexp(0, z)`` computes ``log(1 + e^z)`` without overflow for any ``z``.

    Examples
    --------
    >>> round(logistic_loss([0.0, 0.0], [[1.0, 2.0], [1.0, -1.0]], [1, 0]), 6)  # log 2 at w = 0
    0.693147
    >>> logistic_loss([1000.0], [[1.0]], [0])  # no overflow: the loss is just the logit
    1000.0
    """
    X, y = _check_data(X, y)
    return _loss(_check_weights(w, X), X, y)


def _loss(w: FloatArray, X: FloatArray, y: FloatArray) -> float:
    z = X @ w
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


def _gradient(w: FloatArray, X: FloatArray, y: FloatArray) -> FloatArray:
    return X.T @ (sigmoid(X @ w) - y) / X.shape[0]


def logistic_gradient(w: ArrayLike, X: ArrayLike, y: ArrayLike) -> FloatArray:
    """Gradient of :func:`logistic_loss`: ``X^T (sigmoid(X w) - y) / n``.

    Examples
    --------
    >>> logistic_gradient([0.0, 0.0], [[1.0, 2.0], [1.0, -1.0]], [1, 0]).tolist()
    [0.0, -0.75]
    """
    X, y = _check_data(X, y)
    return _gradient(_check_weights(w, X), X, y)


def logistic_loss_keras(w: Any, X: ArrayLike, y: ArrayLike) -> Any:
    """The same loss built from Keras's own ``binary_crossentropy(from_logits=True)``, for ``tf.GradientTape``.

    ``w`` is a TensorFlow tensor (float64); the result is a scalar tensor. Used to check the gradient
    written by hand against automatic differentiation through an independent implementation.

    Examples
    --------
    >>> from nbsupport.gradients import tape_gradient
    >>> tape_gradient(lambda w: logistic_loss_keras(w, [[1.0, 2.0], [1.0, -1.0]], [1, 0]), [0.0, 0.0]).tolist()
    [0.0, -0.75]
    """
    import keras

    X, y = _check_data(X, y)
    logits = keras.ops.matmul(keras.ops.convert_to_tensor(X), w)
    return keras.ops.mean(keras.ops.binary_crossentropy(keras.ops.convert_to_tensor(y), logits, from_logits=True))


def smoothness_constant(X: ArrayLike) -> float:
    """``L = lambda_max(X^T X) / (4n)``: an upper bound on the curvature of :func:`logistic_loss`.

    The Hessian of the loss is ``X^T diag(s (1 - s)) X / n`` and ``s (1 - s) <= 1/4`` (the sigmoid's
    slope is at most 0.25), so no direction curves more than ``L``.

    Examples
    --------
    >>> smoothness_constant([[2.0, 0.0], [0.0, 1.0]])  # lambda_max = 4, n = 2
    0.5
    """
    X = as_float_array(X, "X")
    if X.ndim != 2 or X.shape[0] == 0:
        raise ValueError(f"X must be a 2-D array with at least one sample (samples x features), got shape {X.shape}")
    return float(np.linalg.eigvalsh(X.T @ X)[-1] / (4 * X.shape[0]))


def safe_step(X: ArrayLike) -> float:
    """``1 / L`` with ``L`` from :func:`smoothness_constant`: with this step every iteration lowers the loss.

    Examples
    --------
    >>> safe_step([[2.0, 0.0], [0.0, 1.0]])
    2.0
    """
    return 1.0 / smoothness_constant(X)


def logistic_descent(
    X: ArrayLike, y: ArrayLike, alpha: float, n_steps: int, w0: ArrayLike | None = None
) -> DescentRun:
    """Full-batch gradient descent on :func:`logistic_loss`, from ``w0`` (zeros by default).

    Examples
    --------
    >>> run = logistic_descent([[1.0, 2.0], [1.0, -1.0]], [1, 0], alpha=1.0, n_steps=50)
    >>> bool(run.final_loss < 0.05), run.diverged
    (True, False)
    """
    X, y = _check_data(X, y)
    w0 = np.zeros(X.shape[1]) if w0 is None else _check_weights(w0, X)
    return gradient_descent(lambda w: _loss(w, X, y), lambda w: _gradient(w, X, y), w0, alpha, n_steps)


# --- epochs and mini-batches ----------------------------------------------------------------


@dataclass(frozen=True)
class SGDRun:
    """What :func:`minibatch_sgd` saw: the full-data loss after every update.

    ``losses[0]`` is the loss at the start; ``losses[k]`` after ``k`` updates, and ``epochs[k]`` how
    many passes over the data those ``k`` updates make.
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
        """The full-data loss at the end of epoch ``epoch`` (0 = the start)."""
        epoch = _check_count(epoch, "epoch", 0)
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
    X, y : the data (add the bias column first if you want one) and labels in [0, 1].
    alpha : the learning rate, a finite number > 0.
    batch_size : samples per update, from 1 to ``n``.
    n_epochs : passes over the data, an int >= 1.
    w0 : the start (zeros by default).
    seed : seed of the shuffling, a non-negative int.

    Examples
    --------
    >>> run = minibatch_sgd([[1.0, 2.0], [1.0, -1.0], [1.0, 0.5]], [1, 0, 1], alpha=0.5, batch_size=2, n_epochs=3)
    >>> run.updates_per_epoch, run.n_updates, run.epochs[:3].tolist()
    (2, 6, [0.0, 0.5, 1.0])
    """
    X, y = _check_data(X, y)
    n = X.shape[0]
    alpha = _check_positive(alpha, "alpha")
    batch_size = _check_count(batch_size, "batch_size", 1)
    if batch_size > n:
        raise ValueError(f"batch_size must be between 1 and the number of samples {n}, got {batch_size}")
    n_epochs = _check_count(n_epochs, "n_epochs", 1)
    seed = _check_count(seed, "seed", 0)
    w = np.zeros(X.shape[1]) if w0 is None else _check_weights(w0, X).copy()

    rng = np.random.default_rng(seed)
    updates_per_epoch = -(-n // batch_size)
    losses = [_loss(w, X, y)]
    for _ in range(n_epochs):
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            batch = order[start : start + batch_size]
            w = w - alpha * _gradient(w, X[batch], y[batch])
            losses.append(_loss(w, X, y))
    epochs = np.arange(len(losses)) / updates_per_epoch
    return SGDRun(batch_size, alpha, updates_per_epoch, np.array(losses), epochs, w)
