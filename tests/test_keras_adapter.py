"""The adapter's promises about Keras internals. A failure here means Keras changed: the message names its version."""

import keras
import numpy as np
import pytest

from nbsupport import _keras_adapter
from nbsupport._seeding import reseeded_copy
from nbsupport.models import build_mlp

VERSION = f"Keras {keras.__version__}"


def test_reset_global_seed_generator_makes_unseeded_draws_repeat():
    draws = []
    for _ in range(2):
        keras.utils.set_random_seed(11)
        _keras_adapter.reset_global_seed_generator()
        draws.append(float(keras.random.uniform(())))
    assert draws[0] == draws[1], f"{VERSION}: unseeded draws no longer repeat after set_random_seed and the reset"


def test_model_variables_include_the_seed_generators():
    model = build_mlp(3, (4,), dropout=0.5)
    paths = [v.path for v in model.variables]
    assert any("seed_generator" in p for p in paths), f"{VERSION}: model.variables no longer lists seed generators: {paths}"


def test_copy_model_state_repeats_the_dropout_masks_of_a_fresh_model():
    x = np.ones((8, 40), dtype="float32")
    trained = build_mlp(40, (40,), activation="linear", dropout=0.5, seed=0)
    trained.get_layer("dropout_1")(x, training=True)  # advance its generator
    fresh = reseeded_copy(trained, 5)
    expected = np.asarray(reseeded_copy(trained, 5).get_layer("dropout_1")(x, training=True))
    _keras_adapter.copy_model_state(fresh, trained)
    got = np.asarray(trained.get_layer("dropout_1")(x, training=True))
    np.testing.assert_array_equal(got, expected, err_msg=f"{VERSION}: copied seed generator state does not repeat the masks")


def test_copy_model_state_refuses_models_that_do_not_line_up():
    with pytest.raises(_keras_adapter.KerasChangedError, match=r"Keras 3\.\d+.*needs an update"):
        _keras_adapter.copy_model_state(build_mlp(3, (4,)), build_mlp(3, (5,)))


def test_reset_optimizer_is_a_fresh_optimizer():
    model = build_mlp(3, (4,), optimizer="adam", learning_rate=0.01)
    model.fit(np.ones((8, 3)), np.ones(8), epochs=2, verbose=0)
    assert int(model.optimizer.iterations) > 0
    _keras_adapter.reset_optimizer(model.optimizer, model.trainable_variables)
    fresh = keras.optimizers.Adam(0.01)
    fresh.build(model.trainable_variables)
    assert [v.path.split("/")[-1] for v in model.optimizer.variables] == [v.path.split("/")[-1] for v in fresh.variables], VERSION
    for ours, theirs in zip(model.optimizer.variables, fresh.variables):
        np.testing.assert_array_equal(ours.numpy(), theirs.numpy(), err_msg=f"{VERSION}: {ours.path}")


def test_the_error_names_the_keras_version():
    assert VERSION in str(_keras_adapter.KerasChangedError("something moved"))


# --- seeds in a layer's config -------------------------------------------------------------------------

SEEDED_LAYERS = {
    "Dense": lambda: keras.layers.Dense(5, kernel_initializer="glorot_uniform"),
    "Dense, he_normal": lambda: keras.layers.Dense(5, kernel_initializer="he_normal"),
    "SimpleRNN": lambda: keras.layers.SimpleRNN(3),
    "LSTM": lambda: keras.layers.LSTM(3),
    "GRU": lambda: keras.layers.GRU(3),
    "PReLU": lambda: keras.layers.PReLU(alpha_initializer="random_normal"),
}


@pytest.mark.parametrize("make", SEEDED_LAYERS.values(), ids=list(SEEDED_LAYERS))
def test_a_reseeded_config_draws_the_weights_of_its_seeds(make):
    layer = make()
    shape = (None, 4, 2) if isinstance(layer, keras.layers.RNN) else (None, 2)
    layer.build(shape)
    assert _keras_adapter.random_parts(layer.get_config()), f"{VERSION}: no seeded part found in {layer.get_config()}"

    def rebuilt(first_seed):
        copy = type(layer).from_config(_keras_adapter.reseeded_config(layer, lambda slot: first_seed + slot))
        copy.build(shape)
        return [w.numpy() for w in copy.weights]

    same, other = rebuilt(10), rebuilt(20)
    assert all(np.array_equal(a, b) for a, b in zip(same, rebuilt(10))), f"{VERSION}: the same seeds drew other weights"
    assert any(not np.array_equal(a, b) for a, b in zip(same, other)), f"{VERSION}: other seeds drew the same weights"


def test_the_dropout_seed_sits_in_its_config():
    layer = keras.layers.Dropout(0.5)
    x = np.ones((4, 50), dtype="float32")
    config = _keras_adapter.reseeded_config(layer, lambda slot: 7)
    masks = [np.asarray(keras.layers.Dropout.from_config(config)(x, training=True)) for _ in range(2)]
    np.testing.assert_array_equal(masks[0], masks[1], err_msg=f"{VERSION}: a dropout layer's seed no longer fixes its masks")


# --- the order of an LSTM's gates ----------------------------------------------------------------------


def test_keras_puts_the_forget_gate_where_the_adapter_says():
    """Keras's own unit_forget_bias=True sets the forget gate's biases to 1: they sit at lstm_gate_slice(units, "forget")."""
    layer = keras.layers.LSTM(3, unit_forget_bias=True)
    layer.build((None, 4, 2))
    bias = layer.get_weights()[2]
    expected = np.zeros(12)
    expected[_keras_adapter.lstm_gate_slice(3, "forget")] = 1.0
    np.testing.assert_array_equal(bias, expected, err_msg=f"{VERSION}: the LSTM's gate order is no longer {_keras_adapter.LSTM_GATES}")


# --- the logits beside a sigmoid output -------------------------------------------------------------


def test_keras_cross_entropy_reads_the_logits_beside_a_sigmoid_output():
    """Binary cross-entropy of sigmoid(100) against 0 is 100 when computed from the logit; from the clipped
    probability it would be -log(1e-7) = 16.1. output_and_logits relies on this being the logit's path."""
    import tensorflow as tf

    z = tf.constant([[100.0]])
    loss = float(keras.losses.binary_crossentropy(tf.constant([[0.0]]), keras.activations.sigmoid(z))[0])
    assert loss == pytest.approx(100.0, rel=1e-4), f"{VERSION}: binary cross-entropy no longer reads a sigmoid's logits ({loss})"


def test_output_and_logits_puts_the_gradient_on_z():
    import tensorflow as tf

    model = build_mlp(3, (4,), seed=0)
    layer = model.get_layer("output")
    layer_input = tf.constant(np.random.default_rng(0).normal(size=(5, 4)), tf.float32)
    fused = keras.layers.Dense(1, activation="sigmoid")
    fused.build((None, 4))
    fused.set_weights(layer.get_weights())
    with tf.GradientTape() as tape:
        z, p = _keras_adapter.output_and_logits(fused, layer_input)
        loss = tf.reduce_mean(keras.losses.binary_crossentropy(tf.ones((5, 1)), p))
    g = tape.gradient(loss, z).numpy()
    np.testing.assert_allclose(g, (tf.sigmoid(z).numpy() - 1.0) / 5, rtol=1e-5, err_msg=VERSION)


# --- TensorFlow's registry of custom gradients ---------------------------------------------------------


def test_tracing_an_optimizer_step_registers_a_custom_gradient_that_the_adapter_removes():
    import tensorflow as tf

    registry = _keras_adapter._gradient_registry()
    model = build_mlp(2, (3,), optimizer="sgd", learning_rate=0.1, seed=0)
    model.optimizer.build(model.trainable_variables)

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(model(x, training=True))
        model.optimizer.apply_gradients(zip(tape.gradient(loss, model.trainable_variables), model.trainable_variables))

    before = set(registry)
    step(tf.ones((2, 2)))
    added = [name for name in set(registry) - before if name.startswith("CustomGradient-")]
    assert added, f"{VERSION}: tracing apply_gradients no longer registers a custom gradient; the release may be unneeded"
    with _keras_adapter.releasing_custom_gradients():
        step(tf.ones((3, 2)))  # another shape: a second trace, inside the block
    assert step.experimental_get_tracing_count() == 2
    assert not [name for name in set(registry) - before - set(added) if name.startswith("CustomGradient-")], VERSION


def test_the_error_names_the_tensorflow_version_too():
    import tensorflow as tf

    assert f"TensorFlow {tf.__version__}" in str(_keras_adapter.KerasChangedError("something moved"))
