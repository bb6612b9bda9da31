"""How far training moved each layer: ``||W_end - W_start|| / ||W_start||`` for every ``Dense`` kernel.

>>> from nbsupport.models import build_mlp
>>> model = build_mlp(3, (4,), seed=0)
>>> weight_change(model, kernel_snapshot(model))
{'dense_1': 0.0, 'output': 0.0}
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nbsupport._validation import FloatArray, check_array, check_model

__all__ = ["kernel_snapshot", "weight_change"]


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

    check_model(model)
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
