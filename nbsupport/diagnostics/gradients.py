"""How large the gradient of the loss is, layer by layer: for the weights, and back-propagated to each layer.

:func:`gradient_profile` measures, layer by layer from the input side, how large the gradient of the
loss is: with respect to each ``Dense`` layer's weights, and with respect to its *pre-activation*
``z = xW + b`` (the back-propagated gradient). Plotted on a log axis it shows vanishing or exploding
gradients at a glance (:func:`nbsupport.plots.diagnostics.plot_gradient_norms`).
:func:`weight_gradients` returns the kernels' gradients themselves.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from nbsupport import _keras_adapter
from nbsupport._validation import FloatArray, check_bool, check_choice, check_model
from nbsupport.diagnostics import _common

__all__ = ["GradientProfile", "gradient_profile", "weight_gradients"]


def weight_gradients(model: Any, x: Any, y: Any, loss: Any = None) -> dict[str, FloatArray]:
    """Gradient of the mean loss over ``(x, y)`` with respect to each ``Dense`` layer's kernel.

    Parameters
    ----------
    model : keras.Model
        Built, with one input.
    x : array-like of shape (n_samples, *input_shape)
        The samples, finite.
    y : array-like
        Their targets, one per sample (reshaped to the model's output shape when the sizes match).
    loss : str, keras loss or None, default=None
        A Keras loss name or object; None means the loss the model was compiled with.

    Returns
    -------
    dict of str to ndarray
        ``{layer name: array of the kernel's shape (n_in, n_units)}``, in layer order, the output layer included.

    Raises
    ------
    TypeError, ValueError
        For a bad model, data or loss.

    Examples
    --------
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="tanh", name="h"),
    ...                           keras.layers.Dense(1, name="out")])
    >>> {name: g.shape for name, g in weight_gradients(model, np.ones((4, 2)), np.zeros(4), loss="mse").items()}
    {'h': (2, 3), 'out': (3, 1)}
    """
    import tensorflow as tf

    check_model(model)
    x = _common.check_x(x, model)
    loss_fn = _common.loss_function(model, loss)
    y = _common.check_y(model, y, loss, x.shape[0])
    dense = _common.dense_layers(model)
    with tf.GradientTape() as tape:
        value = _common.mean_loss(loss_fn, y, model(x.astype(np.float32), training=False))
    grads = tape.gradient(value, [layer.kernel for layer in dense])
    return {layer.name: np.zeros(tuple(layer.kernel.shape)) if g is None else np.asarray(g, dtype=np.float64) for layer, g in zip(dense, grads)}


@dataclass(frozen=True)
class GradientProfile:
    """Gradient sizes of one model on one batch, one entry per ``Dense`` layer, input side first.

    Attributes
    ----------
    layers : tuple of str
        The layers' names.
    weight_norms : ndarray
        ``||dL/dW||``: the Frobenius norm of the gradient of the mean loss with respect to each kernel,
        computed in float64 (as are all the norms here: squares of float32 entries below about 1e-19
        would be 0).
    preactivation_norms : ndarray
        ``||dL/dz||``: the Frobenius norm, over the batch, of the gradient with respect to each layer's
        pre-activation ``z = xW + b`` (the back-propagated gradient).
    preactivation_gradients : tuple of ndarray
        The gradients ``dL/dz`` themselves, one array (n_samples, n_units) per layer, for histograms.
    """

    layers: tuple[str, ...]
    weight_norms: FloatArray = field(repr=False)
    preactivation_norms: FloatArray = field(repr=False)
    preactivation_gradients: tuple[FloatArray, ...] = field(default=(), repr=False, compare=False)

    def norms(self, which: str = "preactivation") -> FloatArray:
        """The norms of ``which`` gradient: ``"preactivation"`` (dL/dz) or ``"weight"`` (dL/dW)."""
        which = check_choice(which, "which", ("preactivation", "weight"))
        return self.preactivation_norms if which == "preactivation" else self.weight_norms

    def ratio(self, which: str = "preactivation") -> float:
        """First layer's norm divided by the last layer's: far below 1 means the gradient vanishes on its way back."""
        norms = self.norms(which)
        return float(norms[0] / norms[-1])

    def __str__(self) -> str:
        width = max(len(name) for name in self.layers)
        rows = [f"{'layer':<{width}}  {'|dL/dz|':>9}  {'|dL/dW|':>9}"]
        rows += [f"{name:<{width}}  {z:9.2e}  {w:9.2e}" for name, z, w in zip(self.layers, self.preactivation_norms, self.weight_norms)]
        return "\n".join(rows)


def gradient_profile(
    model: Any, x: Any, y: Any, loss: Any = None, *, layers: Sequence[str] | None = None, training: bool = False
) -> GradientProfile:
    """How large the gradient of the loss is at each ``Dense`` layer, for one batch: weights and pre-activations.

    One forward pass under ``tf.GradientTape`` gives the gradient of the mean loss with respect to
    every kernel ``W`` and every pre-activation ``z = xW + b``. For a ``Dense`` layer whose activation
    sits in a separate layer (as in ``nbsupport.models``), ``z`` is the layer's output; for one with a
    built-in activation ``f``, ``dL/dz = f'(z) * dL/da`` is taken through ``f`` by a second tape.
    Works for any model with one input whose ``Dense`` layers are reachable from it (shortcuts,
    batch normalization, dropout and recurrent layers in between are fine).

    Parameters
    ----------
    model : keras.Model
        Built, with one input.
    x : array-like of shape (n_samples, *input_shape)
        The batch, finite.
    y : array-like
        Its targets, one per sample.
    loss : str, keras loss or None, default=None
        A Keras loss name or object; None means the loss the model was compiled with.
    layers : list of str or None, default=None
        Names of the ``Dense`` layers to measure, input side first; None means all of them, the output
        layer included.
    training : bool, default=False
        Run the model in training mode (dropout active, batch normalization on batch statistics). The
        moving averages and dropout generators such a pass moves are put back afterwards: measuring
        leaves the model as it was.

    Returns
    -------
    GradientProfile

    Raises
    ------
    TypeError, ValueError
        For a bad model, data or loss, or names that are not ``Dense`` layers of the model.

    Examples
    --------
    >>> from nbsupport.models import build_mlp
    >>> model = build_mlp(4, (8, 8, 8), activation="sigmoid", seed=0)
    >>> x, y = np.random.default_rng(0).normal(size=(32, 4)), np.arange(32) % 2
    >>> profile = gradient_profile(model, x, y)
    >>> profile.layers
    ('dense_1', 'dense_2', 'dense_3', 'output')
    >>> bool(profile.ratio() < 1)  # smaller at the input side: sigmoid slopes are at most 0.25
    True
    """
    import keras
    import tensorflow as tf

    check_model(model)
    x = _common.check_x(x, model)
    loss_fn = _common.loss_function(model, loss)
    training = check_bool(training, "training")
    dense = _common.dense_layers(model, layers)
    y = _common.check_y(model, y, loss, x.shape[0])

    n = len(dense)
    linear = [layer.activation is keras.activations.linear for layer in dense]
    watched = [layer.output for layer in dense]
    output_ids = [id(t) for t in watched]
    if id(model.outputs[0]) not in output_ids:  # the model's output is not a Dense layer's own output
        watched.append(model.outputs[0])
        output_ids.append(id(model.outputs[0]))
    last = output_ids.index(id(model.outputs[0]))
    probe = keras.Model(model.inputs[0], [layer.input for layer in dense] + watched)
    with _common.model_state_kept(model, keep=training), tf.GradientTape() as tape:
        values = probe(x.astype(np.float32), training=training)
        inputs, outputs = list(values[:n]), list(values[n : 2 * n])
        prediction = values[n + last]
        if last < n and not linear[last]:  # the output layer applies its activation itself: make its z the path
            outputs[last], prediction = _keras_adapter.output_and_logits(dense[last], inputs[last])
            linear[last] = True
        value = _common.mean_loss(loss_fn, y, prediction)
    grads = tape.gradient(value, outputs + [layer.kernel for layer in dense])
    output_grads, kernel_grads = grads[:n], grads[n:]

    z_grads, w_norms = [], []
    for layer, is_z, layer_input, layer_output, g_out, g_kernel in zip(dense, linear, inputs, outputs, output_grads, kernel_grads):
        g_out = tf.zeros_like(layer_output) if g_out is None else g_out
        if not is_z:  # dL/dz = f'(z) * dL/da, through the activation by a second tape
            z = tf.matmul(layer_input, layer.kernel) + (layer.bias if layer.use_bias else 0.0)
            with tf.GradientTape() as inner:
                inner.watch(z)
                a = layer.activation(z)
            g_out = inner.gradient(a, z, output_gradients=g_out)
        z_grads.append(np.asarray(g_out, dtype=np.float64).reshape(x.shape[0], -1))
        w_norms.append(0.0 if g_kernel is None else float(_common.norm64(g_kernel)))
    z_norms = [float(_common.norm64(g)) for g in z_grads]
    return GradientProfile(tuple(layer.name for layer in dense), np.array(w_norms), np.array(z_norms), tuple(z_grads))
