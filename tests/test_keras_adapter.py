"""The adapter's promises about Keras internals. A failure here means Keras changed: the message names its version."""

import keras
import numpy as np
import pytest

from nbsupport import _keras_adapter
from nbsupport.models import build_mlp, reseeded_copy

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
