"""Derivatives two independent ways: by finite differences (numpy) and by automatic differentiation (TensorFlow).

The closed forms live beside the functions themselves (:mod:`nbsupport.activations`); these helpers
give the two independent numbers to check a closed form against.

>>> import numpy as np
>>> round(float(finite_difference(np.sin, 0.0)), 9)
1.0
"""

from __future__ import annotations

from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from nbsupport._validation import FloatArray, as_float_array, check_array, check_callable, check_scalar

__all__ = ["finite_difference", "numerical_gradient", "tape_gradient"]


def _check_step(h: object) -> float:
    return check_scalar(h, "h", min_val=0.0, max_val=1.0, include_boundaries="neither")


def finite_difference(f: Callable[[FloatArray], ArrayLike], x: ArrayLike, h: float = 1e-6) -> FloatArray:
    """Central difference ``(f(x + h) - f(x - h)) / (2h)`` of an elementwise function, at every point of ``x``.

    The error shrinks like ``h**2`` until round-off (about ``1e-16 / h``) takes over; ``h = 1e-6``
    balances the two for functions of order 1.

    Parameters
    ----------
    f : callable
        An elementwise function of a float array (an activation, ``np.sin``, ...): it must return an
        array of the shape it was given.
    x : array-like
        The points, any shape, finite.
    h : float, default=1e-6
        The step, in (0, 1).

    Returns
    -------
    ndarray
        The estimated derivative at every point, shaped like ``x``.

    Raises
    ------
    TypeError
        If ``f`` cannot be called or ``x`` is not numeric.
    ValueError
        If ``h`` is out of range, ``x`` is not finite, or ``f`` changes the shape.

    Examples
    --------
    >>> finite_difference(lambda x: x**2, [1.0, 3.0]).round(6).tolist()
    [2.0, 6.0]
    """
    check_callable(f, "f")
    h = _check_step(h)
    x = check_array(x, "x")
    up, down = as_float_array(f(x + h), "f(x + h)"), as_float_array(f(x - h), "f(x - h)")
    if up.shape != x.shape or down.shape != x.shape:
        raise ValueError(
            f"f must be elementwise and return an array of the shape it is given {x.shape}, got shape {up.shape}"
        )
    return (up - down) / (2.0 * h)


def numerical_gradient(loss: Callable[[FloatArray], float], w: ArrayLike, h: float = 1e-6) -> FloatArray:
    """Gradient of a scalar function of a vector by central differences, one coordinate at a time.

    Parameters
    ----------
    loss : callable
        A function of a 1-D float array that returns a number.
    w : array-like
        The point: a non-empty 1-D array of n finite parameters (costs 2n calls of ``loss``).
    h : float, default=1e-6
        The step, in (0, 1).

    Returns
    -------
    ndarray
        The estimated gradient, shaped like ``w``.

    Raises
    ------
    TypeError
        If ``loss`` cannot be called or ``w`` is not numeric.
    ValueError
        If ``w`` is not a finite 1-D array, ``h`` is out of range, or ``loss`` returns more than one number.

    Examples
    --------
    >>> numerical_gradient(lambda w: w[0] ** 2 + 3 * w[1], [1.0, 5.0]).round(6).tolist()
    [2.0, 3.0]
    """
    check_callable(loss, "loss")
    h = _check_step(h)
    w = check_array(w, "w", ndim=1, min_rows=1, shape_hint="of parameters")
    grad = np.empty_like(w)
    for i in range(w.size):
        step = np.zeros_like(w)
        step[i] = h
        up, down = loss(w + step), loss(w - step)
        if np.ndim(up) != 0:
            raise ValueError(f"loss must return a single number, got shape {np.shape(up)}")
        grad[i] = (float(up) - float(down)) / (2.0 * h)
    return grad


def tape_gradient(fn: Callable, x: ArrayLike) -> FloatArray:
    """Gradient of ``sum(fn(x))`` with respect to ``x`` by ``tf.GradientTape``, in float64.

    For an elementwise ``fn`` (an activation) this is the derivative at every point of ``x``; for a
    scalar loss it is the gradient vector.

    Parameters
    ----------
    fn : callable
        A function of a ``tf.Tensor`` built from TensorFlow or ``keras.ops`` operations (numpy
        functions leave the tape, which then cannot follow them).
    x : array-like
        The point(s), any shape, finite.

    Returns
    -------
    ndarray
        The gradient, shaped like ``x``.

    Raises
    ------
    TypeError
        If ``fn`` cannot be called or does not return a TensorFlow tensor (a numpy function).
    ValueError
        If ``x`` is not finite, or the output does not depend on ``x`` (a constant).

    Examples
    --------
    >>> import keras
    >>> tape_gradient(keras.activations.sigmoid, [0.0]).tolist()
    [0.25]
    """
    import tensorflow as tf

    check_callable(fn, "fn")
    x = tf.constant(check_array(x, "x"))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    if not tf.is_tensor(y):
        raise TypeError(
            f"fn must use TensorFlow or keras.ops operations so that the tape can follow them; it returned "
            f"{type(y).__name__} (a numpy function such as np.sin returns numpy arrays: use tf.sin or keras.ops.sin)"
        )
    grad = tape.gradient(y, x)
    if grad is None:
        raise ValueError("fn's output does not depend on x through TensorFlow operations (the tape saw no path from x)")
    return grad.numpy()
