"""Derivatives three ways: by finite differences (numpy) and by automatic differentiation (TensorFlow).

The closed forms live next to the functions themselves (``activations``); these helpers give the two
independent numbers to check them against.

>>> import numpy as np
>>> round(float(finite_difference(np.sin, 0.0)), 9)
1.0
"""

from __future__ import annotations

import numbers
from typing import Callable

import numpy as np
from numpy.typing import ArrayLike

from nbsupport._validation import check_callable as _check_callable
from nbsupport.activations import FloatArray, as_float_array


def _check_step(h: object) -> float:
    if isinstance(h, bool) or not isinstance(h, numbers.Real):
        raise TypeError(f"h must be a positive number, got {type(h).__name__} {h!r}")
    if not (np.isfinite(h) and 0 < h < 1):
        raise ValueError(f"h must be a finite number in (0, 1), got {h!r}")
    return float(h)


def finite_difference(f: Callable[[FloatArray], ArrayLike], x: ArrayLike, h: float = 1e-6) -> FloatArray:
    """Central difference ``(f(x + h) - f(x - h)) / (2h)`` of an elementwise function, at every point of ``x``.

    The error shrinks like ``h**2`` until round-off (about ``1e-16 / h``) takes over; ``h = 1e-6``
    balances the two for functions of order 1.

    Parameters
    ----------
    f : an elementwise function of a float array (an activation, ``np.sin``, ...).
    x : the points, any shape.
    h : the step, in (0, 1).

    Examples
    --------
    >>> finite_difference(lambda x: x**2, [1.0, 3.0]).round(6).tolist()
    [2.0, 6.0]
    """
    _check_callable(f, "f")
    h = _check_step(h)
    x = as_float_array(x)
    return (as_float_array(f(x + h), "f(x + h)") - as_float_array(f(x - h), "f(x - h)")) / (2.0 * h)


def numerical_gradient(loss: Callable[[FloatArray], float], w: ArrayLike, h: float = 1e-6) -> FloatArray:
    """Gradient of a scalar function of a vector by central differences, one coordinate at a time.

    Parameters
    ----------
    loss : a function of a 1-D float array that returns a number.
    w : the point, a 1-D array of n parameters (costs 2n calls of ``loss``).
    h : the step, in (0, 1).

    Examples
    --------
    >>> numerical_gradient(lambda w: w[0] ** 2 + 3 * w[1], [1.0, 5.0]).round(6).tolist()
    [2.0, 3.0]
    """
    _check_callable(loss, "loss")
    h = _check_step(h)
    w = as_float_array(w, "w")
    if w.ndim != 1:
        raise ValueError(f"w must be a 1-D array of parameters, got shape {w.shape}")
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
    scalar loss it is the gradient vector. ``fn`` receives a ``tf.Tensor`` and must use TensorFlow or
    ``keras.ops`` operations.

    Examples
    --------
    >>> import keras
    >>> tape_gradient(keras.activations.sigmoid, [0.0]).tolist()
    [0.25]
    """
    import tensorflow as tf

    _check_callable(fn, "fn")
    x = tf.constant(as_float_array(x))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = fn(x)
    grad = tape.gradient(y, x)
    if grad is None:
        raise ValueError("fn's output does not depend on x through TensorFlow operations (the tape saw no path)")
    return grad.numpy()
