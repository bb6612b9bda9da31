import keras
import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given, settings
from hypothesis import strategies as st

from nbsupport import activations as A
from nbsupport.derivatives import finite_difference, numerical_gradient, tape_gradient


def test_finite_difference_matches_closed_form():
    x = np.linspace(-3, 3, 13)
    np.testing.assert_allclose(finite_difference(A.tanh, x), A.tanh_derivative(x), atol=1e-9)


def test_numerical_gradient_of_a_quadratic():
    M = np.array([[3.0, 1.0], [1.0, 2.0]])
    w = np.array([0.5, -1.0])
    np.testing.assert_allclose(numerical_gradient(lambda v: 0.5 * v @ M @ v, w), M @ w, atol=1e-8)


def test_tape_gradient_elementwise_and_scalar():
    x = np.array([-1.0, 0.5, 2.0])
    np.testing.assert_allclose(tape_gradient(keras.activations.silu, x), A.silu_derivative(x), rtol=1e-10)
    np.testing.assert_allclose(tape_gradient(lambda v: tf.reduce_sum(v**2), x), 2 * x)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.floats(-3, 3), min_size=1, max_size=5))
def test_three_ways_agree_for_sigmoid(values):
    x = np.array(values)
    closed = A.sigmoid_derivative(x)
    np.testing.assert_allclose(finite_difference(A.sigmoid, x), closed, atol=1e-9)
    np.testing.assert_allclose(tape_gradient(tf.sigmoid, x), closed, atol=1e-12)


@pytest.mark.parametrize("h, error", [(0.0, ValueError), (1.0, ValueError), (float("nan"), ValueError), ("1e-6", TypeError), (True, TypeError)])
def test_bad_step(h, error):
    with pytest.raises(error, match="h must be"):
        finite_difference(np.sin, 1.0, h=h)


def test_bad_callables_and_shapes():
    with pytest.raises(TypeError, match="f must be a function"):
        finite_difference(3, 1.0)
    with pytest.raises(TypeError, match="loss must be a function"):
        numerical_gradient("loss", [1.0])
    with pytest.raises(ValueError, match=r"w must be a 1-D array of parameters, got shape \(2, 2\)"):
        numerical_gradient(np.sum, np.ones((2, 2)))
    with pytest.raises(ValueError, match="loss must return a single number"):
        numerical_gradient(lambda w: w, [1.0, 2.0])
    with pytest.raises(ValueError, match="does not depend on x"):
        tape_gradient(lambda v: tf.constant(1.0, dtype=tf.float64), [1.0])
    with pytest.raises(TypeError, match="x must be a real number"):
        tape_gradient(tf.sin, "x")
    with pytest.raises(ValueError, match="w must hold at least 1 row"):
        numerical_gradient(np.sum, [])


def test_tape_gradient_names_a_numpy_function():
    with pytest.raises(TypeError, match=r"fn must use TensorFlow or keras.ops operations .* returned ndarray .*np.sin"):
        tape_gradient(np.sin, [0.5])
    with pytest.raises(TypeError, match="returned float"):
        tape_gradient(lambda v: 3.0, [0.5])


def test_finite_difference_needs_an_elementwise_function():
    with pytest.raises(ValueError, match=r"f must be elementwise and return an array of the shape it is given \(3,\), got shape \(\)"):
        finite_difference(np.sum, [1.0, 2.0, 3.0])


@pytest.mark.parametrize("f", [finite_difference, tape_gradient])
def test_points_must_be_finite(f):
    with pytest.raises(ValueError, match="x must hold finite numbers only"):
        f(np.sin if f is finite_difference else tf.sin, [0.0, np.nan])
