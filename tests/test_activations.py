import math
import warnings

import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy import special

from nbsupport import activations as A

ELEMENTWISE = [n for n in A.names() if n != "softmax"]
# points away from kinks, where f is differentiable
X = np.array([-6.0, -2.5, -1.0, -0.3, 0.2, 0.7, 1.5, 3.0, 6.0])
finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
vectors = hnp.arrays(np.float64, st.integers(1, 8), elements=finite)


def test_names_cover_the_issue():
    expected = {"relu", "leaky_relu", "prelu", "elu", "selu", "gelu", "silu", "sigmoid", "tanh", "softmax"}
    assert expected <= set(A.names())


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_matches_keras(name):
    ours = A.get(name).f(X)
    theirs = np.asarray(A.keras_equivalent(name)(tf.constant(X, dtype=tf.float64)))
    np.testing.assert_allclose(ours, theirs, rtol=1e-6, atol=1e-12)


def test_softmax_matches_keras():
    x = np.array([[1.0, 2.0, 3.0], [-5.0, 0.0, 5.0]])
    np.testing.assert_allclose(A.softmax(x), A.keras_equivalent("softmax")(tf.constant(x)), rtol=1e-12)


def test_the_keras_table_covers_every_name_and_sets_parameters():
    for name in A.names():
        assert callable(A.keras_equivalent(name))
    x = tf.constant([-2.0, 3.0], dtype=tf.float64)
    np.testing.assert_allclose(A.keras_equivalent("leaky_relu", alpha=0.3)(x), [-0.6, 3.0])
    np.testing.assert_allclose(A.keras_equivalent("prelu", alpha=0.5)(tf.reshape(x, (1, 2))), [[-1.0, 3.0]])
    np.testing.assert_allclose(A.keras_equivalent("elu", alpha=2.0)(x), A.elu([-2.0, 3.0], alpha=2.0))
    with pytest.raises(ValueError, match="unknown activation"):
        A.keras_equivalent("rellu")


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_gradient_tape(name):
    x = tf.Variable(X)
    with tf.GradientTape() as tape:
        y = A.keras_equivalent(name)(x)
    tape_grad = tape.gradient(y, x)
    np.testing.assert_allclose(A.get(name).df(X), tape_grad.numpy(), rtol=1e-6, atol=1e-12)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_finite_differences(name):
    act = A.get(name)
    h = 1e-6
    numeric = (act.f(X + h) - act.f(X - h)) / (2 * h)
    np.testing.assert_allclose(act.df(X), numeric, rtol=1e-6, atol=1e-8)


def test_softmax_jacobian_matches_gradient_tape_and_finite_differences():
    x = np.array([0.3, -1.2, 2.0, 0.0])
    xt = tf.Variable(x)
    with tf.GradientTape() as tape:
        y = tf.nn.softmax(xt)
    tape_jac = tape.jacobian(y, xt).numpy()
    h = 1e-6
    numeric = np.stack([(A.softmax(x + h * e) - A.softmax(x - h * e)) / (2 * h) for e in np.eye(4)], axis=1)
    np.testing.assert_allclose(A.softmax_jacobian(x), tape_jac, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(A.softmax_jacobian(x), numeric, rtol=1e-6, atol=1e-9)


def test_softmax_jacobian_batches():
    x = np.random.default_rng(0).normal(size=(5, 3))
    jac = A.softmax_jacobian(x)
    assert jac.shape == (5, 3, 3)
    np.testing.assert_allclose(jac[2], A.softmax_jacobian(x[2]))


@pytest.mark.parametrize("name", A.names())
def test_stable_at_plus_minus_1000(name):
    act = A.get(name)
    x = np.array([-1000.0, -1.0, 0.0, 1.0, 1000.0])
    with warnings.catch_warnings(), np.errstate(over="raise", invalid="raise", divide="raise"):
        warnings.simplefilter("error")
        y, dy = act.f(x), act.df(x)
    assert np.all(np.isfinite(y)) and np.all(np.isfinite(dy))


def test_known_values():
    assert A.sigmoid_derivative(0.0) == 0.25
    assert A.tanh_derivative(0.0) == 1.0
    grid = np.linspace(-10, 10, 20001)
    assert np.max(A.sigmoid_derivative(grid)) == pytest.approx(0.25)
    assert np.max(A.tanh_derivative(grid)) == pytest.approx(1.0)
    assert np.all(A.relu_derivative(grid[grid > 0]) == 1.0)
    assert A.selu(1.0) == pytest.approx(A.SELU_SCALE)


def test_parameters_change_the_slope():
    assert A.get("leaky_relu", alpha=0.2).f(-1.0) == pytest.approx(-0.2)
    assert A.get("prelu", alpha=0.5).df(-1.0) == pytest.approx(0.5)
    assert A.get("elu", alpha=2.0).f(-100.0) == pytest.approx(-2.0)
    assert A.get("leaky_relu").params == {"alpha": 0.01}


def test_aliases_and_spelling():
    assert A.get("swish").name == "silu"
    assert A.get("Leaky-ReLU").name == "leaky_relu"
    assert A.get("relu")([-1.0, 1.0]).tolist() == [0.0, 1.0]


def test_shape_and_dtype_preserved():
    x = np.arange(6, dtype=np.int64).reshape(2, 3)
    for name in ELEMENTWISE:
        out = A.get(name).f(x)
        assert out.shape == (2, 3) and out.dtype == np.float64


# --- property tests -------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(vectors, finite)
def test_softmax_sums_to_one_and_ignores_shift(x, c):
    s = A.softmax(x)
    assert s.sum() == pytest.approx(1.0)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(A.softmax(x + c), s, rtol=1e-9, atol=1e-12)


@settings(max_examples=60, deadline=None)
@given(finite, finite)
def test_softmax_of_two_is_sigmoid_of_difference(a, b):
    assert A.softmax([a, b])[0] == pytest.approx(float(A.sigmoid(a - b)), rel=1e-9, abs=1e-300)


@settings(max_examples=100, deadline=None)
@given(vectors)
def test_sigmoid_symmetry_and_range(x):
    np.testing.assert_allclose(A.sigmoid(-x), 1.0 - A.sigmoid(x), atol=1e-15)
    assert np.all((A.sigmoid(x) >= 0) & (A.sigmoid(x) <= 1))
    assert np.all(A.sigmoid_derivative(x) <= 0.25)


@settings(max_examples=100, deadline=None)
@given(vectors)
def test_tanh_is_a_rescaled_sigmoid(x):
    np.testing.assert_allclose(A.tanh(x), 2.0 * A.sigmoid(2.0 * x) - 1.0, atol=1e-14)
    assert np.all(np.abs(A.tanh(x)) <= 1)
    assert np.all((A.tanh_derivative(x) >= 0) & (A.tanh_derivative(x) <= 1))


@settings(max_examples=100, deadline=None)
@given(vectors)
def test_relu_family_ranges(x):
    assert np.all(A.relu(x) >= 0)
    assert np.all(A.elu(x) > -1.0 - 1e-12)
    assert np.all(A.selu(x) > -A.SELU_SCALE * A.SELU_ALPHA - 1e-12)
    np.testing.assert_allclose(A.relu(x) - A.relu(-x), x)


# --- bad input --------------------------------------------------------------------------------


def test_unknown_name_lists_valid_names():
    with pytest.raises(ValueError, match=r"unknown activation 'rellu'.*'relu'.*'softmax'"):
        A.get("rellu")


def test_name_must_be_a_string():
    with pytest.raises(TypeError, match="name must be a str"):
        A.get(3)


def test_unknown_parameter():
    with pytest.raises(TypeError, match=r"relu got unexpected parameter\(s\) \['alpha'\]; allowed: none"):
        A.get("relu", alpha=0.1)


@pytest.mark.parametrize("alpha", [float("nan"), float("inf")])
def test_non_finite_slope(alpha):
    with pytest.raises(ValueError, match="alpha must be a finite number"):
        A.get("leaky_relu", alpha=alpha)


def test_leaky_relu_slope_must_not_be_negative():
    with pytest.raises(ValueError, match=r"alpha must be a finite number in \[0, inf\), got -0.1"):
        A.leaky_relu(1.0, alpha=-0.1)
    with pytest.raises(ValueError, match=r"alpha must be a finite number in \[0, inf\)"):
        A.get("leaky_relu", alpha=-0.01)
    assert A.prelu([-2.0], alpha=-0.5).tolist() == [1.0]  # a learned PReLU slope may be negative


def test_elu_alpha_must_be_positive():
    with pytest.raises(ValueError, match=r"alpha must be a finite number in \(0, inf\), got 0.0"):
        A.elu(1.0, alpha=0.0)


def test_slope_must_be_a_number():
    with pytest.raises(TypeError, match="alpha must be a finite number .*, got str '0.1'"):
        A.leaky_relu(1.0, alpha="0.1")


@pytest.mark.parametrize("bad", ["1.0", [1, "a"], np.array([1 + 2j]), np.array([True]), [[1, 2], [3]]])
def test_non_numeric_x(bad):
    with pytest.raises(TypeError, match="x must be a real number or an array of real numbers"):
        A.relu(bad)


def test_softmax_axis_errors():
    with pytest.raises(ValueError, match=r"axis must be an int in \[-1, 0\], got 1"):
        A.softmax([1.0, 2.0], axis=1)
    with pytest.raises(TypeError, match="axis must be an int"):
        A.softmax([1.0, 2.0], axis=0.5)
    with pytest.raises(ValueError, match="at least one dimension"):
        A.softmax(1.0)


@pytest.mark.parametrize("bad", [[], np.zeros((2, 0))])
def test_softmax_of_nothing(bad):
    with pytest.raises(ValueError, match="x must hold at least one score along axis -1"):
        A.softmax(bad)


def test_softmax_refuses_non_finite_scores():
    with pytest.raises(ValueError, match="x must hold finite numbers only"):
        A.softmax([1.0, np.inf])


# --- the limits at +-inf (GELU and SiLU gave inf * 0 = NaN) ----------------------------------


def _old_gelu(x):
    x = np.asarray(x, dtype=float)
    return x * special.ndtr(x)


def _old_gelu_derivative(x):
    x = np.asarray(x, dtype=float)
    clipped = np.minimum(np.abs(x), 40.0)
    return special.ndtr(x) + x * (np.exp(-0.5 * clipped * clipped) / math.sqrt(2.0 * math.pi))


def _old_silu(x):
    x = np.asarray(x, dtype=float)
    return x * A.sigmoid(x)


def _old_silu_derivative(x):
    x = np.asarray(x, dtype=float)
    s = A.sigmoid(x)
    return s + x * s * (1.0 - s)


# The formulas as they were before the limits at +-inf were added: the notebooks' stored outputs
# depend on every finite value, so these must not move by one bit.
OLD_FORMULAS = {
    "gelu": (_old_gelu, _old_gelu_derivative),
    "silu": (_old_silu, _old_silu_derivative),
}
MAGNITUDES = np.logspace(-320, 308, 4000)
DENSE_GRID = np.concatenate([np.linspace(-60.0, 60.0, 1_200_001), MAGNITUDES, -MAGNITUDES, [0.0, -0.0, 5e-324, -5e-324]])


@pytest.mark.parametrize("name", list(OLD_FORMULAS))
@pytest.mark.parametrize("with_infinities", [False, True], ids=["finite", "with-inf"])
def test_finite_values_are_unchanged_to_the_last_bit(name, with_infinities):
    x = np.concatenate([DENSE_GRID, [np.inf, -np.inf, np.nan]]) if with_infinities else DENSE_GRID
    act = A.get(name)
    with np.errstate(invalid="ignore"):
        for new, old in zip((act.f(x), act.df(x)), (formula(x) for formula in OLD_FORMULAS[name])):
            where = np.isfinite(old)
            assert where.sum() >= DENSE_GRID.size
            np.testing.assert_array_equal(new[where].view(np.uint64), old[where].view(np.uint64))  # bit for bit, -0.0 too


@pytest.mark.parametrize(
    "function, at_plus_inf, at_minus_inf",
    [(A.gelu, np.inf, 0.0), (A.silu, np.inf, 0.0), (A.gelu_derivative, 1.0, 0.0), (A.silu_derivative, 1.0, 0.0)],
    ids=["gelu", "silu", "gelu_derivative", "silu_derivative"],
)
def test_gelu_and_silu_reach_their_limits_at_infinity(function, at_plus_inf, at_minus_inf):
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        values = function([np.inf, -np.inf, np.nan, 1.0])
        scalar = function(np.inf), function(-np.inf)
    assert values[0] == at_plus_inf and values[1] == at_minus_inf and np.isnan(values[2])  # NaN in, NaN out
    assert values[3] == function(1.0)
    assert scalar == (at_plus_inf, at_minus_inf)
    assert type(scalar[0]) is type(function(1.0)) is np.float64  # a scalar in, a numpy scalar out, as before
    # the limit is where the finite values go: the value at -1e300 and at +1e300 (1e300 itself for the functions)
    assert function(-1e300) == at_minus_inf
    assert function(1e300) == (1e300 if at_plus_inf == np.inf else at_plus_inf)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_every_elementwise_function_has_a_limit_at_infinity(name):
    act = A.get(name)
    x = np.array([-np.inf, np.inf])
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        y, dy = act.f(x), act.df(x)
    assert not np.any(np.isnan(y)) and np.all(np.isfinite(dy))
    np.testing.assert_array_equal(dy, act.df([-1e300, 1e300]))  # saturated: the slope far out is the slope at infinity
    np.testing.assert_array_equal(np.sign(y), np.sign(act.f([-1e300, 1e300])))


@pytest.mark.parametrize("name", [n for n in A.names() if n != "softmax"])
def test_nan_in_nan_out_for_every_function_and_derivative(name):
    """The module promises NaN in, NaN out; a comparison such as x > 0 reads NaN as False and gave 0 or alpha."""
    activation = A.get(name)
    x = np.array([np.nan, -1.0, 2.0])
    for which, f in (("function", activation.f), ("derivative", activation.df)):
        values = f(x)
        assert np.isnan(values[0]) and np.all(np.isfinite(values[1:])), (name, which, values)
