"""Activation functions and their derivatives, written in numpy so the formulas stay visible.

Every function accepts a real number or an array of real numbers and returns a float array of
the same shape (elementwise, like numpy: NaN in, NaN out; softmax refuses non-finite scores). All of
them are stable for large inputs: no overflow, no warning and no NaN at ``x = +-1000``, and at
``x = +-inf`` each gives its limit (``gelu_derivative(inf) = 1``, not ``inf * 0 = NaN``).

Look one up by name with :func:`get`; :func:`names` lists the valid names.

>>> from nbsupport import activations
>>> relu = activations.get("relu")
>>> relu.f([-1.0, 2.0]).tolist(), relu.df([-1.0, 2.0]).tolist()
([0.0, 2.0], [0.0, 1.0])
"""

from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as np
from numpy.typing import ArrayLike
from scipy import special

from nbsupport._validation import FloatArray, as_float_array, check_array, check_scalar

__all__ = [
    "Activation",
    "get",
    "names",
    "linear",
    "linear_derivative",
    "relu",
    "relu_derivative",
    "leaky_relu",
    "leaky_relu_derivative",
    "prelu",
    "prelu_derivative",
    "elu",
    "elu_derivative",
    "selu",
    "selu_derivative",
    "gelu",
    "gelu_derivative",
    "silu",
    "silu_derivative",
    "sigmoid",
    "sigmoid_derivative",
    "tanh",
    "tanh_derivative",
    "softmax",
    "softmax_jacobian",
    "keras_equivalent",
    "SELU_ALPHA",
    "SELU_SCALE",
]

# Klambauer et al. (2017), "Self-Normalizing Neural Networks": the fixed point of mean 0, variance 1.
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


# The allowed range of each activation's parameter: Leaky ReLU's slope is >= 0 (as Keras's LeakyReLU
# requires), ELU's alpha > 0, PReLU's learned slope any finite number.
_PARAMETER_RANGES = {"leaky_relu": (0.0, "both"), "elu": (0.0, "right"), "prelu": (None, "both")}


def _nan_kept(x: FloatArray, slopes: Any) -> Any:
    """``slopes``, with NaN wherever ``x`` is NaN (a comparison such as ``x > 0`` reads NaN as False)."""
    nan = np.isnan(x)
    if not np.any(nan):
        return slopes
    values = np.where(nan, np.nan, slopes)
    return values[()] if values.ndim == 0 else values


def _check_slope(value: Any, activation: str) -> float:
    min_val, boundaries = _PARAMETER_RANGES[activation]
    return check_scalar(value, "alpha", min_val=min_val, include_boundaries=boundaries)


# --- the identity ---------------------------------------------------------------------------


def linear(x: ArrayLike) -> FloatArray:
    """Identity ``f(x) = x``: the output of a regression network.

    >>> linear([-2.0, 3.0]).tolist()
    [-2.0, 3.0]
    """
    return as_float_array(x).copy()


def linear_derivative(x: ArrayLike) -> FloatArray:
    """Derivative of the identity: 1 everywhere.

    >>> linear_derivative([-2.0, 3.0]).tolist()
    [1.0, 1.0]
    """
    x = as_float_array(x)
    return _nan_kept(x, np.ones_like(x))


# --- the ReLU family ------------------------------------------------------------------------


def relu(x: ArrayLike) -> FloatArray:
    """Rectified linear unit ``max(0, x)``.

    >>> relu([-1.0, 0.0, 2.0]).tolist()
    [0.0, 0.0, 2.0]
    """
    return np.maximum(as_float_array(x), 0.0)


def relu_derivative(x: ArrayLike) -> FloatArray:
    """Derivative of ReLU: 1 for ``x > 0``, else 0 (0 at the kink, as TensorFlow uses).

    >>> relu_derivative([-1.0, 0.0, 2.0]).tolist()
    [0.0, 0.0, 1.0]
    """
    x = as_float_array(x)
    return _nan_kept(x, (x > 0).astype(np.float64))


def leaky_relu(x: ArrayLike, alpha: float = 0.01) -> FloatArray:
    """Leaky ReLU: ``x`` for ``x > 0``, else ``alpha * x`` (Maas et al. 2013 used 0.01).

    >>> leaky_relu([-2.0, 3.0], alpha=0.1).tolist()
    [-0.2, 3.0]
    """
    alpha = _check_slope(alpha, "leaky_relu")
    x = as_float_array(x)
    return np.where(x > 0, x, alpha * x)


def leaky_relu_derivative(x: ArrayLike, alpha: float = 0.01) -> FloatArray:
    """Derivative of Leaky ReLU: 1 for ``x > 0``, else ``alpha``.

    >>> leaky_relu_derivative([-2.0, 3.0], alpha=0.1).tolist()
    [0.1, 1.0]
    """
    alpha = _check_slope(alpha, "leaky_relu")
    x = as_float_array(x)
    return _nan_kept(x, np.where(x > 0, 1.0, alpha))


def prelu(x: ArrayLike, alpha: float = 0.25) -> FloatArray:
    """Parametric ReLU: Leaky ReLU whose slope ``alpha`` is learned (He et al. 2015 start at 0.25).

    Here ``alpha`` is a fixed parameter; in ``keras.layers.PReLU`` it is a trainable weight.

    >>> prelu([-2.0, 3.0], alpha=0.25).tolist()
    [-0.5, 3.0]
    """
    alpha = _check_slope(alpha, "prelu")
    x = as_float_array(x)
    return np.where(x > 0, x, alpha * x)


def prelu_derivative(x: ArrayLike, alpha: float = 0.25) -> FloatArray:
    """Derivative of PReLU with respect to ``x``: 1 for ``x > 0``, else ``alpha``.

    >>> prelu_derivative([-2.0, 3.0]).tolist()
    [0.25, 1.0]
    """
    alpha = _check_slope(alpha, "prelu")
    x = as_float_array(x)
    return _nan_kept(x, np.where(x > 0, 1.0, alpha))


def elu(x: ArrayLike, alpha: float = 1.0) -> FloatArray:
    """Exponential linear unit: ``x`` for ``x > 0``, else ``alpha * (exp(x) - 1)``.

    >>> elu([0.0, 2.0]).tolist()
    [0.0, 2.0]
    """
    alpha = _check_slope(alpha, "elu")
    x = as_float_array(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_derivative(x: ArrayLike, alpha: float = 1.0) -> FloatArray:
    """Derivative of ELU: 1 for ``x > 0``, else ``alpha * exp(x)``.

    >>> elu_derivative([0.0, 2.0]).tolist()
    [1.0, 1.0]
    """
    alpha = _check_slope(alpha, "elu")
    x = as_float_array(x)
    return _nan_kept(x, np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0))))


def selu(x: ArrayLike) -> FloatArray:
    """Scaled ELU, ``SELU_SCALE * elu(x, SELU_ALPHA)``: self-normalising with LeCun-normal weights.

    >>> round(float(selu(1.0)), 4)
    1.0507
    """
    return SELU_SCALE * elu(x, SELU_ALPHA)


def selu_derivative(x: ArrayLike) -> FloatArray:
    """Derivative of SELU: ``SELU_SCALE`` for ``x > 0``, else ``SELU_SCALE * SELU_ALPHA * exp(x)``.

    >>> round(float(selu_derivative(1.0)), 4)
    1.0507
    """
    return SELU_SCALE * elu_derivative(x, SELU_ALPHA)


def _with_limits(formula: Callable[[FloatArray], Any], x: FloatArray, at_plus_inf: float, at_minus_inf: float) -> Any:
    """``formula(x)`` at finite points, and the limits at ``+inf`` and ``-inf``, where the formula gives ``inf * 0 = NaN``.

    Without infinities ``formula(x)`` is returned untouched; with them, the formula sees 0 in their
    place and their entries are then replaced, so every finite entry is the same to the last bit.
    """
    infinite = np.isinf(x)
    if not np.any(infinite):
        return formula(x)
    values = np.where(x == np.inf, at_plus_inf, np.where(x == -np.inf, at_minus_inf, formula(np.where(infinite, 0.0, x))))
    return values[()] if values.ndim == 0 else values  # a numpy scalar for a scalar, as the formula gives


def gelu(x: ArrayLike) -> FloatArray:
    """Gaussian error linear unit (exact form): ``x * Phi(x)``, Phi the standard normal CDF.

    The limits are ``gelu(+inf) = +inf`` and ``gelu(-inf) = 0`` (``-0.0``, as the formula gives for
    every large negative ``x``).

    >>> round(float(gelu(1.0)), 4)
    0.8413
    >>> gelu([-np.inf, np.inf]).tolist()
    [-0.0, inf]
    """
    x = as_float_array(x)
    return _with_limits(lambda v: v * special.ndtr(v), x, np.inf, -0.0)


def gelu_derivative(x: ArrayLike) -> FloatArray:
    """Derivative of GELU: ``Phi(x) + x * phi(x)``, phi the standard normal density.

    The limits are 1 at ``+inf`` and 0 at ``-inf``.

    >>> round(float(gelu_derivative(0.0)), 4)
    0.5
    >>> gelu_derivative([-np.inf, np.inf]).tolist()
    [0.0, 1.0]
    """

    def formula(v: FloatArray) -> Any:
        clipped = np.minimum(np.abs(v), 40.0)  # exp(-800) underflows to 0: clipping changes nothing
        density = np.exp(-0.5 * clipped * clipped) / math.sqrt(2.0 * math.pi)
        return special.ndtr(v) + v * density

    return _with_limits(formula, as_float_array(x), 1.0, 0.0)


def silu(x: ArrayLike) -> FloatArray:
    """Sigmoid linear unit, also called swish: ``x * sigmoid(x)``.

    The limits are ``silu(+inf) = +inf`` and ``silu(-inf) = 0`` (``-0.0``, as for every large negative ``x``).

    >>> round(float(silu(1.0)), 4)
    0.7311
    >>> silu([-np.inf, np.inf]).tolist()
    [-0.0, inf]
    """
    x = as_float_array(x)
    return _with_limits(lambda v: v * sigmoid(v), x, np.inf, -0.0)


def silu_derivative(x: ArrayLike) -> FloatArray:
    """Derivative of SiLU: ``s + x * s * (1 - s)`` with ``s = sigmoid(x)``.

    The limits are 1 at ``+inf`` and 0 at ``-inf``.

    >>> float(silu_derivative(0.0))
    0.5
    >>> silu_derivative([-np.inf, np.inf]).tolist()
    [0.0, 1.0]
    """

    def formula(v: FloatArray) -> Any:
        s = sigmoid(v)
        return s + v * s * (1.0 - s)

    return _with_limits(formula, as_float_array(x), 1.0, 0.0)


# --- the squashing functions ----------------------------------------------------------------


def sigmoid(x: ArrayLike) -> FloatArray:
    """Logistic sigmoid ``1 / (1 + exp(-x))``, computed without overflow.

    ``exp`` only ever sees ``-|x|``, so it can underflow to 0 but never overflow.

    >>> sigmoid([-1000.0, 0.0, 1000.0]).tolist()
    [0.0, 0.5, 1.0]
    """
    x = as_float_array(x)
    small = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + small), small / (1.0 + small))


def sigmoid_derivative(x: ArrayLike) -> FloatArray:
    """Derivative of the sigmoid, ``s * (1 - s)``: at most 0.25, reached at ``x = 0``.

    >>> float(sigmoid_derivative(0.0))
    0.25
    """
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x: ArrayLike) -> FloatArray:
    """Hyperbolic tangent ``(exp(x) - exp(-x)) / (exp(x) + exp(-x))``, via numpy's stable ``tanh``.

    >>> tanh([0.0]).tolist()
    [0.0]
    """
    return np.tanh(as_float_array(x))


def tanh_derivative(x: ArrayLike) -> FloatArray:
    """Derivative of tanh, ``1 - tanh(x)**2``: at most 1, reached at ``x = 0``.

    >>> float(tanh_derivative(0.0))
    1.0
    """
    t = tanh(x)
    return 1.0 - t * t


# --- softmax ---------------------------------------------------------------------------------


def _check_softmax_input(x: ArrayLike, axis: Any) -> tuple[FloatArray, int]:
    x = check_array(x, "x")
    if x.ndim == 0:
        raise ValueError("x must have at least one dimension for softmax (a vector of scores), got a scalar")
    axis = check_scalar(axis, "axis", numbers.Integral, min_val=-x.ndim, max_val=x.ndim - 1)
    if x.shape[axis] == 0:
        raise ValueError(f"x must hold at least one score along axis {axis}, got shape {x.shape}")
    return x, axis


def softmax(x: ArrayLike, axis: int = -1) -> FloatArray:
    """Softmax ``exp(x_i) / sum_j exp(x_j)`` along ``axis``, with the maximum subtracted first.

    Subtracting the maximum changes nothing mathematically (softmax ignores a constant shift) but
    keeps ``exp`` from overflowing.

    >>> softmax([1000.0, 1000.0]).tolist()
    [0.5, 0.5]
    """
    x, axis = _check_softmax_input(x, axis)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def softmax_jacobian(x: ArrayLike) -> FloatArray:
    """Jacobian of softmax over the last axis: ``J[i, j] = s_i * (delta_ij - s_j)``.

    For ``x`` of shape ``(..., n)`` returns shape ``(..., n, n)``.

    >>> softmax_jacobian([0.0, 0.0]).tolist()
    [[0.25, -0.25], [-0.25, 0.25]]
    """
    s = softmax(x, axis=-1)
    return s[..., :, None] * (np.eye(s.shape[-1]) - s[..., None, :])


# --- lookup by name --------------------------------------------------------------------------


@dataclass(frozen=True)
class Activation:
    """An activation function with its derivative, as returned by :func:`get`.

    Attributes
    ----------
    name : str
        The canonical name, as :func:`names` lists it.
    f : callable
        The function, ``f(x) -> array``.
    df : callable
        Its derivative, ``df(x) -> array`` (for softmax: the Jacobian, shape ``(..., n, n)``).
    formula : str
        The definition in LaTeX, for plot titles and markdown.
    params : dict
        The parameters bound into ``f`` and ``df`` (for example ``{"alpha": 0.01}``).
    """

    name: str
    f: Callable[[ArrayLike], FloatArray] = field(repr=False)
    df: Callable[[ArrayLike], FloatArray] = field(repr=False)
    formula: str = field(repr=False)
    params: dict = field(default_factory=dict)

    def __call__(self, x: ArrayLike) -> FloatArray:
        return self.f(x)


_REGISTRY: dict[str, tuple[Callable, Callable, str, dict]] = {
    "linear": (linear, linear_derivative, r"f(x) = x", {}),
    "relu": (relu, relu_derivative, r"f(x) = \max(0, x)", {}),
    "leaky_relu": (leaky_relu, leaky_relu_derivative, r"f(x) = \max(\alpha x, x)", {"alpha": 0.01}),
    "prelu": (prelu, prelu_derivative, r"f(x) = \max(\alpha x, x),\ \alpha\ \mathrm{learned}", {"alpha": 0.25}),
    "elu": (elu, elu_derivative, r"f(x) = x\ (x>0),\ \alpha(e^x - 1)\ (x \leq 0)", {"alpha": 1.0}),
    "selu": (selu, selu_derivative, r"f(x) = \lambda\,\mathrm{ELU}_\alpha(x)", {}),
    "gelu": (gelu, gelu_derivative, r"f(x) = x\,\Phi(x)", {}),
    "silu": (silu, silu_derivative, r"f(x) = x\,\sigma(x)", {}),
    "sigmoid": (sigmoid, sigmoid_derivative, r"\sigma(x) = 1 / (1 + e^{-x})", {}),
    "tanh": (tanh, tanh_derivative, r"f(x) = (e^x - e^{-x}) / (e^x + e^{-x})", {}),
    "softmax": (softmax, softmax_jacobian, r"f(x)_i = e^{x_i} / \sum_j e^{x_j}", {}),
}
_ALIASES = {"swish": "silu", "identity": "linear", "logistic": "sigmoid"}


def names() -> list[str]:
    """The canonical names :func:`get` accepts (aliases such as ``"swish"`` also work).

    >>> "relu" in names()
    True
    """
    return list(_REGISTRY)


def get(name: str, **params: float) -> Activation:
    """Look up an activation by name; keyword arguments set its parameters (``alpha``).

    Parameters
    ----------
    name : str
        One of :func:`names`, or the aliases ``"swish"``, ``"identity"``, ``"logistic"``. Case and
        hyphens are ignored (``"Leaky-ReLU"`` works).
    **params : float
        Parameters of the function; only ``leaky_relu`` (slope ``alpha >= 0``, default 0.01),
        ``prelu`` (any finite ``alpha``, default 0.25) and ``elu`` (``alpha > 0``, default 1) take one.

    Returns
    -------
    Activation

    Raises
    ------
    TypeError
        If ``name`` is not a str, a parameter is unknown or not a number.
    ValueError
        If ``name`` is unknown or a parameter is out of range.

    Examples
    --------
    >>> get("leaky_relu", alpha=0.1).f(-1.0).item()
    -0.1
    >>> get("softmax").f([0.0, 0.0]).tolist()
    [0.5, 0.5]
    """
    if not isinstance(name, str):
        raise TypeError(f"name must be a str, one of {names()}; got {type(name).__name__} {name!r}")
    key = name.strip().lower().replace("-", "_").replace(" ", "_")
    key = _ALIASES.get(key, key)
    if key not in _REGISTRY:
        raise ValueError(f"unknown activation {name!r}; valid names are {names()} (aliases: {sorted(_ALIASES)})")
    f, df, formula, defaults = _REGISTRY[key]
    unknown = set(params) - set(defaults)
    if unknown:
        allowed = sorted(defaults) or "none"
        raise TypeError(f"{key} got unexpected parameter(s) {sorted(unknown)}; allowed: {allowed}")
    bound = {**defaults, **params}
    for param, value in bound.items():
        _check_slope(value, key)
    if bound:
        f = functools.partial(f, **bound)
        df = functools.partial(df, **bound)
    return Activation(name=key, f=f, df=df, formula=formula, params=bound)


def keras_equivalent(name: str, **params: float) -> Callable[[Any], Any]:
    """The same activation in Keras, with the same parameters: a function of a tensor of any shape.

    The course's reference table from each name to Keras: chapter 1 and the tests check every numpy
    formula here against it (values and ``GradientTape`` derivatives). Watch the defaults it sets
    explicitly: ``keras.activations.leaky_relu`` has slope 0.2 unless told, the ``LeakyReLU`` layer 0.3,
    this course 0.01; ``keras.activations.gelu`` is exact (``approximate=False``). PReLU is a layer with a
    learned slope: here one with every slope set to ``alpha``, applied unit by unit.

    Parameters
    ----------
    name : str
        One of :func:`names` or an alias, as for :func:`get`.
    **params : float
        ``alpha`` for ``leaky_relu``, ``prelu`` and ``elu`` (the defaults of :func:`get` otherwise).

    Returns
    -------
    callable
        A function from a ``tf.Tensor`` to a ``tf.Tensor`` of the same shape (softmax: along the last
        axis); its ``__name__`` spells out the Keras call.

    Raises
    ------
    TypeError, ValueError
        As :func:`get` does for a bad name or parameter.

    Examples
    --------
    >>> import numpy as np
    >>> leaky = keras_equivalent("leaky_relu")
    >>> leaky.__name__
    'keras.activations.leaky_relu(x, negative_slope=0.01)'
    >>> np.asarray(leaky(np.array([-1.0, 2.0]))).round(6).tolist()
    [-0.01, 2.0]
    """
    import keras

    act = get(name, **params)
    alpha = act.params.get("alpha")
    a = "" if alpha is None else f"{alpha:g}"

    def prelu_layer(t: Any) -> Any:
        flat = keras.ops.reshape(t, (-1, 1))  # one PReLU unit, applied to every entry
        layer = keras.layers.PReLU(alpha_initializer=keras.initializers.Constant(alpha), dtype=flat.dtype)
        return keras.ops.reshape(layer(flat), keras.ops.shape(t))

    table: dict[str, tuple[Callable[[Any], Any], str]] = {
        "linear": (keras.activations.linear, "keras.activations.linear(x)"),
        "relu": (keras.activations.relu, "keras.activations.relu(x)"),
        "leaky_relu": (lambda t: keras.activations.leaky_relu(t, negative_slope=alpha), f"keras.activations.leaky_relu(x, negative_slope={a})"),
        "prelu": (prelu_layer, f"keras.layers.PReLU(alpha_initializer=Constant({a}))(x)"),
        "elu": (lambda t: keras.activations.elu(t, alpha=alpha), f"keras.activations.elu(x, alpha={a})"),
        "selu": (keras.activations.selu, "keras.activations.selu(x)"),
        "gelu": (lambda t: keras.activations.gelu(t, approximate=False), "keras.activations.gelu(x, approximate=False)"),
        "silu": (keras.activations.silu, "keras.activations.silu(x)"),
        "sigmoid": (keras.activations.sigmoid, "keras.activations.sigmoid(x)"),
        "tanh": (keras.activations.tanh, "keras.activations.tanh(x)"),
        "softmax": (lambda t: keras.activations.softmax(t, axis=-1), "keras.activations.softmax(x, axis=-1)"),
    }
    fn, call = table[act.name]

    def equivalent(t: Any) -> Any:
        return fn(t)

    equivalent.__name__ = equivalent.__qualname__ = call
    equivalent.__doc__ = f"{act.name} in Keras: {call}"
    return equivalent
