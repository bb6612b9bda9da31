import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nbsupport._validation import SEED_MAX
from nbsupport._seeding import component_seed, reseeded_copy
from nbsupport.models import build_classifier, build_mlp, build_rnn, dense_parameter_counts


def _same_weights(a, b):
    return len(a.get_weights()) == len(b.get_weights()) and all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights()))


# --- the article's network -------------------------------------------------------------------


def test_the_articles_network():
    model = build_classifier()
    assert model.count_params() == 12_289
    assert [layer.name for layer in model.layers] == [
        "dense_1", "relu_1", "dropout_1", "dense_2", "relu_2", "dropout_2", "output", "output_sigmoid"
    ]
    assert [layer.count_params() for layer in model.layers] == [3968, 0, 0, 8256, 0, 0, 65, 0]
    dense_1, relu_1, dropout_1 = model.layers[:3]
    assert dense_1.activation is keras.activations.linear and relu_1.activation is keras.activations.relu
    assert type(dense_1.kernel_initializer).__name__ == "HeNormal"
    assert type(model.get_layer("output").kernel_initializer).__name__ == "HeNormal"
    assert dropout_1.rate == 0.5
    assert model.layers[-1].activation is keras.activations.sigmoid
    assert model.input_shape == (None, 30)
    assert type(model.optimizer).__name__ == "Adam" and float(model.optimizer.learning_rate) == pytest.approx(1e-3)
    assert model.loss == "binary_crossentropy"


def test_summary_names_do_not_depend_on_earlier_models(capsys):
    build_classifier()
    build_classifier().summary()
    text = capsys.readouterr().out
    assert "dense_1" in text and "12,289" in text and "dense_3" not in text


@pytest.mark.parametrize(
    "n_features, hidden, n_outputs, expected",
    [(30, (128, 64), 1, [3968, 8256, 65]), (30, (), 1, [31]), (2, (3,), 2, [9, 8])],
)
def test_dense_parameter_counts(n_features, hidden, n_outputs, expected):
    assert dense_parameter_counts(n_features, hidden, n_outputs) == expected


# --- build_mlp ----------------------------------------------------------------------------------


def test_a_deep_mlp_with_chosen_activation_and_initializer():
    model = build_mlp(5, (100,) * 10, activation="tanh", initializer="glorot_normal", output_units=3,
                      output_activation="softmax", loss="sparse_categorical_crossentropy", optimizer="sgd", learning_rate=0.1)
    names = [layer.name for layer in model.layers]
    assert names[:2] == ["dense_1", "tanh_1"] and names[-4:] == ["dense_10", "tanh_10", "output", "output_softmax"]
    assert len([n for n in names if n.startswith("dense_")]) == 10
    assert model.count_params() == sum(dense_parameter_counts(5, (100,) * 10, 3))
    assert {type(layer.kernel_initializer).__name__ for layer in model.layers if isinstance(layer, keras.layers.Dense)} == {"GlorotNormal"}
    assert type(model.optimizer).__name__ == "SGD" and float(model.optimizer.learning_rate) == pytest.approx(0.1)


@pytest.mark.parametrize("place, order", [("before", ["dense_1", "batch_norm_1", "relu_1"]), ("after", ["dense_1", "relu_1", "batch_norm_1"])])
def test_batch_norm_before_or_after_the_activation(place, order):
    model = build_mlp(3, (4, 4), batch_norm=place)
    assert [layer.name for layer in model.layers][:3] == order


def test_residual_shortcuts_add_each_layers_input():
    model = build_mlp(3, (4, 4, 4), residual=True, seed=0)
    adds = [layer for layer in model.layers if isinstance(layer, keras.layers.Add)]
    assert [layer.name for layer in adds] == ["residual_2", "residual_3"]
    # with the second and third Dense layers zeroed, F(h) = relu(0) = 0 and the shortcut passes h through
    for name in ("dense_2", "dense_3"):
        layer = model.get_layer(name)
        layer.set_weights([np.zeros_like(w) for w in layer.get_weights()])
    x = np.random.default_rng(0).normal(size=(6, 3)).astype("float32")
    h1 = keras.Model(model.inputs[0], model.get_layer("relu_1").output)(x)
    h3 = keras.Model(model.inputs[0], model.get_layer("residual_3").output)(x)
    np.testing.assert_allclose(h3, h1, rtol=1e-6)


def test_leaky_relu_uses_the_courses_slope_and_prelu_is_learned():
    leaky = build_mlp(2, (3,), activation="leaky_relu").get_layer("leaky_relu_1")
    assert isinstance(leaky, keras.layers.LeakyReLU) and leaky.negative_slope == pytest.approx(0.01)
    assert build_mlp(2, (3,), activation="leaky_relu", negative_slope=0.2).get_layer("leaky_relu_1").negative_slope == pytest.approx(0.2)
    assert isinstance(build_mlp(2, (3,), activation="prelu").get_layer("prelu_1"), keras.layers.PReLU)


def test_dropout_and_an_empty_hidden_list():
    assert [layer.name for layer in build_mlp(2, (3,), dropout=0.3).layers] == ["dense_1", "relu_1", "dropout_1", "output", "output_sigmoid"]
    assert [layer.name for layer in build_mlp(2, ()).layers] == ["output", "output_sigmoid"]


def test_regression_models_report_no_accuracy():
    model = build_mlp(2, (3,), output_activation="linear", loss="mse")
    model.fit(np.zeros((4, 2)), np.zeros(4), verbose=0, epochs=1)
    assert "accuracy" not in model.get_metrics_result()


# --- seeds ------------------------------------------------------------------------------------


def test_seed_makes_weights_reproducible():
    a, b, c = build_classifier(seed=3), build_classifier(seed=3), build_classifier(seed=4)
    assert _same_weights(a, b)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


def test_seeded_dropout_masks_repeat():
    x = np.ones((4, 50), dtype="float32")
    masks = []
    for _ in range(2):
        model = build_mlp(50, (50,), activation="linear", dropout=0.5, seed=1)
        masks.append(np.asarray(model.get_layer("dropout_1")(x, training=True)) != 0)
    np.testing.assert_array_equal(masks[0], masks[1])
    assert 0.3 < masks[0].mean() < 0.7


@pytest.mark.parametrize("kwargs", [{"residual": True, "batch_norm": "after", "dropout": 0.2}, {"activation": "prelu"}])
def test_every_builder_option_is_reproducible_by_seed(kwargs):
    a, b = build_mlp(3, (4, 4), seed=9, **kwargs), build_mlp(3, (4, 4), seed=9, **kwargs)
    assert _same_weights(a, b)
    assert all(np.array_equal(va, vb) for va, vb in zip(a.variables, b.variables))  # seed generators too


def test_recurrent_builder():
    for cell, layer_type in (("simple_rnn", "SimpleRNN"), ("lstm", "LSTM"), ("gru", "GRU")):
        model = build_rnn(15, 2, cell=cell, units=4, seed=0)
        assert model.input_shape == (None, 15, 2) and type(model.layers[0]).__name__ == layer_type
        assert _same_weights(model, build_rnn(15, 2, cell=cell, units=4, seed=0))
    lstm = build_rnn(5, cell="lstm", units=3, seed=0).layers[0]
    kernel, recurrent, bias = lstm.get_weights()
    np.testing.assert_array_equal(bias[3:6], 1.0)  # Keras's unit forget bias, kept by the re-seeding
    assert not np.allclose(kernel[0, :3], recurrent[0, :3])


@settings(max_examples=50, deadline=None)
@given(st.integers(0, SEED_MAX), st.integers(0, 1000), st.integers(0, 5))
def test_component_seeds_are_in_range_and_repeatable(seed, position, slot):
    value = component_seed(seed, position, slot)
    assert 0 <= value <= SEED_MAX and value == component_seed(seed, position, slot)


def test_component_seeds_differ_between_neighbours():
    seeds = {component_seed(s, p, k) for s in range(5) for p in range(10) for k in range(3)}
    assert len(seeds) == 5 * 10 * 3


def test_reseeded_copy_is_a_fresh_start_whatever_was_trained():
    model = build_mlp(3, (4,), seed=2)
    fresh = reseeded_copy(model, 2)
    model.fit(np.ones((8, 3)), np.ones(8), verbose=0)
    assert not _same_weights(model, fresh)
    assert _same_weights(reseeded_copy(model, 2), fresh)
    assert [layer.name for layer in fresh.layers] == [layer.name for layer in model.layers]


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n_features": 0}, ValueError, r"n_inputs must be an int in \[1, 2147483647\], got 0"),
        ({"n_features": 3.0}, TypeError, "n_inputs must be an int in .*, got float 3.0"),
        ({"hidden": 128}, TypeError, "hidden must be a list of layer widths"),
        ({"hidden": (128, 0)}, ValueError, "each width in hidden must be an int in .*, got 0"),
        ({"dropout": 1.0}, ValueError, r"dropout must be a finite number in \[0, 1\), got 1.0"),
        ({"dropout": "0.5"}, TypeError, "dropout must be a finite number"),
        ({"initializer": "no_such_init"}, ValueError, "initializer must be the name of a Keras initializer"),
        ({"initializer": None}, TypeError, "initializer must be the name of a Keras initializer .*, got NoneType"),
        ({"activation": "no_such_act"}, ValueError, "activation must be the name of a Keras activation"),
        ({"activation": None}, TypeError, "activation must be the name of a Keras activation .*, got NoneType"),
        ({"learning_rate": 0}, ValueError, r"learning_rate must be a finite number in \(0, inf\), got 0.0"),
        ({"learning_rate": float("inf")}, ValueError, "learning_rate must be a finite number .*, got inf"),
        ({"seed": -1}, ValueError, r"seed must be an int in \[0, 2147483647\], got -1"),
        ({"seed": 2**40}, ValueError, r"seed must be an int in \[0, 2147483647\], got 1099511627776"),
        ({"seed": 1.0}, TypeError, "seed must be an int"),
        ({"name": 3}, TypeError, "name must be a non-empty str, got int 3"),
        ({"name": ""}, ValueError, "name must be a non-empty str"),
    ],
)
def test_build_classifier_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_classifier(**kwargs)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"batch_norm": "middle"}, ValueError, r"batch_norm must be one of \('before', 'after'\), got 'middle'"),
        ({"batch_norm": True}, TypeError, "batch_norm must be one of"),
        ({"residual": 1}, TypeError, "residual must be True or False, got int 1"),
        ({"residual": True, "hidden": (4, 8)}, ValueError, "all widths must be equal"),
        ({"negative_slope": -0.1}, ValueError, "negative_slope must be a finite number"),
        ({"output_units": 0}, ValueError, "output_units must be an int"),
        ({"output_activation": None}, TypeError, "output_activation must be the name of a Keras activation"),
        ({"loss": "no_such_loss"}, ValueError, "loss must be the name of a Keras loss"),
        ({"optimizer": "no_such_optimizer"}, ValueError, "optimizer must be the name of a Keras optimizer"),
        ({"optimizer": None}, TypeError, "optimizer must be the name of a Keras optimizer"),
    ],
)
def test_build_mlp_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_mlp(3, **{"hidden": (4, 4), **kwargs})


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"cell": "transformer"}, ValueError, r"cell must be one of \('simple_rnn', 'lstm', 'gru'\)"),
        ({"n_steps": 0}, ValueError, "n_steps must be an int"),
        ({"units": 2.5}, TypeError, "units must be an int"),
        ({"name": None}, TypeError, "name must be a non-empty str"),
    ],
)
def test_build_rnn_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_rnn(**{"n_steps": 5, **kwargs})


def test_reseeded_copy_bad_arguments():
    with pytest.raises(TypeError, match="model must be a keras.Model .*, got str"):
        reseeded_copy("model", 0)
    with pytest.raises(ValueError, match="seed must be an int"):
        reseeded_copy(build_mlp(2, (2,)), -5)
    with pytest.raises(ValueError, match="position must be an int"):
        component_seed(0, -1)


def test_a_forget_gate_bias_survives_reseeding_and_reset():
    from nbsupport.training import fit_compiled, reset_model

    model = build_rnn(6, cell="lstm", units=3, forget_bias=5.0, seed=1)
    bias = model.get_layer("lstm").get_weights()[2]
    np.testing.assert_array_equal(bias, [0, 0, 0, 5, 5, 5, 0, 0, 0, 0, 0, 0])
    X = np.random.default_rng(0).normal(size=(16, 6, 1))
    fit_compiled(model, X, (X[:, 0, 0] > 0).astype(float), epochs=2, validation_split=0.0)
    assert not np.array_equal(model.get_layer("lstm").get_weights()[2], bias)
    reset_model(model, 1)
    np.testing.assert_array_equal(model.get_layer("lstm").get_weights()[2], bias)
    assert _same_weights(model, build_rnn(6, cell="lstm", units=3, forget_bias=5.0, seed=1))


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"cell": "gru", "forget_bias": 2.0}, ValueError, "forget_bias applies to cell='lstm' only"),
        ({"cell": "lstm", "forget_bias": "5"}, TypeError, "forget_bias must be a finite number"),
        ({"cell": "lstm", "forget_bias": float("nan")}, ValueError, "forget_bias must be a finite number"),
    ],
)
def test_forget_bias_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_rnn(5, **kwargs)



def test_an_update_gate_bias_survives_reseeding_and_reset():
    from nbsupport.training import fit_compiled, reset_model

    model = build_rnn(6, cell="gru", units=3, update_bias=4.0, seed=1)
    bias = model.get_layer("gru").get_weights()[2]
    np.testing.assert_array_equal(bias, [[4, 4, 4, 0, 0, 0, 0, 0, 0], [0] * 9])
    X = np.random.default_rng(0).normal(size=(16, 6, 1))
    fit_compiled(model, X, (X[:, 0, 0] > 0).astype(float), epochs=2, validation_split=0.0)
    assert not np.array_equal(model.get_layer("gru").get_weights()[2], bias)
    reset_model(model, 1)
    np.testing.assert_array_equal(model.get_layer("gru").get_weights()[2], bias)
    assert _same_weights(model, build_rnn(6, cell="gru", units=3, update_bias=4.0, seed=1))
    default = build_rnn(6, cell="gru", units=3, seed=1)
    assert all(np.array_equal(a, b) for a, b in zip(default.get_weights()[:2], model.get_weights()[:2])), "only the bias changes"


def test_the_update_bias_reaches_keras_update_gate():
    """Keras's GRU keeps its state where z = 1: with a huge update bias the state stays at its start, 0.

    A bias on the reset gate or the candidate instead would leave the state free to move, so this fails
    if the adapter's GRU_GATES order no longer matches Keras's.
    """
    x = np.random.default_rng(0).normal(size=(8, 6, 1)).astype("float32")
    for update_bias, moves in [(30.0, False), (0.0, True), (-30.0, True)]:
        layer = build_rnn(6, cell="gru", units=4, update_bias=update_bias, seed=0).get_layer("gru")
        state = np.asarray(layer(x))
        assert (np.abs(state).max() > 1e-3) == moves, f"update_bias={update_bias}: state {np.abs(state).max():.2g}"


def test_forget_and_update_bias_keep_the_default_when_absent():
    lstm = build_rnn(4, cell="lstm", units=2, seed=0).get_layer("lstm").get_weights()[2]
    gru = build_rnn(4, cell="gru", units=2, seed=0).get_layer("gru").get_weights()[2]
    np.testing.assert_array_equal(lstm, [0, 0, 1, 1, 0, 0, 0, 0])
    np.testing.assert_array_equal(gru, np.zeros((2, 6)))


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"cell": "lstm", "update_bias": 2.0}, ValueError, "update_bias applies to cell='gru' only"),
        ({"cell": "simple_rnn", "update_bias": 2.0}, ValueError, "update_bias applies to cell='gru' only"),
        ({"cell": "gru", "update_bias": "5"}, TypeError, "update_bias must be a finite number"),
        ({"cell": "gru", "update_bias": float("inf")}, ValueError, "update_bias must be a finite number"),
        ({"cell": "gru", "update_bias": True}, TypeError, "update_bias must be a finite number"),
    ],
)
def test_update_bias_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_rnn(5, **kwargs)

# --- the deep moons network of chapters 4 to 7 --------------------------------------------------------

from nbsupport.models import build_moons_net  # noqa: E402


def test_the_moons_net_is_build_mlp_with_the_chapters_defaults():
    ours = build_moons_net(4, seed=3)
    theirs = build_mlp(2, (64,) * 4, activation="sigmoid", initializer="glorot_uniform", optimizer="sgd", learning_rate=0.1, seed=3)
    assert [layer.name for layer in ours.layers] == [layer.name for layer in theirs.layers]
    assert _same_weights(ours, theirs) and float(ours.optimizer.learning_rate) == pytest.approx(0.1)
    assert type(ours.optimizer).__name__ == "SGD"
    residual = build_moons_net(3, width=8, activation="relu", residual=True, batch_norm="before", seed=0)
    assert "residual_2" in [layer.name for layer in residual.layers] and residual.get_layer("dense_2").units == 8


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"depth": 0}, ValueError, r"depth must be an int in \[1, 1000\]"),
        ({"width": 2.5}, TypeError, "width must be an int"),
        ({"hidden": (3,)}, TypeError, r"build_moons_net sets hidden itself"),
        ({"activation": "nope"}, ValueError, "activation must be the name of a Keras activation"),
    ],
)
def test_moons_net_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_moons_net(**kwargs)
