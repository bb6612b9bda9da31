"""Gradients through time: how much the loss of a sequence model still feels each step of its input.

>>> from nbsupport.models import build_rnn
>>> x = np.random.default_rng(0).normal(size=(8, 5, 1))
>>> timestep_gradient_norms(build_rnn(5, units=4, seed=0), x, np.arange(8) % 2).shape
(5,)
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nbsupport._validation import FloatArray, check_model
from nbsupport.diagnostics import _common

__all__ = ["timestep_gradient_norms"]


def timestep_gradient_norms(model: Any, x: Any, y: Any, loss: Any = None) -> FloatArray:
    """For a sequence model, the size of the loss's gradient with respect to the input at each time step.

    ``||dL/dx_t||`` over the batch, for ``t = 0 .. T-1``: how much the loss can still "feel" the first
    steps of a sequence. Falling towards ``t = 0`` is the vanishing gradient through time.

    Parameters
    ----------
    model : keras.Model
        Built, with one input of shape (batch, T, features).
    x : array-like of shape (n_samples, T, n_features)
        The batch, finite.
    y : array-like
        Its targets, one per sample.
    loss : str, keras loss or None, default=None
        A Keras loss name or object; None means the compiled loss.

    Returns
    -------
    ndarray of shape (T,)

    Raises
    ------
    TypeError, ValueError
        For a bad model, data or loss, or an input that is not a sequence.

    Examples
    --------
    >>> from nbsupport.models import build_rnn
    >>> model = build_rnn(12, cell="simple_rnn", units=8, seed=0)
    >>> x = np.random.default_rng(0).normal(size=(16, 12, 1))
    >>> timestep_gradient_norms(model, x, np.arange(16) % 2).shape
    (12,)
    """
    import tensorflow as tf

    check_model(model)
    if len(model.inputs[0].shape) != 3:
        raise ValueError(f"model must read sequences (input shape (batch, T, features)), got input shape {tuple(model.inputs[0].shape)}")
    x = _common.check_x(x, model)
    loss_fn = _common.loss_function(model, loss)
    y = _common.check_y(model, y, loss, x.shape[0])
    inputs = tf.constant(x, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        value = _common.mean_loss(loss_fn, y, model(inputs, training=False))
    return _common.norm64(tape.gradient(value, inputs), axis=(0, 2))
