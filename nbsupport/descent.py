"""Gradient descent written out in numpy, and the quadratic bowls on which it can be worked out by hand.

:func:`gradient_descent` is the loop ``w <- w - alpha * grad(w)``; it records every iterate and stops
a diverging run before it overflows. :class:`QuadraticBowl` is ``f(w) = 1/2 w^T H w`` in one or two
dimensions, and :func:`step_regime` / :func:`measured_regime` name the three learning-rate regimes
(``REGIMES``) from theory and from a run's path.

>>> bowl = QuadraticBowl([2.0])
>>> run = gradient_descent(bowl.loss, bowl.grad, [1.0], alpha=0.25, n_steps=3)
>>> run.path[:, 0].tolist()
[1.0, 0.5, 0.25, 0.125]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike

from nbsupport._validation import (
    FloatArray,
    as_float_array,
    check_array,
    check_callable,
    check_int,
    check_scalar,
    check_sequence,
)

__all__ = [
    "DescentRun",
    "MAX_STEPS",
    "gradient_descent",
    "QuadraticBowl",
    "REGIMES",
    "step_regime",
    "measured_regime",
]

REGIMES = ("smooth", "oscillating", "diverging")

# The most steps (or mini-batch updates) one run may take. Every step is kept (the path, the losses),
# so a learner's 10**9 would run for hours and exhaust memory; the course's longest run takes 10,000.
MAX_STEPS = 1_000_000


def _check_positive(x: Any, name: str) -> float:
    return check_scalar(x, name, min_val=0.0, include_boundaries="neither")


def _check_vector(w: Any, name: str) -> FloatArray:
    w = np.atleast_1d(check_array(w, name)).copy()
    if w.ndim != 1 or w.size == 0:
        raise ValueError(f"{name} must be a number or a non-empty 1-D array of parameters, got shape {w.shape}")
    return w


# --- the loop -------------------------------------------------------------------------------


@dataclass(frozen=True)
class DescentRun:
    """What :func:`gradient_descent` saw: every iterate, the loss at each, and whether it diverged.

    A diverged run stops early: it holds the steps taken before the loss left the finite range (or
    passed the cap), so ``n_steps`` may be smaller than asked for.

    Parameters
    ----------
    alpha : float
        The learning rate of the run.
    path : ndarray of shape (n_steps + 1, n_parameters)
        ``path[k]`` is the parameter vector after ``k`` steps; ``path[0]`` is the start.
    losses : ndarray of shape (n_steps + 1,)
        ``losses[k]`` is the loss at ``path[k]``.
    diverged : bool, default=False
        Whether the run was stopped because the loss was no longer finite or passed the cap.

    Examples
    --------
    >>> run = gradient_descent(lambda w: float(w @ w), lambda w: 2 * w, [1.0], alpha=0.25, n_steps=2)
    >>> run.n_steps, run.w.tolist(), run.final_loss
    (2, [0.25], 0.0625)
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
    loss : callable
        A function of a 1-D float array returning a number.
    grad : callable
        A function of a 1-D float array returning its gradient, an array of the same shape.
    w0 : float or array-like of shape (n_parameters,)
        The start, finite.
    alpha : float
        The learning rate (step size), a finite number > 0.
    n_steps : int
        The number of steps, from 0 to ``MAX_STEPS`` (1,000,000: every step is recorded).
    max_loss : float, default=1e10
        The cap above which the run counts as diverged, a finite number > 0.

    Returns
    -------
    DescentRun
        The iterates, their losses and whether the run diverged.

    Raises
    ------
    TypeError
        If ``loss`` or ``grad`` cannot be called, or an argument has the wrong type.
    ValueError
        If ``w0`` is empty, not 1-D or not finite, a number is out of range (``n_steps`` above
        ``MAX_STEPS`` among them), the loss at ``w0`` is not finite or above ``max_loss``, ``loss`` does not
        return one number or ``grad`` returns the wrong shape.

    Examples
    --------
    >>> bowl = QuadraticBowl([4.0])
    >>> run = gradient_descent(bowl.loss, bowl.grad, 1.0, alpha=1.0, n_steps=100)
    >>> run.diverged, run.n_steps, run.path[:4, 0].tolist()
    (True, 10, [1.0, -3.0, 9.0, -27.0])
    """
    check_callable(loss, "loss")
    check_callable(grad, "grad")
    w = _check_vector(w0, "w0")
    alpha = _check_positive(alpha, "alpha")
    n_steps = check_int(n_steps, "n_steps", 0, MAX_STEPS)
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
    curvatures : sequence of float
        One or two finite numbers > 0, the eigenvalues of ``H``.
    angle : float, default=0.0
        Rotation of the eigenvectors in degrees (2-D only; 0 puts the first curvature along w1).

    Raises
    ------
    TypeError
        If ``curvatures`` is not a list of numbers or ``angle`` is not a number.
    ValueError
        If there are not one or two curvatures, one is not a finite number > 0, ``angle`` is not
        finite, or a 1-D bowl is given an angle.

    Examples
    --------
    >>> bowl = QuadraticBowl([1.0, 10.0])
    >>> bowl.loss([1.0, 1.0]), bowl.grad([1.0, 1.0]).tolist(), bowl.max_stable_step
    (5.5, [1.0, 10.0], 0.2)
    """

    curvatures: tuple[float, ...]
    angle: float = 0.0

    def __post_init__(self) -> None:
        values = check_sequence(self.curvatures, "curvatures", what="curvatures (one or two numbers > 0)")
        if len(values) > 2:
            raise ValueError(f"curvatures must hold one or two numbers (a 1-D or 2-D bowl), got {len(values)}")
        curvatures = tuple(_check_positive(c, f"curvatures[{i}]") for i, c in enumerate(values))
        object.__setattr__(self, "curvatures", curvatures)
        angle = check_scalar(self.angle, "angle")
        if len(curvatures) == 1 and angle != 0:
            raise ValueError(f"angle only applies to a 2-D bowl, got angle={angle!r} with one curvature")
        object.__setattr__(self, "angle", angle)

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

    def _point(self, w: ArrayLike, name: str = "w") -> FloatArray:
        w = np.atleast_1d(check_array(w, name))
        if w.shape != (self.dim,):
            raise ValueError(f"{name} must have {self.dim} coordinate(s) for this bowl, got shape {w.shape}")
        return w

    def loss(self, w: ArrayLike) -> float:
        """``1/2 w^T H w``.

        Parameters
        ----------
        w : float or array-like of shape (dim,)
            The point, finite.

        Returns
        -------
        float
            The loss at ``w``.

        Examples
        --------
        >>> QuadraticBowl([3.0]).loss(2.0)
        6.0
        """
        w = self._point(w)
        return float(0.5 * w @ self.hessian @ w)

    def grad(self, w: ArrayLike) -> FloatArray:
        """``H w``.

        Parameters
        ----------
        w : float or array-like of shape (dim,)
            The point, finite.

        Returns
        -------
        ndarray of shape (dim,)
            The gradient at ``w``.

        Examples
        --------
        >>> QuadraticBowl([3.0]).grad(2.0).tolist()
        [6.0]
        """
        return self.hessian @ self._point(w)

    def iterate(self, w0: ArrayLike, alpha: float, k: int) -> FloatArray:
        """The closed form of ``k`` steps of gradient descent: ``(I - alpha H)^k w0``.

        Parameters
        ----------
        w0 : float or array-like of shape (dim,)
            The start, finite.
        alpha : float
            The learning rate, a finite number > 0.
        k : int
            The number of steps, >= 0.

        Returns
        -------
        ndarray of shape (dim,)
            The iterate after ``k`` steps.

        Examples
        --------
        >>> QuadraticBowl([2.0]).iterate(1.0, alpha=0.75, k=3).tolist()
        [-0.125]
        """
        alpha = _check_positive(alpha, "alpha")
        k = check_int(k, "k", 0)
        step = np.eye(self.dim) - alpha * self.hessian
        return np.linalg.matrix_power(step, k) @ self._point(w0, "w0")


# --- the three regimes ----------------------------------------------------------------------


def step_regime(alpha: float, curvature: float) -> str:
    """What theory predicts for gradient descent on ``a/2 w^2``: ``"smooth"``, ``"oscillating"`` or ``"diverging"``.

    Each step multiplies ``w`` by ``r = 1 - alpha * a``: for ``alpha <= 1/a`` (``0 <= r < 1``) ``w``
    shrinks without changing sign; for ``1/a < alpha <= 2/a`` (``-1 <= r < 0``) it flips sign every step
    (and still shrinks, except exactly at ``2/a`` where it bounces for ever); above ``2/a`` (``r < -1``)
    it grows.

    Parameters
    ----------
    alpha : float
        The learning rate, a finite number > 0.
    curvature : float
        The curvature ``a``, a finite number > 0.

    Returns
    -------
    str
        One of ``REGIMES``.

    Raises
    ------
    TypeError
        If an argument is not a number.
    ValueError
        If an argument is not a finite number > 0.

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

    Parameters
    ----------
    run : DescentRun
        A run of :func:`gradient_descent` with one parameter.
    minimum : float, default=0.0
        Where the loss is lowest, a finite number.

    Returns
    -------
    str
        One of ``REGIMES``.

    Raises
    ------
    TypeError
        If ``run`` is not a :class:`DescentRun` or ``minimum`` is not a number.
    ValueError
        If the run has more than one parameter or ``minimum`` is not finite.

    Examples
    --------
    >>> bowl = QuadraticBowl([2.0])
    >>> measured_regime(gradient_descent(bowl.loss, bowl.grad, 1.0, alpha=0.8, n_steps=10))
    'oscillating'
    """
    if not isinstance(run, DescentRun):
        raise TypeError(f"run must be a DescentRun from gradient_descent, got {type(run).__name__}")
    minimum = check_scalar(minimum, "minimum")
    if run.path.shape[1] != 1:
        raise ValueError(f"measured_regime reads 1-D runs only, got a path with {run.path.shape[1]} coordinates")
    offset = run.path[:, 0] - minimum
    if run.diverged or abs(offset[-1]) > abs(offset[0]):
        return "diverging"
    if np.any(offset[:-1] * offset[1:] < 0):
        return "oscillating"
    return "smooth"
