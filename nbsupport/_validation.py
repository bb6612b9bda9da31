"""Argument checks shared by every nbsupport module.

One rule everywhere: a value of the wrong *type* raises ``TypeError``, a value of the right type but
outside what is allowed raises ``ValueError``. Every message names the argument, says what it got and
what is allowed. Booleans are refused where a number is expected (``True`` is not a count), and
NaN or infinity are refused wherever a finite number is needed.

``check_scalar`` follows scikit-learn's ``sklearn.utils.check_scalar`` (same arguments, same
decisions, tested against it) with those two additions.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, Callable, Iterable, Sequence

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]

SEED_MAX = 2**31 - 1  # TensorFlow's stateless ops take int32 seeds; numpy and Keras accept this range too
INT32_MAX = 2**31 - 1  # counts (epochs, batch sizes) that reach a TensorFlow graph as int32

_INTERVALS = {"both": "[]", "left": "[)", "right": "(]", "neither": "()"}


def _describe(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"


def _interval(min_val: float | None, max_val: float | None, include_boundaries: str) -> str:
    left, right = _INTERVALS[include_boundaries]
    low = "-inf" if min_val is None else f"{min_val:g}" if isinstance(min_val, float) else str(min_val)
    high = "inf" if max_val is None else f"{max_val:g}" if isinstance(max_val, float) else str(max_val)
    if min_val is None:
        left = "("
    if max_val is None:
        right = ")"
    return f"{left}{low}, {high}{right}"


def check_scalar(
    x: Any,
    name: str,
    target_type: type | tuple[type, ...] = numbers.Real,
    *,
    min_val: float | None = None,
    max_val: float | None = None,
    include_boundaries: str = "both",
) -> Any:
    """Return ``x`` (as ``int`` or ``float``) if it is a finite scalar of ``target_type`` within the bounds.

    Parameters
    ----------
    x : object
        The value to check.
    name : str
        The argument's name, used in the message.
    target_type : type or tuple of types, default=numbers.Real
        ``numbers.Integral`` for counts and seeds, ``numbers.Real`` for any real number.
    min_val, max_val : float or None, default=None
        The bounds; None leaves that side open.
    include_boundaries : {"both", "left", "right", "neither"}, default="both"
        Which bounds are allowed values.

    Returns
    -------
    int or float
        ``int(x)`` for an integral target type, else ``float(x)``.

    Raises
    ------
    TypeError
        If ``x`` is a bool or not an instance of ``target_type``.
    ValueError
        If ``x`` is NaN, infinite or outside the bounds.

    Examples
    --------
    >>> check_scalar(3, "epochs", numbers.Integral, min_val=1)
    3
    >>> check_scalar(0.0, "alpha", min_val=0.0, include_boundaries="neither")
    Traceback (most recent call last):
    ...
    ValueError: alpha must be a finite number in (0, inf), got 0.0
    """
    if include_boundaries not in _INTERVALS:
        raise ValueError(f"include_boundaries must be one of {sorted(_INTERVALS)}, got {include_boundaries!r}")
    integral = target_type is numbers.Integral or target_type is int
    kind = "an int" if integral else "a finite number"
    interval = _interval(min_val, max_val, include_boundaries)
    if isinstance(x, (bool, np.bool_)) or not isinstance(x, target_type):
        raise TypeError(f"{name} must be {kind} in {interval}, got {_describe(x)}")
    value = int(x) if integral else float(x)
    if not integral and not math.isfinite(value):
        raise ValueError(f"{name} must be {kind} in {interval}, got {value!r}")
    too_low = min_val is not None and (value < min_val if include_boundaries in ("both", "left") else value <= min_val)
    too_high = max_val is not None and (value > max_val if include_boundaries in ("both", "right") else value >= max_val)
    if too_low or too_high:
        raise ValueError(f"{name} must be {kind} in {interval}, got {value!r}")
    return value


def check_int(x: Any, name: str, min_val: int = 0, max_val: int | None = INT32_MAX) -> int:
    """An int in ``[min_val, max_val]`` (a count such as epochs, steps or a batch size).

    >>> check_int(5, "n_steps")
    5
    """
    return check_scalar(x, name, numbers.Integral, min_val=min_val, max_val=max_val)


def check_seed(x: Any, name: str = "seed") -> int:
    """A seed: an int in ``[0, 2**31 - 1]``, the range every generator of the course accepts.

    >>> check_seed(42)
    42
    """
    return check_scalar(x, name, numbers.Integral, min_val=0, max_val=SEED_MAX)


def check_bool(x: Any, name: str) -> bool:
    """``True`` or ``False`` (numpy booleans too); anything else is a TypeError.

    >>> check_bool(True, "strict")
    True
    """
    if not isinstance(x, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {_describe(x)}")
    return bool(x)


def check_choice(x: Any, name: str, choices: Iterable[str]) -> str:
    """One of the strings in ``choices``.

    >>> check_choice("robust", "scaling", ("standard", "robust"))
    'robust'
    """
    choices = tuple(choices)
    if not isinstance(x, str):
        raise TypeError(f"{name} must be one of {choices}, got {_describe(x)}")
    if x not in choices:
        raise ValueError(f"{name} must be one of {choices}, got {x!r}")
    return x


def check_str(x: Any, name: str) -> str:
    """A non-empty string.

    >>> check_str("mlp", "name")
    'mlp'
    """
    if not isinstance(x, str):
        raise TypeError(f"{name} must be a non-empty str, got {_describe(x)}")
    if not x:
        raise ValueError(f"{name} must be a non-empty str, got ''")
    return x


def check_callable(f: Any, name: str) -> Callable:
    """Something that can be called.

    >>> check_callable(len, "f") is len
    True
    """
    if not callable(f):
        raise TypeError(f"{name} must be a function, got {_describe(f)}")
    return f


def check_sequence(x: Any, name: str, *, min_len: int = 1, what: str = "values") -> list:
    """A list, tuple or 1-D array (not a string) with at least ``min_len`` items, returned as a list.

    >>> check_sequence((1, 2), "seeds")
    [1, 2]
    """
    if isinstance(x, (str, bytes)) or not isinstance(x, (Sequence, np.ndarray)) or np.ndim(x) > 1:
        raise TypeError(f"{name} must be a list of {what}, got {_describe(x)}")
    items = list(x)
    if len(items) < min_len:
        raise ValueError(f"{name} must hold at least {min_len} {what}, got {len(items)}")
    return items


def as_float_array(x: Any, name: str = "x") -> FloatArray:
    """Convert ``x`` to a float64 array, or raise a TypeError naming ``name``.

    Accepts Python numbers, (nested) sequences of numbers and numpy arrays of integer, unsigned or
    float dtype. Strings, booleans, complex numbers, ragged lists and objects are refused.

    >>> as_float_array([1, 2]).dtype
    dtype('float64')
    """
    if isinstance(x, (str, bytes)):
        raise TypeError(f"{name} must be a real number or an array of real numbers, got {_describe(x)}")
    try:
        array = np.asarray(x)
    except (TypeError, ValueError) as error:  # ragged nested lists
        raise TypeError(f"{name} must be a real number or an array of real numbers, got {type(x).__name__}: {error}") from None
    if array.dtype.kind not in "iuf":
        raise TypeError(
            f"{name} must be a real number or an array of real numbers, got an array of dtype "
            f"{array.dtype} (allowed: integer or float)"
        )
    return array.astype(np.float64, copy=False)


def check_array(
    x: Any,
    name: str,
    *,
    ndim: int | None = None,
    finite: bool = True,
    min_rows: int = 0,
    shape_hint: str = "",
) -> FloatArray:
    """A float64 array with ``ndim`` dimensions (any when None), finite values, at least ``min_rows`` rows.

    Parameters
    ----------
    x : array-like
        The value to check.
    name : str
        The argument's name, used in the message.
    ndim : int or None, default=None
        The number of dimensions required.
    finite : bool, default=True
        Refuse NaN and infinity.
    min_rows : int, default=0
        The smallest allowed length of the first axis (1 refuses empty arrays).
    shape_hint : str, default=""
        How the shape reads in words, for the message (``"(samples, features)"``).

    Raises
    ------
    TypeError
        If ``x`` is not numeric.
    ValueError
        If the dimensions, the length or the values are not allowed.

    Examples
    --------
    >>> check_array([[1.0, 2.0]], "X", ndim=2, min_rows=1).shape
    (1, 2)
    >>> check_array([1.0, float("nan")], "y")
    Traceback (most recent call last):
    ...
    ValueError: y must hold finite numbers only; it has 1 NaN or infinite value(s)
    """
    array = as_float_array(x, name)
    hint = f" {shape_hint}" if shape_hint else ""
    if ndim is not None and array.ndim != ndim:
        raise ValueError(f"{name} must be a {ndim}-D array{hint}, got shape {array.shape}")
    if min_rows and (array.ndim == 0 or array.shape[0] < min_rows):
        raise ValueError(f"{name} must hold at least {min_rows} row(s){hint}, got shape {array.shape}")
    if finite and not np.all(np.isfinite(array)):
        bad = int(np.size(array) - np.count_nonzero(np.isfinite(array)))
        raise ValueError(f"{name} must hold finite numbers only; it has {bad} NaN or infinite value(s)")
    return array


def check_binary_labels(y: Any, name: str, n_rows: int) -> FloatArray:
    """A 1-D array of ``n_rows`` labels, each 0 or 1.

    >>> check_binary_labels([0, 1, 1], "y", 3).tolist()
    [0.0, 1.0, 1.0]
    """
    labels = check_array(y, name, ndim=1)
    if labels.shape != (n_rows,):
        raise ValueError(f"{name} must hold one label per row ({n_rows}), got shape {labels.shape}")
    if not np.all((labels == 0) | (labels == 1)):
        raise ValueError(f"{name} must hold the labels 0 and 1 only, got values {np.unique(labels)[:5].tolist()}")
    return labels


def version_tuple(version: str) -> tuple[int, int]:
    """``(major, minor)`` of a version string, ignoring what follows the digits (``"3.13.0rc1"`` is ``(3, 13)``).

    >>> version_tuple("3.13.0rc1"), version_tuple("2.20.0.dev1"), version_tuple("3")
    ((3, 13), (2, 20), (3, 0))
    """
    parts = (str(version).split(".") + ["0"])[:2]
    return tuple(int("".join(ch for ch in part if ch.isdigit()) or 0) for part in parts)  # type: ignore[return-value]


# --- Keras models and their targets ---------------------------------------------------------------
# (public Keras API only; what depends on Keras internals lives in _keras_adapter.py)


def check_model(model: Any, name: str = "model") -> Any:
    """A built, flat Keras model with one input and one output, as every nbsupport function expects.

    Refused with a message that says what to do: anything that is not a ``keras.Model``; a model
    without a known input shape; several inputs or outputs; a model that holds another model as a
    layer (its layers would be invisible to the per-layer measurements and to re-seeding).

    >>> import keras
    >>> check_model(keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])).name.startswith("sequential")
    True
    """
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"{name} must be a keras.Model (for example keras.Sequential), got {_describe(model)}")
    if not model.built or not getattr(model, "inputs", None):
        raise ValueError(f"{name} must be built with a known input shape: start it with keras.Input(shape=...)")
    if len(model.inputs) != 1:
        raise ValueError(f"{name} must have a single input, got {len(model.inputs)} inputs")
    if len(model.outputs) != 1:
        raise ValueError(
            f"{name} must have a single output, got {len(model.outputs)} outputs: nbsupport measures and trains "
            "one-output models; train a multi-output model with model.fit"
        )
    nested = [layer.name for layer in model.layers if isinstance(layer, keras.Model)]
    if nested:
        raise ValueError(
            f"{name} holds other models as layers ({', '.join(nested)}); nbsupport reads and re-seeds the layers of one "
            "flat model: build it from the layers themselves (keras.Sequential([keras.Input(...), layer, layer, ...]))"
        )
    return model


_LOSS_KINDS = {
    "binary_crossentropy": "binary_crossentropy",
    "binarycrossentropy": "binary_crossentropy",
    "sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
    "sparsecategoricalcrossentropy": "sparse_categorical_crossentropy",
    "categorical_crossentropy": "categorical_crossentropy",
    "categoricalcrossentropy": "categorical_crossentropy",
}


def loss_kind(loss: Any) -> tuple[str, bool]:
    """Which cross-entropy a Keras loss is (or ``"other"``), and whether it reads logits.

    >>> import keras
    >>> loss_kind("binary_crossentropy"), loss_kind(keras.losses.CategoricalCrossentropy(from_logits=True))
    (('binary_crossentropy', False), ('categorical_crossentropy', True))
    >>> loss_kind("mse")
    ('other', False)
    """
    if isinstance(loss, str):
        key = loss
    else:
        key = getattr(loss, "__name__", None) or type(loss).__name__
        if key == "LossFunctionWrapper":  # a Loss object wrapping a function: its config names the function
            key = str(getattr(loss, "fn", None).__name__ if getattr(loss, "fn", None) else key)
    from_logits = False
    get_config = getattr(loss, "get_config", None)
    if callable(get_config):
        try:
            from_logits = bool(get_config().get("from_logits", False))
        except Exception:  # a user's loss with a config we cannot read: treat it as reading probabilities
            from_logits = False
    return _LOSS_KINDS.get(str(key).lower(), "other"), from_logits


def _value_range(values: FloatArray) -> str:
    return f"values from {values.min():g} to {values.max():g}" if values.size else "no values"


def check_targets(model: Any, y: Any, loss: Any, n_rows: int, name: str = "y") -> FloatArray:
    """Targets that fit the model's output and its loss: one per row, labels the loss can read.

    - binary cross-entropy: 0/1 labels (or probabilities in [0, 1]), shape ``(n,)`` or ``(n, units)``;
    - sparse categorical cross-entropy: class indices 0 .. units - 1, shape ``(n,)``;
    - categorical cross-entropy: one row of ``units`` probabilities per sample (one-hot labels);
    - any other loss: one finite target per row.

    Returns the targets as float64, a ``(n, 1)`` column flattened to ``(n,)``.

    >>> import keras
    >>> model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    >>> check_targets(model, [0, 1, 1], "binary_crossentropy", 3).tolist()
    [0.0, 1.0, 1.0]
    >>> check_targets(model, [1, 2, 2], "binary_crossentropy", 3)
    Traceback (most recent call last):
    ...
    ValueError: y must hold the labels 0 and 1 (or probabilities in [0, 1]) for a model trained with binary cross-entropy; got values from 1 to 2
    """
    y = check_array(y, name, min_rows=1)
    if y.shape[0] != n_rows:
        raise ValueError(f"{name} must hold one target per sample ({n_rows}), got shape {y.shape}")
    units = int(model.outputs[0].shape[-1])
    if y.ndim == 2 and y.shape[1] == units == 1:
        y = y[:, 0]
    if y.ndim != 1 and y.shape[1:] != (units,):
        raise ValueError(f"{name} must have shape ({n_rows},) or ({n_rows}, {units}) for this model's {units} output(s), got {y.shape}")
    kind, _ = loss_kind(loss)
    if kind == "binary_crossentropy" and not np.all((y >= 0) & (y <= 1)):
        raise ValueError(
            f"{name} must hold the labels 0 and 1 (or probabilities in [0, 1]) for a model trained with binary "
            f"cross-entropy; got {_value_range(y)}"
        )
    if kind == "sparse_categorical_crossentropy":
        if y.ndim != 1 or not np.all((y == np.round(y)) & (y >= 0) & (y < units)):
            raise ValueError(
                f"{name} must hold one class index per sample, an integer from 0 to {units - 1} for this model's {units} "
                f"outputs (sparse categorical cross-entropy); got shape {y.shape} with {_value_range(y)}"
            )
    if kind == "categorical_crossentropy" and (y.ndim != 2 or not np.all((y >= 0) & (y <= 1))):
        raise ValueError(
            f"{name} must hold one row of {units} class probabilities per sample (one-hot labels, e.g. np.eye({units})[labels]) "
            f"for categorical cross-entropy; got shape {y.shape}"
        )
    return y
