"""Tests of nbsupport.diagnostics on tiny Keras models whose dead units are set by hand."""

import keras
import numpy as np
import pytest

from nbsupport import diagnostics as D

X = np.array([[1.0], [2.0], [3.0]])
Y = np.array([0.0, 1.0, 1.0])


def relu_model(kernel, second=None):
    """1 input -> Dense(relu) [-> Dense(relu)] -> Dense(1), with the given hidden kernels and zero biases."""
    layers = [keras.Input((1,)), keras.layers.Dense(len(kernel), activation="relu", name="h1")]
    if second is not None:
        layers.append(keras.layers.Dense(second.shape[1], activation="relu", name="h2"))
    layers.append(keras.layers.Dense(1, name="out"))
    model = keras.Sequential(layers)
    model.get_layer("h1").set_weights([np.array([kernel]), np.zeros(len(kernel))])
    if second is not None:
        model.get_layer("h2").set_weights([second, np.zeros(second.shape[1])])
    model.get_layer("out").set_weights([np.ones((model.layers[-2].units, 1)), np.zeros(1)])
    return model


def test_hidden_unit_layers_finds_dense_with_activation_and_activation_layers():
    model = keras.Sequential(
        [
            keras.Input((3,)),
            keras.layers.Dense(4, activation="tanh", name="a"),
            keras.layers.Dense(4, name="b"),  # linear: its units are read after the next layer
            keras.layers.LeakyReLU(negative_slope=0.01, name="c"),
            keras.layers.Dense(4, name="d"),
            keras.layers.PReLU(name="e"),
            keras.layers.Dense(1, activation="sigmoid", name="out"),
        ]
    )
    assert [layer.name for layer in D.hidden_unit_layers(model)] == ["a", "c", "e"]


def test_never_active_fraction_counts_units_that_never_fire():
    model = relu_model([1.0, -1.0, -2.0, 3.0])
    assert D.never_active_fraction_per_layer(model, X) == {"h1": 0.5}
    assert D.never_active_fraction(model, X) == 0.5
    out = D.hidden_activations(model, X)["h1"]
    np.testing.assert_allclose(out, np.maximum(X * [1.0, -1.0, -2.0, 3.0], 0.0))


def test_a_unit_active_on_one_sample_is_not_dead():
    model = relu_model([1.0, -1.0])
    assert D.never_active_fraction(model, np.array([[-1.0], [2.0]])) == 0.0


def test_fractions_pool_layers_by_unit_count():
    # h1: 1 of 2 dead; h2 (4 units): kernel rows for the live h1 unit decide; 3 of 4 dead
    second = np.array([[1.0, -1.0, -1.0, -1.0], [5.0, 5.0, 5.0, 5.0]])
    model = relu_model([1.0, -1.0], second)
    assert D.never_active_fraction_per_layer(model, X) == {"h1": 0.5, "h2": 0.75}
    assert D.never_active_fraction(model, X) == pytest.approx(4 / 6)


def test_zero_gradient_matches_dead_relu_units():
    model = relu_model([1.0, -1.0, -2.0, 3.0])
    assert D.zero_gradient_fraction_per_layer(model, X, Y, loss="mse") == {"h1": 0.5}
    assert D.zero_gradient_fraction(model, X, Y, loss="mse") == 0.5
    grads = D.weight_gradients(model, X, Y, loss="mse")
    assert list(grads) == ["h1", "out"] and grads["h1"].shape == (1, 4)
    assert np.all(grads["h1"][:, [1, 2]] == 0) and np.all(grads["h1"][:, [0, 3]] != 0)


def test_weight_gradients_match_a_hand_computation():
    model = relu_model([2.0])  # y_hat = 2x for x > 0; mse loss, d/dk mean((k x - y)^2) = mean(2 (k x - y) x)
    expected = np.mean(2 * (2.0 * X[:, 0] - Y) * X[:, 0])
    np.testing.assert_allclose(D.weight_gradients(model, X, Y, loss="mse")["h1"], [[expected]], rtol=1e-6)


def test_leaky_units_below_zero_still_get_a_gradient():
    model = keras.Sequential(
        [keras.Input((1,)), keras.layers.Dense(2, name="h"), keras.layers.LeakyReLU(negative_slope=0.01, name="act"),
         keras.layers.Dense(1, name="out")]
    )
    model.get_layer("h").set_weights([np.array([[1.0, -1.0]]), np.zeros(2)])
    assert D.never_active_fraction(model, X) == 0.5
    assert D.zero_gradient_fraction(model, X, Y, loss="mse") == 0.0


def test_the_compiled_loss_is_the_default():
    model = relu_model([1.0, -1.0])
    model.compile(optimizer="sgd", loss="mse")
    assert D.zero_gradient_fraction(model, X, Y) == 0.5


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda m: D.never_active_fraction("model", X), TypeError, "model must be a keras.Model"),
        (lambda m: D.never_active_fraction(m, np.ones((3, 2))), ValueError, r"x must have shape \(n_samples, 1\)"),
        (lambda m: D.never_active_fraction(m, np.ones((0, 1))), ValueError, "x must hold at least 1 row"),
        (lambda m: D.never_active_fraction(m, np.array([[1.0], [np.nan]])), ValueError, "x must hold finite numbers only"),
        (lambda m: D.zero_gradient_fraction(m, np.array([[np.inf], [1.0]]), Y, loss="mse"), ValueError, "x must hold finite numbers only"),
        (lambda m: D.zero_gradient_fraction(m, X, np.array([np.nan, 1.0]), loss="mse"), ValueError, "y must hold finite numbers only"),
        (lambda m: D.never_active_fraction(m, "x"), TypeError, "x must be a real number"),
        (lambda m: D.never_active_fraction(m, X, layers="h1"), TypeError, "layers must be a list of layer names"),
        (lambda m: D.never_active_fraction(m, X, layers=[]), ValueError, "layers must hold at least 1"),
        (lambda m: D.never_active_fraction(m, X, layers=["nope"]), ValueError, r"unknown layer\(s\) \['nope'\]"),
        (lambda m: D.zero_gradient_fraction(m, X, Y), ValueError, "not compiled with a loss"),
        (lambda m: D.zero_gradient_fraction(m, X, Y, loss="no_such_loss"), ValueError, "loss must be a Keras loss"),
        (lambda m: D.zero_gradient_fraction(m, X, Y[:2], loss="mse"), ValueError, "y must have one target per sample"),
        (lambda m: D.zero_gradient_fraction(m, X, 1.0, loss="mse"), ValueError, "y must have one target per sample"),
    ],
)
def test_bad_input_is_named(call, error, message):
    with pytest.raises(error, match=message):
        call(relu_model([1.0, -1.0]))


def test_models_without_hidden_units_are_refused():
    linear = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="no hidden layer with an activation"):
        D.never_active_fraction(linear, X)
    with pytest.raises(ValueError, match="single Dense layer"):
        D.zero_gradient_fraction(linear, X, Y, loss="mse")
    unbuilt = keras.Sequential([keras.layers.Dense(1)])
    with pytest.raises(ValueError, match="keras.Input"):
        D.never_active_fraction(unbuilt, X)
