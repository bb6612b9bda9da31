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
    """The gradients must be those of the compiled loss: the same as asking for it, not those of another loss."""
    model = relu_model([1.0, -1.0])
    model.compile(optimizer="sgd", loss="mae")
    default, mae, mse = (D.weight_gradients(model, X, Y, loss=loss)["h1"] for loss in (None, "mae", "mse"))
    np.testing.assert_array_equal(default, mae)
    assert not np.allclose(default, mse)


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
        (lambda m: D.zero_gradient_fraction(m, X, Y[:2], loss="mse"), ValueError, r"y must hold one target per sample \(3\)"),
        (lambda m: D.zero_gradient_fraction(m, X, 1.0, loss="mse"), ValueError, "y must hold at least 1 row"),
        (lambda m: D.zero_gradient_fraction(m, X, [0, 7, 1], loss="binary_crossentropy"), ValueError,
         r"y must hold the labels 0 and 1 .* got values from 0 to 7"),
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


# --- gradient_profile -----------------------------------------------------------------------------

from nbsupport.models import build_mlp, build_rnn  # noqa: E402


def _batch(n=64, d=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)), (rng.random(n) > 0.5).astype(float)


def test_the_output_layers_back_propagated_gradient_is_p_minus_y_over_n():
    """Sigmoid output with binary cross-entropy: dL/dz = (sigmoid(z) - y) / n at the output layer."""
    x, y = _batch()
    model = build_mlp(4, (5,), activation="tanh", seed=0)
    p = np.asarray(model(x.astype("float32"))).ravel()
    profile = D.gradient_profile(model, x, y)
    assert profile.layers == ("dense_1", "output")
    assert profile.preactivation_norms[-1] == pytest.approx(np.linalg.norm(p - y) / len(y), rel=1e-4)


def test_a_built_in_activation_gives_the_same_profile_as_a_separate_layer():
    x, y = _batch()
    separate = build_mlp(4, (6, 6), activation="sigmoid", seed=1)
    fused = keras.Sequential([keras.Input((4,)), keras.layers.Dense(6, activation="sigmoid"), keras.layers.Dense(6, activation="sigmoid"),
                              keras.layers.Dense(1, activation="sigmoid")])
    fused.set_weights(separate.get_weights())
    a = D.gradient_profile(separate, x, y)
    b = D.gradient_profile(fused, x, y, loss="binary_crossentropy")
    np.testing.assert_allclose(a.preactivation_norms, b.preactivation_norms, rtol=1e-4)
    np.testing.assert_allclose(a.weight_norms, b.weight_norms, rtol=1e-4)


def test_weight_norms_are_the_norms_of_weight_gradients():
    x, y = _batch()
    model = build_mlp(4, (5, 5), seed=2)
    profile = D.gradient_profile(model, x, y)
    expected = [np.linalg.norm(g) for g in D.weight_gradients(model, x, y).values()]
    np.testing.assert_allclose(profile.weight_norms, expected, rtol=1e-5)


def test_each_weight_gradient_is_the_layers_input_times_its_back_propagated_gradient():
    """dL/dW = x^T dL/dz: for the first layer the input is x itself, so one follows from the other."""
    x, y = _batch(n=1)
    model = build_mlp(4, (3,), seed=3)
    profile = D.gradient_profile(model, x, y, layers=["dense_1"])
    assert profile.weight_norms[0] == pytest.approx(np.linalg.norm(x) * profile.preactivation_norms[0], rel=1e-4)


def test_sigmoid_gradients_shrink_towards_the_input_and_relu_ones_much_less():
    x, y = _batch(n=128, d=10)
    sigmoid = D.gradient_profile(build_mlp(10, (50,) * 8, activation="sigmoid", seed=0), x, y)
    relu = D.gradient_profile(build_mlp(10, (50,) * 8, activation="relu", initializer="he_normal", seed=0), x, y)
    assert sigmoid.ratio() < 1e-3 < 0.1 < relu.ratio()
    assert "dense_1" in str(sigmoid) and "|dL/dz|" in str(sigmoid)


@pytest.mark.parametrize(
    "model",
    [
        lambda: build_mlp(4, (6, 6, 6), residual=True, batch_norm="before", dropout=0.2, seed=0),
        lambda: build_rnn(5, 4, cell="lstm", units=3, seed=0),
    ],
    ids=["residual+batch_norm+dropout", "lstm"],
)
def test_models_with_shortcuts_normalization_and_recurrence(model):
    m = model()
    x = np.random.default_rng(0).normal(size=(16, *m.input_shape[1:]))
    profile = D.gradient_profile(m, x, np.arange(16) % 2, training=True)
    assert np.all(np.isfinite(profile.preactivation_norms)) and np.all(profile.weight_norms > 0)


def test_gradient_profile_bad_input():
    x, y = _batch()
    model = build_mlp(4, (5,))
    with pytest.raises(ValueError, match=r"not Dense layers of the model; its Dense layers are \['dense_1', 'output'\]"):
        D.gradient_profile(model, x, y, layers=["relu_1"])
    with pytest.raises(ValueError, match="x must hold finite numbers only"):
        D.gradient_profile(model, x * np.nan, y)
    with pytest.raises(ValueError, match="y must hold one target per sample"):
        D.gradient_profile(model, x, y[:3])
    with pytest.raises(TypeError, match="training must be True or False"):
        D.gradient_profile(model, x, y, training=1)
    with pytest.raises(ValueError, match="which must be one of"):
        D.gradient_profile(model, x, y).ratio("bias")
    no_dense = keras.Sequential([keras.Input((4,)), keras.layers.Activation("relu")])
    with pytest.raises(ValueError, match="model has no Dense layer"):
        D.gradient_profile(no_dense, x, y, loss="mse")


def test_the_profile_keeps_the_gradients_for_histograms():
    x, y = _batch()
    profile = D.gradient_profile(build_mlp(4, (5, 5), seed=0), x, y)
    assert [g.shape for g in profile.preactivation_gradients] == [(64, 5), (64, 5), (64, 1)]
    np.testing.assert_allclose([np.linalg.norm(g) for g in profile.preactivation_gradients], profile.preactivation_norms, rtol=1e-6)


# --- activation_statistics ---------------------------------------------------------------------------


def test_activation_statistics_agree_with_the_outputs_and_slopes():
    x, _ = _batch(n=200, d=4)
    model = build_mlp(4, (30, 30), activation="sigmoid", seed=0)
    for layer in ("dense_1", "dense_2"):  # large weights push the sigmoid units into saturation
        kernel = model.get_layer(layer).kernel
        kernel.assign(kernel * 8.0)
    stats = D.activation_statistics(model, x)
    outputs = D.hidden_activations(model, x)
    assert stats.layers == ("sigmoid_1", "sigmoid_2")
    for i, name in enumerate(stats.layers):
        a = outputs[name]
        assert stats.mean[i] == pytest.approx(a.mean(), rel=1e-6) and stats.sd[i] == pytest.approx(a.std(), rel=1e-6)
        np.testing.assert_allclose(stats.values[i], a)
        assert stats.spread[i] == pytest.approx(a.std(axis=0).mean(), rel=1e-6)
        # flat: slope s(1 - s) under a tenth of 0.25
        assert stats.flat[i] == pytest.approx(np.mean(a * (1 - a) < 0.025), abs=0.01)
    assert stats.flat[0] > 0.3
    assert "sigmoid_1" in str(stats) and "flat" in str(stats)


def test_spread_is_zero_when_every_sample_gets_the_same_output_though_the_pooled_sd_is_not():
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(3, activation="tanh", name="h"), keras.layers.Dense(1)])
    model.get_layer("h").set_weights([np.zeros((1, 3)), np.array([-1.0, 0.0, 2.0])])  # the input is ignored
    stats = D.activation_statistics(model, X)
    assert stats.spread[0] == 0.0 and stats.sd[0] == pytest.approx(np.std(np.tanh([-1.0, 0.0, 2.0])), rel=1e-6)


def test_dead_relu_units_are_flat_on_every_sample():
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(4, name="h"), keras.layers.ReLU(name="r"), keras.layers.Dense(1)])
    model.get_layer("h").set_weights([np.array([[1.0, -1.0, -2.0, 3.0]]), np.zeros(4)])
    stats = D.activation_statistics(model, X)
    assert stats.layers == ("r",) and stats.dead[0] == 0.5 and stats.flat[0] == 0.5
    assert stats.dead[0] == D.never_active_fraction(model, X)


def test_tanh_and_leaky_relu_use_their_own_steepest_slope():
    x, _ = _batch(n=100, d=3)
    tanh = D.activation_statistics(build_mlp(3, (10,), activation="tanh", seed=0), x)
    leaky = D.activation_statistics(build_mlp(3, (10,), activation="leaky_relu", seed=0), x)
    assert 0.0 <= tanh.flat[0] < 0.2  # Glorot weights on standard inputs: few tanh units saturate
    assert 0.2 < leaky.flat[0] < 0.8 and leaky.dead[0] < 1.0  # the 0.01 side counts as flat


def test_activation_statistics_bad_input():
    model = build_mlp(4, (5,))
    with pytest.raises(ValueError, match="x must hold finite numbers only"):
        D.activation_statistics(model, np.full((3, 4), np.nan))
    with pytest.raises(ValueError, match=r"unknown layer\(s\) \['nope'\]"):
        D.activation_statistics(model, np.ones((3, 4)), layers=["nope"])
    with pytest.raises(TypeError, match="training must be True or False"):
        D.activation_statistics(model, np.ones((3, 4)), training="no")


# --- weight change and gradients through time ----------------------------------------------------------


def test_weight_change_is_relative_to_the_start():
    model = build_mlp(3, (4,), seed=0)
    start = D.kernel_snapshot(model)
    kernel = model.get_layer("dense_1").kernel
    kernel.assign(kernel * 1.5)
    changes = D.weight_change(model, start)
    assert changes["dense_1"] == pytest.approx(0.5, rel=1e-6) and changes["output"] == 0.0
    start["dense_1"][:] = 99.0  # a snapshot is a copy: changing it does not touch the model
    assert not np.allclose(model.get_layer("dense_1").kernel.numpy(), 99.0)


def test_weight_change_bad_input():
    model = build_mlp(3, (4,), seed=0)
    start = D.kernel_snapshot(model)
    with pytest.raises(TypeError, match="start must be a dict from kernel_snapshot"):
        D.weight_change(model, [1.0])
    with pytest.raises(ValueError, match="start must hold the same Dense layers as the model"):
        D.weight_change(model, {"dense_1": start["dense_1"]})
    with pytest.raises(ValueError, match=r"start\['output'\] must have the kernel's shape"):
        D.weight_change(model, {**start, "output": np.ones((2, 2))})
    with pytest.raises(ValueError, match=r"start\['output'\] is all zeros"):
        D.weight_change(model, {**start, "output": np.zeros((4, 1))})


def test_timestep_gradients_match_a_hand_computation_for_a_linear_recurrence():
    """A SimpleRNN with linear activation, input weight 1 and recurrent weight r: dL/dx_t is proportional to r^(T-1-t)."""
    linear = keras.Sequential([keras.Input((6, 1)), keras.layers.SimpleRNN(1, activation="linear"), keras.layers.Dense(1)])
    linear.compile(loss="mse")
    linear.layers[0].set_weights([np.ones((1, 1)), np.full((1, 1), 0.5), np.zeros(1)])
    linear.layers[1].set_weights([np.ones((1, 1)), np.zeros(1)])
    x = np.random.default_rng(0).normal(size=(8, 6, 1))
    norms = D.timestep_gradient_norms(linear, x, np.zeros(8))
    np.testing.assert_allclose(norms / norms[-1], 0.5 ** np.arange(5, -1, -1), rtol=1e-5)


def test_timestep_gradients_bad_input():
    with pytest.raises(ValueError, match="model must read sequences"):
        D.timestep_gradient_norms(build_mlp(3, (4,)), np.ones((2, 3)), [0, 1])
    model = build_rnn(4, units=2)
    with pytest.raises(ValueError, match="y must hold one target per sample"):
        D.timestep_gradient_norms(model, np.ones((2, 4, 1)), [0, 1, 1])
    with pytest.raises(ValueError, match=r"x must have shape \(n_samples, 4, 1\)"):
        D.timestep_gradient_norms(model, np.ones((2, 5, 1)), [0, 1])


def test_activation_statistics_on_a_model_with_shortcuts_and_batch_normalization():
    model = build_mlp(4, (8, 8, 8), residual=True, batch_norm="before", activation="tanh", seed=0)
    x, _ = _batch(n=50)
    stats = D.activation_statistics(model, x, training=True)
    assert stats.layers == ("tanh_1", "tanh_2", "tanh_3")
    # with batch statistics the pre-activations are standardised: tanh of N(0, 1) has sd about 0.63
    assert np.all((0.4 < stats.sd) & (stats.sd < 0.8)) and np.all(stats.dead == 0)


# --- float64 norms, measurements that leave the model as it was, models they cannot read ------------


def test_a_vanished_gradient_is_measured_not_rounded_to_zero():
    """A 30-layer sigmoid network: dL/dz at layer 1 is about 1e-22 an entry, representable in float32, but the
    squares (about 1e-44) are not: a float32 norm reports exactly 0. The profile's norms are float64."""
    import tensorflow as tf

    rng = np.random.default_rng(0)
    x = rng.normal(size=(200, 2))
    model = build_mlp(2, (64,) * 30, activation="sigmoid", optimizer="sgd", learning_rate=0.1, seed=0)
    profile = D.gradient_profile(model, x, (x[:, 0] > 0).astype(float))
    first = profile.preactivation_gradients[0]
    assert 0 < profile.preactivation_norms[0] < 1e-15, profile.preactivation_norms[0]
    assert profile.preactivation_norms[0] == pytest.approx(np.sqrt(np.sum(first**2)), rel=1e-12)
    assert float(tf.norm(tf.constant(first, tf.float32))) == 0.0, "the float32 norm this replaces should underflow here"
    assert np.all(profile.preactivation_norms > 0) and np.all(np.diff(np.log(profile.preactivation_norms[:29])) > 0)


def test_measuring_in_training_mode_leaves_batch_normalization_as_it_was():
    model = build_mlp(4, (6, 6), batch_norm="before", dropout=0.3, seed=0)
    x, y = _batch()
    before = [v.numpy().copy() for v in model.variables]
    D.gradient_profile(model, x + 3.0, y, training=True)
    D.activation_statistics(model, x + 3.0, training=True)
    for old, new in zip(before, model.variables):
        np.testing.assert_array_equal(old, new.numpy(), err_msg=new.path)
    moved = [v.numpy().copy() for v in model.variables]
    model(x + 3.0, training=True)  # a plain training-mode call does move them: the test can tell
    assert any(not np.array_equal(a, v.numpy()) for a, v in zip(moved, model.variables))


def test_nested_and_multi_output_models_are_refused_by_name():
    inner = keras.Sequential([keras.Input((1,)), keras.layers.Dense(4, activation="relu")], name="block")
    nested = keras.Sequential([keras.Input((1,)), inner, keras.layers.Dense(1)])
    for call in (lambda: D.gradient_profile(nested, X, Y, loss="mse"), lambda: D.kernel_snapshot(nested),
                 lambda: D.hidden_unit_layers(nested), lambda: D.never_active_fraction(nested, X)):
        with pytest.raises(ValueError, match=r"model holds other models as layers \(block\)"):
            call()
    inputs = keras.Input((1,))
    hidden = keras.layers.Dense(3, activation="relu")(inputs)
    two = keras.Model(inputs, [keras.layers.Dense(1)(hidden), keras.layers.Dense(1)(hidden)])
    for call in (lambda: D.hidden_unit_layers(two), lambda: D.gradient_profile(two, X, Y, loss="mse")):
        with pytest.raises(ValueError, match="model must have a single output, got 2 outputs"):
            call()
