"""Measurements on Keras models: what the hidden units output, and which of them still get a gradient.

A *hidden unit* is one output of a hidden layer after its activation. :func:`hidden_unit_layers`
finds the layers that produce them: every ``Dense`` layer with a non-linear activation, and every
stand-alone activation layer (``Activation``, ``ReLU``, ``LeakyReLU``, ``PReLU``, ``ELU``), except the
model's last layer (the output).

:func:`gradient_profile` measures, layer by layer from the input side, how large the gradient of the
loss is: with respect to each ``Dense`` layer's weights, and with respect to its *pre-activation*
``z = xW + b`` (the back-propagated gradient). Plotted on a log axis it shows vanishing or exploding
gradients at a glance (:func:`nbsupport.plots.diagnostics.plot_gradient_norms`).

A ReLU unit whose output is 0 on every training sample is *dead*: its slope is 0 there, so no
gradient reaches its weights and it cannot learn its way back. :func:`never_active_fraction` counts
units whose output is never positive; :func:`zero_gradient_fraction` counts units whose incoming
weights get exactly no gradient. For ReLU the two mostly agree; for Leaky ReLU the first can be large
while the second stays 0.

>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
>>> [layer.name for layer in hidden_unit_layers(model)] == [model.layers[0].name]
True
>>> 0.0 <= never_active_fraction(model, np.ones((5, 2))) <= 1.0
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from nbsupport._validation import FloatArray, check_array, check_bool, check_choice, check_sequence

__all__ = [
    "ActivationStatistics",
    "GradientProfile",
    "activation_statistics",
    "gradient_profile",
    "kernel_snapshot",
    "timestep_gradient_norms",
    "weight_change",
    "hidden_unit_layers",
    "hidden_activations",
    "never_active_fraction_per_layer",
    "never_active_fraction",
    "weight_gradients",
    "zero_gradient_fraction_per_layer",
    "zero_gradient_fraction",
]


def _check_model(model: Any) -> None:
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model (for example keras.Sequential), got {type(model).__name__}")
    if not model.built or not getattr(model, "inputs", None):
        raise ValueError("model must be built with a known input shape: start it with keras.Input(shape=...)")
    if len(model.inputs) != 1:
        raise ValueError(f"model must have a single input, got {len(model.inputs)} inputs")


def _check_x(x: Any, model: Any, name: str = "x") -> FloatArray:
    x = check_array(x, name, min_rows=1)
    expected = tuple(model.inputs[0].shape[1:])
    if x.ndim != len(expected) + 1 or any(e is not None and e != s for e, s in zip(expected, x.shape[1:])):
        raise ValueError(f"{name} must have shape (n_samples, {', '.join(map(str, expected))}) for this model, got {x.shape}")
    return x


def _is_unit_layer(layer: Any) -> bool:
    import keras

    activation_layers = (keras.layers.Activation, keras.layers.ReLU, keras.layers.LeakyReLU, keras.layers.PReLU, keras.layers.ELU)
    if isinstance(layer, activation_layers):
        return True
    return isinstance(layer, keras.layers.Dense) and layer.activation is not keras.activations.linear


def hidden_unit_layers(model: Any) -> list:
    """The layers whose outputs are the hidden units' activations, in order (the output layer excluded).

    Parameters
    ----------
    model : keras.Model
        Built, with a known input shape.

    Returns
    -------
    list of keras layers

    Raises
    ------
    TypeError, ValueError
        If ``model`` is not a built Keras model with one input.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(5), keras.layers.LeakyReLU(negative_slope=0.01),
    ...                           keras.layers.Dense(1, activation="sigmoid")])
    >>> [type(layer).__name__ for layer in hidden_unit_layers(model)]
    ['LeakyReLU']
    """
    _check_model(model)
    return [layer for layer in model.layers[:-1] if _is_unit_layer(layer)]


def _select_layers(model: Any, layers: Sequence[str] | None) -> list:
    if layers is None:
        chosen = hidden_unit_layers(model)
        if not chosen:
            raise ValueError("model has no hidden layer with an activation; pass layers=[...] to name the layers to measure")
        return chosen
    layers = check_sequence(layers, "layers", what="layer names")
    by_name = {layer.name: layer for layer in model.layers}
    unknown = [name for name in layers if name not in by_name]
    if unknown:
        raise ValueError(f"layers names unknown layer(s) {unknown}; the model's layers are {list(by_name)}")
    return [by_name[name] for name in layers]


def hidden_activations(model: Any, x: Any, layers: Sequence[str] | None = None) -> dict[str, FloatArray]:
    """The output of each hidden layer for the samples ``x``, as ``{layer name: array (n_samples, n_units)}``.

    Parameters
    ----------
    model : keras.Model
        Built, with one input.
    x : array-like of shape (n_samples, *input_shape)
        The samples, finite, at least one.
    layers : list of str or None, default=None
        Names of the layers to read; None means :func:`hidden_unit_layers`.

    Returns
    -------
    dict of str to ndarray of shape (n_samples, n_units)

    Raises
    ------
    TypeError, ValueError
        For a bad model, samples of the wrong shape or with NaN/inf, or unknown layer names.

    Examples
    --------
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(3, activation="relu", name="h"), keras.layers.Dense(1)])
    >>> hidden_activations(model, np.zeros((4, 2)))["h"].shape
    (4, 3)
    """
    import keras

    _check_model(model)
    x = _check_x(x, model)
    chosen = _select_layers(model, layers)
    reader = keras.Model(model.inputs[0], [layer.output for layer in chosen])
    outputs = reader(x, training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    return {layer.name: np.asarray(out, dtype=np.float64).reshape(x.shape[0], -1) for layer, out in zip(chosen, outputs)}


def never_active_fraction_per_layer(model: Any, x: Any, layers: Sequence[str] | None = None) -> dict[str, float]:
    """For each hidden layer, the share of its units whose output is <= 0 on every sample of ``x``.

    For ReLU units these are the dead units: output 0, slope 0, on all of ``x``.

    Parameters
    ----------
    model : keras.Model
        Built, with one input.
    x : array-like of shape (n_samples, *input_shape)
        The samples, finite.
    layers : list of str or None, default=None
        Names of the layers to read; None means :func:`hidden_unit_layers`.

    Returns
    -------
    dict of str to float

    Examples
    --------
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(2, activation="relu", name="h"), keras.layers.Dense(1)])
    >>> model.get_layer("h").set_weights([np.array([[1.0, -1.0]]), np.zeros(2)])
    >>> never_active_fraction_per_layer(model, [[1.0], [2.0]])
    {'h': 0.5}
    """
    return {name: float(np.mean(np.all(h <= 0, axis=0))) for name, h in hidden_activations(model, x, layers).items()}


def never_active_fraction(model: Any, x: Any, layers: Sequence[str] | None = None) -> float:
    """The share of all hidden units (every hidden layer pooled) whose output is <= 0 on every sample of ``x``.

    Parameters
    ----------
    model : keras.Model
        Built, with one input.
    x : array-like of shape (n_samples, *input_shape)
        The samples, for example the whole training set; finite.
    layers : list of str or None, default=None
        Names of the layers to count; None means :func:`hidden_unit_layers`.

    Returns
    -------
    float
        In [0, 1].

    Raises
    ------
    TypeError, ValueError
        For a bad model, samples of the wrong shape or with NaN/inf, or unknown layer names.

    Examples
    --------
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(4, activation="relu", name="h"), keras.layers.Dense(1)])
    >>> model.get_layer("h").set_weights([np.array([[1.0, -1.0, -2.0, 3.0]]), np.zeros(4)])
    >>> never_active_fraction(model, [[1.0], [2.0]])
    0.5
    """
    outputs = hidden_activations(model, x, layers)
    return float(np.mean(np.concatenate([np.all(h <= 0, axis=0) for h in outputs.values()])))


def _loss_fn(model: Any, loss: Any):
    import keras

    if loss is None:
        loss = getattr(model, "loss", None)
        if loss is None:
            raise ValueError("loss is None and the model is not compiled with a loss: pass loss='binary_crossentropy' or similar")
    try:
        return keras.losses.get(loss)
    except (ValueError, TypeError):
        raise ValueError(f"loss must be a Keras loss name, a Keras loss object or a function (y_true, y_pred), got {loss!r}") from None


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
    import keras
    import tensorflow as tf

    _check_model(model)
    x = _check_x(x, model)
    loss_fn = _loss_fn(model, loss)
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if not dense:
        raise ValueError("model has no Dense layer, so there is no kernel to differentiate")
    y = check_array(y, "y")
    if y.ndim == 0 or y.shape[0] != x.shape[0]:
        raise ValueError(f"y must have one target per sample: x has {x.shape[0]} samples, y has shape {y.shape}")
    with tf.GradientTape() as tape:
        prediction = model(x, training=False)
        target = y.reshape(tuple(prediction.shape)) if y.size == int(np.prod(prediction.shape)) else y
        value = tf.reduce_mean(loss_fn(tf.constant(target, dtype=prediction.dtype), prediction))
    grads = tape.gradient(value, [layer.kernel for layer in dense])
    return {layer.name: np.zeros(tuple(layer.kernel.shape)) if g is None else np.asarray(g, dtype=np.float64) for layer, g in zip(dense, grads)}


def zero_gradient_fraction_per_layer(model: Any, x: Any, y: Any, loss: Any = None) -> dict[str, float]:
    """For each hidden ``Dense`` layer, the share of its units whose incoming weights get exactly zero gradient.

    A unit counts when its whole kernel column is 0: no sample of ``(x, y)`` sends it any gradient.
    The last ``Dense`` layer (the output) is left out.

    Parameters
    ----------
    model : keras.Model
        Built, with one input and at least two Dense layers.
    x : array-like of shape (n_samples, *input_shape)
        The samples, finite.
    y : array-like
        Their targets.
    loss : str, keras loss or None, default=None
        As for :func:`weight_gradients`.

    Returns
    -------
    dict of str to float

    Examples
    --------
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(2, activation="relu", name="h"),
    ...                           keras.layers.Dense(1, name="out")])
    >>> model.get_layer("h").set_weights([np.array([[1.0, -1.0]]), np.zeros(2)])
    >>> zero_gradient_fraction_per_layer(model, [[1.0], [2.0]], [0.0, 1.0], loss="mse")
    {'h': 0.5}
    """
    grads = weight_gradients(model, x, y, loss)
    hidden = list(grads.items())[:-1]
    if not hidden:
        raise ValueError("model has a single Dense layer (the output): there are no hidden units to measure")
    return {name: float(np.mean(np.all(g == 0, axis=0))) for name, g in hidden}


def zero_gradient_fraction(model: Any, x: Any, y: Any, loss: Any = None) -> float:
    """The share of all hidden ``Dense`` units (layers pooled) whose incoming weights get exactly zero gradient.

    Parameters
    ----------
    model : keras.Model
        Built, with one input and at least two Dense layers.
    x : array-like of shape (n_samples, *input_shape)
        The samples, for example the whole training set; finite.
    y : array-like
        Their targets.
    loss : str, keras loss or None, default=None
        As for :func:`weight_gradients`.

    Returns
    -------
    float
        In [0, 1].

    Raises
    ------
    TypeError, ValueError
        For a bad model, data or loss, or a model without hidden Dense layers.

    Examples
    --------
    >>> import keras, numpy as np
    >>> model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(4, activation="relu", name="h"),
    ...                           keras.layers.Dense(1)])
    >>> model.get_layer("h").set_weights([np.array([[1.0, -1.0, -2.0, 3.0]]), np.zeros(4)])
    >>> zero_gradient_fraction(model, [[1.0], [2.0]], [0.0, 1.0], loss="mse")
    0.5
    """
    grads = list(weight_gradients(model, x, y, loss).values())[:-1]
    if not grads:
        raise ValueError("model has a single Dense layer (the output): there are no hidden units to measure")
    return float(np.mean(np.concatenate([np.all(g == 0, axis=0) for g in grads])))


# --- gradient sizes, layer by layer ---------------------------------------------------------------


@dataclass(frozen=True)
class GradientProfile:
    """Gradient sizes of one model on one batch, one entry per ``Dense`` layer, input side first.

    Attributes
    ----------
    layers : tuple of str
        The layers' names.
    weight_norms : ndarray
        ``||dL/dW||``: the Frobenius norm of the gradient of the mean loss with respect to each kernel.
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
        Run the model in training mode (dropout active, batch normalization on batch statistics). As in
        training, a batch-normalization layer then also updates its moving averages: reset the model
        (``nbsupport.training.reset_model``) if you need them as they were.

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

    _check_model(model)
    x = _check_x(x, model)
    loss_fn = _loss_fn(model, loss)
    training = check_bool(training, "training")
    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if layers is not None:
        names = [str(n) for n in check_sequence(layers, "layers", what="Dense layer names")]
        by_name = {layer.name: layer for layer in dense}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise ValueError(f"layers names {unknown}, which are not Dense layers of the model; its Dense layers are {list(by_name)}")
        dense = [by_name[n] for n in names]
    if not dense:
        raise ValueError("model has no Dense layer, so there is no gradient profile to measure")
    y = check_array(y, "y")
    if y.ndim == 0 or y.shape[0] != x.shape[0]:
        raise ValueError(f"y must have one target per sample: x has {x.shape[0]} samples, y has shape {y.shape}")

    n = len(dense)
    linear = [layer.activation is keras.activations.linear for layer in dense]
    watched = [layer.output for layer in dense]
    output_ids = [id(t) for t in watched]
    if id(model.outputs[0]) not in output_ids:  # the model's output is not a Dense layer's own output
        watched.append(model.outputs[0])
        output_ids.append(id(model.outputs[0]))
    last = output_ids.index(id(model.outputs[0]))
    probe = keras.Model(model.inputs[0], [layer.input for layer in dense] + watched)
    with tf.GradientTape() as tape:
        values = probe(x.astype(np.float32), training=training)
        inputs, outputs = list(values[:n]), list(values[n : 2 * n])
        prediction = values[n + last]
        if last < n and not linear[last]:
            # The output layer applies its activation itself. A loss such as binary cross-entropy then
            # reads the logits Keras keeps beside the output, so the path runs through z, not through the
            # output: recompute z = xW + b on the tape (the same operations) and make it that layer's z.
            layer = dense[last]
            outputs[last] = tf.matmul(inputs[last], layer.kernel) + (layer.bias if layer.use_bias else 0.0)
            prediction = layer.activation(outputs[last])
            linear[last] = True
        target = y.reshape(tuple(prediction.shape)) if y.size == int(np.prod(prediction.shape)) else y
        value = tf.reduce_mean(loss_fn(tf.constant(target, dtype=prediction.dtype), prediction))
    grads = tape.gradient(value, outputs + [layer.kernel for layer in dense])
    output_grads, kernel_grads = grads[:n], grads[n:]

    z_norms, w_norms, z_grads = [], [], []
    for layer, is_z, layer_input, layer_output, g_out, g_kernel in zip(dense, linear, inputs, outputs, output_grads, kernel_grads):
        g_out = tf.zeros_like(layer_output) if g_out is None else g_out
        if not is_z:  # dL/dz = f'(z) * dL/da, through the activation by a second tape
            z = tf.matmul(layer_input, layer.kernel) + (layer.bias if layer.use_bias else 0.0)
            with tf.GradientTape() as inner:
                inner.watch(z)
                a = layer.activation(z)
            g_out = inner.gradient(a, z, output_gradients=g_out)
        z_norms.append(float(tf.norm(g_out)))
        w_norms.append(0.0 if g_kernel is None else float(tf.norm(g_kernel)))
        z_grads.append(np.asarray(g_out, dtype=np.float64).reshape(x.shape[0], -1))
    return GradientProfile(tuple(layer.name for layer in dense), np.array(w_norms), np.array(z_norms), tuple(z_grads))


# --- activation statistics, layer by layer ------------------------------------------------------------

FLAT_SLOPE = 0.1  # "flat": the activation's slope is under a tenth of its steepest


@dataclass(frozen=True)
class ActivationStatistics:
    """What each hidden layer outputs on a batch, input side first.

    Attributes
    ----------
    layers : tuple of str
        The hidden-unit layers (:func:`hidden_unit_layers`).
    mean, sd : ndarray
        Mean and standard deviation of each layer's outputs over samples and units.
    flat : ndarray
        Share of the outputs (samples x units) where the activation's slope is under a tenth of its
        steepest: saturated sigmoid or tanh units, ReLU units on their zero side.
    dead : ndarray
        Share of the units that are flat on every sample of the batch (for ReLU: never active).
    values : tuple of ndarray
        The outputs themselves, one array (n_samples, n_units) per layer, for histograms.
    """

    layers: tuple[str, ...]
    mean: FloatArray = field(repr=False)
    sd: FloatArray = field(repr=False)
    flat: FloatArray = field(repr=False)
    dead: FloatArray = field(repr=False)
    values: tuple[FloatArray, ...] = field(default=(), repr=False, compare=False)

    def __str__(self) -> str:
        width = max(len(name) for name in self.layers)
        rows = [f"{'layer':<{width}}  {'mean':>7}  {'sd':>7}  {'flat':>5}  {'dead':>5}"]
        rows += [
            f"{name:<{width}}  {m:7.3f}  {s:7.3f}  {f:5.0%}  {d:5.0%}"
            for name, m, s, f, d in zip(self.layers, self.mean, self.sd, self.flat, self.dead)
        ]
        return "\n".join(rows)


def _activation_of(layer: Any) -> Any:
    """The elementwise function a hidden-unit layer applies to its pre-activation."""
    import keras

    return layer.activation if isinstance(layer, (keras.layers.Dense, keras.layers.Activation)) else layer


def activation_statistics(
    model: Any, x: Any, *, layers: Sequence[str] | None = None, training: bool = False
) -> ActivationStatistics:
    """Mean, spread, and share of flat (saturated or inactive) outputs of each hidden layer, on a batch.

    The slope of each unit at each sample is measured with ``tf.GradientTape`` on the layer's own
    activation, and compared with the activation's steepest slope (found on a grid from -10 to 10), so
    the same rule reads sigmoid (steepest 0.25), tanh (1), ReLU (1) and the rest.

    Parameters
    ----------
    model : keras.Model
        Built, with one input.
    x : array-like of shape (n_samples, *input_shape)
        The batch, finite.
    layers : list of str or None, default=None
        Names of the layers to read; None means :func:`hidden_unit_layers`.
    training : bool, default=False
        Run the model in training mode (dropout active, batch normalization on batch statistics). As in
        training, a batch-normalization layer then also updates its moving averages: reset the model
        (``nbsupport.training.reset_model``) if you need them as they were.

    Returns
    -------
    ActivationStatistics

    Raises
    ------
    TypeError, ValueError
        For a bad model, samples of the wrong shape or with NaN/inf, or unknown layer names.

    Examples
    --------
    >>> from nbsupport.models import build_mlp
    >>> model = build_mlp(4, (16, 16), activation="relu", initializer="he_normal", seed=0)
    >>> stats = activation_statistics(model, np.random.default_rng(0).normal(size=(64, 4)))
    >>> stats.layers
    ('relu_1', 'relu_2')
    >>> bool(0.3 < stats.flat[0] < 0.7)  # about half of ReLU outputs sit on the zero side
    True
    """
    import keras
    import tensorflow as tf

    _check_model(model)
    x = _check_x(x, model)
    training = check_bool(training, "training")
    chosen = _select_layers(model, layers)
    probe = keras.Model(model.inputs[0], [layer.input for layer in chosen] + [layer.output for layer in chosen])
    values = probe(x.astype(np.float32), training=training)
    n = len(chosen)
    means, sds, flats, deads, outputs = [], [], [], [], []
    for layer, layer_input, layer_output in zip(chosen, values[:n], values[n:]):
        f = _activation_of(layer)
        z = layer_input
        if isinstance(layer, keras.layers.Dense):
            z = tf.matmul(layer_input, layer.kernel) + (layer.bias if layer.use_bias else 0.0)
        grid = tf.constant(np.linspace(-10.0, 10.0, 2001)[:, None] * np.ones((1, int(z.shape[-1]))), dtype=z.dtype)
        slopes = []
        for points in (z, grid):
            with tf.GradientTape() as tape:
                tape.watch(points)
                applied = f(points)
            slopes.append(np.asarray(tape.gradient(applied, points), dtype=np.float64).reshape(points.shape[0], -1))
        slope, steepest = slopes[0], float(np.max(np.abs(slopes[1])))
        is_flat = np.abs(slope) < FLAT_SLOPE * steepest
        a = np.asarray(layer_output, dtype=np.float64).reshape(x.shape[0], -1)
        means.append(a.mean())
        sds.append(a.std())
        flats.append(is_flat.mean())
        deads.append(np.all(is_flat, axis=0).mean())
        outputs.append(a)
    return ActivationStatistics(tuple(layer.name for layer in chosen), *map(np.array, (means, sds, flats, deads)), tuple(outputs))


# --- how far training moves each layer, and gradients through time ---------------------------------


def kernel_snapshot(model: Any) -> dict[str, FloatArray]:
    """Copies of every ``Dense`` kernel, by layer name: the starting point for :func:`weight_change`.

    Parameters
    ----------
    model : keras.Model
        Built.

    Returns
    -------
    dict of str to ndarray

    Examples
    --------
    >>> from nbsupport.models import build_mlp
    >>> sorted(kernel_snapshot(build_mlp(3, (4,))))
    ['dense_1', 'output']
    """
    import keras

    _check_model(model)
    return {layer.name: np.array(layer.kernel.numpy(), dtype=np.float64) for layer in model.layers if isinstance(layer, keras.layers.Dense)}


def weight_change(model: Any, start: dict[str, Any]) -> dict[str, float]:
    """How far each ``Dense`` kernel has moved from ``start``, relative to its size there: ``||W - W0|| / ||W0||``.

    Parameters
    ----------
    model : keras.Model
        The model now (after training).
    start : dict of str to array
        :func:`kernel_snapshot` of the same model before training.

    Returns
    -------
    dict of str to float
        By layer name, input side first.

    Raises
    ------
    TypeError
        If ``start`` is not a dict.
    ValueError
        If its layers or shapes do not match the model's, or a starting kernel is all zeros.

    Examples
    --------
    >>> from nbsupport.models import build_mlp
    >>> model = build_mlp(3, (4,), seed=0)
    >>> start = kernel_snapshot(model)
    >>> weight_change(model, start)
    {'dense_1': 0.0, 'output': 0.0}
    """
    now = kernel_snapshot(model)
    if not isinstance(start, dict):
        raise TypeError(f"start must be a dict from kernel_snapshot, got {type(start).__name__}")
    if set(start) != set(now):
        raise ValueError(f"start must hold the same Dense layers as the model {sorted(now)}, got {sorted(start)}")
    changes = {}
    for name, w in now.items():
        w0 = check_array(start[name], f"start[{name!r}]")
        if w0.shape != w.shape:
            raise ValueError(f"start[{name!r}] must have the kernel's shape {w.shape}, got {w0.shape}")
        size = np.linalg.norm(w0)
        if size == 0:
            raise ValueError(f"start[{name!r}] is all zeros: a change relative to it is undefined")
        changes[name] = float(np.linalg.norm(w - w0) / size)
    return changes


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

    _check_model(model)
    if len(model.inputs[0].shape) != 3:
        raise ValueError(f"model must read sequences (input shape (batch, T, features)), got input shape {tuple(model.inputs[0].shape)}")
    x = _check_x(x, model)
    loss_fn = _loss_fn(model, loss)
    y = check_array(y, "y")
    if y.ndim == 0 or y.shape[0] != x.shape[0]:
        raise ValueError(f"y must have one target per sample: x has {x.shape[0]} samples, y has shape {y.shape}")
    inputs = tf.constant(x, dtype=tf.float32)
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        prediction = model(inputs, training=False)
        target = y.reshape(tuple(prediction.shape)) if y.size == int(np.prod(prediction.shape)) else y
        value = tf.reduce_mean(loss_fn(tf.constant(target, dtype=prediction.dtype), prediction))
    grad = np.asarray(tape.gradient(value, inputs), dtype=np.float64)
    return np.sqrt(np.sum(grad**2, axis=(0, 2)))
