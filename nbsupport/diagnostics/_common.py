"""What every measurement on a model checks and computes: the samples, the targets, the loss, the layers."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator, Sequence

import numpy as np

from nbsupport._validation import FloatArray, check_array, check_sequence, check_targets


def check_x(x: Any, model: Any, name: str = "x") -> FloatArray:
    """Finite samples shaped for the model's input, at least one."""
    x = check_array(x, name, min_rows=1)
    expected = tuple(model.inputs[0].shape[1:])
    if x.ndim != len(expected) + 1 or any(e is not None and e != s for e, s in zip(expected, x.shape[1:])):
        raise ValueError(f"{name} must have shape (n_samples, {', '.join(map(str, expected))}) for this model, got {x.shape}")
    return x


def loss_function(model: Any, loss: Any) -> Any:
    """The loss to differentiate: ``loss`` as Keras reads it, or the model's compiled loss when None."""
    import keras

    if loss is None:
        loss = getattr(model, "loss", None)
        if loss is None:
            raise ValueError("loss is None and the model is not compiled with a loss: pass loss='binary_crossentropy' or similar")
    if isinstance(loss, (list, tuple, dict)):
        raise ValueError(f"loss must be a single Keras loss, got {loss!r}")
    try:
        return keras.losses.get(loss)
    except (ValueError, TypeError):
        raise ValueError(f"loss must be a Keras loss name, a Keras loss object or a function (y_true, y_pred), got {loss!r}") from None


def check_y(model: Any, y: Any, loss: Any, n_rows: int) -> FloatArray:
    """Targets, one per sample, that the loss can read (labels 0/1 for binary cross-entropy, ...)."""
    return check_targets(model, y, loss if loss is not None else getattr(model, "loss", None), n_rows)


def mean_loss(loss_fn: Any, y: FloatArray, prediction: Any) -> Any:
    """The mean over the batch of ``loss_fn(y, prediction)``, the targets shaped like the prediction where sizes match."""
    import tensorflow as tf

    target = y.reshape(tuple(prediction.shape)) if y.size == int(np.prod(prediction.shape)) else y
    return tf.reduce_mean(loss_fn(tf.constant(target, dtype=prediction.dtype), prediction))


def norm64(values: Any, axis: Any = None) -> Any:
    """The Euclidean (Frobenius) norm in float64: in float32 the squares of entries below about 1e-19 are 0."""
    values = np.asarray(values, dtype=np.float64)
    return np.sqrt(np.sum(values * values, axis=axis))


@contextlib.contextmanager
def model_state_kept(model: Any, keep: bool) -> Iterator[None]:
    """Run the block, then put back every non-trainable variable (batch-normalization moving averages,
    dropout generators) that a pass in training mode moved: measuring leaves the model as it was."""
    saved = [(v, np.array(v.numpy())) for v in model.variables if not v.trainable] if keep else []
    try:
        yield
    finally:
        for variable, value in saved:
            variable.assign(value)


def is_unit_layer(layer: Any) -> bool:
    """A layer whose outputs are hidden units: a Dense layer with a non-linear activation, or an activation layer."""
    import keras

    activation_layers = (keras.layers.Activation, keras.layers.ReLU, keras.layers.LeakyReLU, keras.layers.PReLU, keras.layers.ELU)
    if isinstance(layer, activation_layers):
        return True
    return isinstance(layer, keras.layers.Dense) and layer.activation is not keras.activations.linear


def hidden_unit_layers(model: Any) -> list:
    """The hidden-unit layers, in order, the model's last layer (the output) excluded."""
    return [layer for layer in model.layers[:-1] if is_unit_layer(layer)]


def select_layers(model: Any, layers: Sequence[str] | None) -> list:
    """The named layers, or the hidden-unit layers when ``layers`` is None."""
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


def dense_layers(model: Any, layers: Sequence[str] | None = None) -> list:
    """The model's Dense layers (input side first), or the named ones among them."""
    import keras

    dense = [layer for layer in model.layers if isinstance(layer, keras.layers.Dense)]
    if layers is not None:
        names = [str(n) for n in check_sequence(layers, "layers", what="Dense layer names")]
        by_name = {layer.name: layer for layer in dense}
        unknown = [n for n in names if n not in by_name]
        if unknown:
            raise ValueError(f"layers names {unknown}, which are not Dense layers of the model; its Dense layers are {list(by_name)}")
        dense = [by_name[n] for n in names]
    if not dense:
        raise ValueError("model has no Dense layer, so there is no kernel to differentiate")
    return dense
