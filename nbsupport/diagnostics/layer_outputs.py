"""What each hidden layer outputs: the values themselves, and their mean, spread and saturation per layer.

A *hidden unit* is one output of a hidden layer after its activation. :func:`hidden_unit_layers`
finds the layers that produce them: every ``Dense`` layer with a non-linear activation, and every
stand-alone activation layer (``Activation``, ``ReLU``, ``LeakyReLU``, ``PReLU``, ``ELU``), except the
model's last layer (the output).

>>> import keras
>>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
>>> [layer.name for layer in hidden_unit_layers(model)] == [model.layers[0].name]
True
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from nbsupport._validation import FloatArray, check_bool, check_model
from nbsupport.diagnostics import _common

__all__ = ["ActivationStatistics", "activation_statistics", "hidden_activations", "hidden_unit_layers"]


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
    check_model(model)
    return _common.hidden_unit_layers(model)


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

    check_model(model)
    x = _common.check_x(x, model)
    chosen = _common.select_layers(model, layers)
    reader = keras.Model(model.inputs[0], [layer.output for layer in chosen])
    outputs = reader(x, training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = [outputs]
    return {layer.name: np.asarray(out, dtype=np.float64).reshape(x.shape[0], -1) for layer, out in zip(chosen, outputs)}


_FLAT_SLOPE = 0.1  # "flat": the activation's slope is under a tenth of its steepest


@dataclass(frozen=True)
class ActivationStatistics:
    """What each hidden layer outputs on a batch, input side first.

    Attributes
    ----------
    layers : tuple of str
        The hidden-unit layers (:func:`hidden_unit_layers`).
    mean, sd : ndarray
        Mean and standard deviation of each layer's outputs over samples and units (pooled).
    spread : ndarray
        How much a unit's output varies from one sample to the next: each unit's standard deviation
        over the samples, averaged over the layer's units. Pooled ``sd`` can stay large while
        ``spread`` falls to 0: then every sample gets the same output, whatever the input.
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
    spread: FloatArray = field(repr=False)
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
        Run the model in training mode (dropout active, batch normalization on batch statistics). The
        moving averages and dropout generators such a pass moves are put back afterwards: measuring
        leaves the model as it was.

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

    check_model(model)
    x = _common.check_x(x, model)
    training = check_bool(training, "training")
    chosen = _common.select_layers(model, layers)
    probe = keras.Model(model.inputs[0], [layer.input for layer in chosen] + [layer.output for layer in chosen])
    with _common.model_state_kept(model, keep=training):
        values = probe(x.astype(np.float32), training=training)
    n = len(chosen)
    means, sds, flats, deads, spreads, outputs = [], [], [], [], [], []
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
        is_flat = np.abs(slope) < _FLAT_SLOPE * steepest
        a = np.asarray(layer_output, dtype=np.float64).reshape(x.shape[0], -1)
        means.append(a.mean())
        sds.append(a.std())
        flats.append(is_flat.mean())
        deads.append(np.all(is_flat, axis=0).mean())
        spreads.append(a.std(axis=0).mean())
        outputs.append(a)
    return ActivationStatistics(tuple(layer.name for layer in chosen), *map(np.array, (means, sds, flats, deads, spreads)), tuple(outputs))
