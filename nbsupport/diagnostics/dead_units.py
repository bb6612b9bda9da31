"""Dead units: hidden units that never fire, and hidden units that get no gradient.

A ReLU unit whose output is 0 on every training sample is *dead*: its slope is 0 there, so no
gradient reaches its weights and it cannot learn its way back. :func:`never_active_fraction` counts
units whose output is never positive; :func:`zero_gradient_fraction` counts units whose incoming
weights get exactly no gradient. For ReLU the two mostly agree; for Leaky ReLU the first can be large
while the second stays 0. A unit can also get no gradient while it fires: when every sample it fires
on is one whose loss sends back exactly 0 (a saturated output).

>>> import keras, numpy as np
>>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(4, activation="relu"), keras.layers.Dense(1)])
>>> 0.0 <= never_active_fraction(model, np.ones((5, 2))) <= 1.0
True
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from nbsupport.diagnostics.gradients import weight_gradients
from nbsupport.diagnostics.layer_outputs import hidden_activations

__all__ = ["never_active_fraction", "never_active_fraction_per_layer", "zero_gradient_fraction"]


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
