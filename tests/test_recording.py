"""Tests of nbsupport.recording: the step-by-step record of training."""

import keras
import numpy as np
import pytest

from nbsupport.diagnostics import activation_statistics
from nbsupport.models import build_mlp, build_moons_net
from nbsupport.recording import TrainingRecord, record_training
from nbsupport.training import CompiledTrainer, reset_model

RNG = np.random.default_rng(0)
X = RNG.normal(size=(100, 3))
Y = (X[:, 0] * X[:, 1] > 0).astype(float)


def test_the_training_is_compiled_trainers_to_the_bit():
    model = build_mlp(3, (8, 8), activation="tanh", optimizer="adam", learning_rate=0.01, seed=0)
    record = record_training(model, X, Y, epochs=3, batch_size=16, seed=4)
    recorded = model.get_weights()
    reset_model(model, 0)
    history = CompiledTrainer(model).fit(X, Y, epochs=3, batch_size=16, validation_split=0.0, seed=4)
    assert all(np.array_equal(a, b) for a, b in zip(recorded, model.get_weights()))
    np.testing.assert_allclose(record.history["loss"], history["loss"], rtol=1e-5)
    np.testing.assert_allclose(record.history["accuracy"], history["accuracy"], atol=1e-6)


def test_ratios_are_the_steps_taken_relative_to_the_weights():
    model = build_mlp(3, (6,), activation="sigmoid", optimizer="sgd", learning_rate=0.5, seed=1)
    start = [layer.kernel.numpy().astype(np.float64) for layer in model.layers if hasattr(layer, "kernel")]
    record = record_training(model, X, Y, epochs=1, batch_size=len(X))  # one full-batch step
    end = [layer.kernel.numpy().astype(np.float64) for layer in model.layers if hasattr(layer, "kernel")]
    assert record.update_ratio.shape == (1, 2) and record.layers == ("dense_1", "output")
    expected = [np.linalg.norm(b - a) / np.linalg.norm(a) for a, b in zip(start, end)]
    np.testing.assert_allclose(record.update_ratio[0], expected, rtol=1e-4)
    # plain SGD: the update is the learning rate times the gradient
    np.testing.assert_allclose(record.update_ratio[0], 0.5 * record.gradient_ratio[0], rtol=1e-4)


def test_one_row_per_step_and_readings_before_and_after_every_epoch():
    record = record_training(build_mlp(3, (5, 5), seed=0), X, Y, epochs=2, batch_size=30)  # 4 steps an epoch
    assert isinstance(record, TrainingRecord)
    assert record.update_ratio.shape == record.gradient_ratio.shape == (8, 3) and record.loss.shape == (8,)
    assert record.statistics_steps.tolist() == [0, 4, 8] and len(record.statistics) == 3
    assert record.statistic("flat").shape == (3, 2) and record.statistics[0].values == ()
    assert set(record.history) == {"loss", "accuracy"} and record.history["loss"].shape == (2,)
    # the mean of the mini-batch losses, weighted by batch size, is the epoch's loss
    sizes = np.array([30, 30, 30, 10])
    assert np.sum(record.loss[:4] * sizes) / 100 == pytest.approx(record.history["loss"][0], rel=1e-5)


def test_the_first_reading_is_the_start_and_the_probe_is_used():
    model = build_mlp(3, (5,), activation="tanh", seed=2)
    probe = X[:20]
    at_start = activation_statistics(model, probe)
    record = record_training(model, X, Y, epochs=1, probe=probe)
    np.testing.assert_allclose(record.statistics[0].sd, at_start.sd)
    np.testing.assert_allclose(record.statistics[-1].sd, activation_statistics(model, probe).sd)


def test_sgd_leaves_the_deep_sigmoid_networks_first_layer_frozen_and_adam_does_not():
    x, y = X[:, :2], Y
    ratios = {}
    for optimizer, rate in [("sgd", 0.1), ("adam", 1e-3)]:
        model = build_moons_net(8, activation="sigmoid", optimizer=optimizer, learning_rate=rate, seed=0)
        ratios[optimizer] = np.median(record_training(model, x, y, epochs=1).update_ratio, axis=0)
    assert ratios["sgd"][0] < 1e-3 * ratios["sgd"][-1]
    assert ratios["adam"][0] > 0.01 * ratios["adam"][-1]


def test_bad_input():
    model = build_mlp(3, (4,), seed=0)
    with pytest.raises(ValueError, match="epochs"):
        record_training(model, X, Y, epochs=0)
    with pytest.raises(ValueError, match="batch_size"):
        record_training(model, X, Y, epochs=1, batch_size=0)
    with pytest.raises(ValueError, match="probe must have shape"):
        record_training(model, X, Y, epochs=1, probe=np.zeros((4, 2)))
    with pytest.raises(ValueError, match="X must have shape"):
        record_training(model, X[:, :2], Y, epochs=1)
    with pytest.raises(ValueError, match="name must be one of"):
        record_training(model, X, Y, epochs=1).statistic("median")
    uncompiled = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1, activation="sigmoid")])
    with pytest.raises(ValueError, match="compiled with an optimizer and a loss"):
        record_training(uncompiled, X, Y, epochs=1)
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        record_training("model", X, Y, epochs=1)


def test_recording_the_same_model_again_reuses_its_trace_and_gives_the_same_record():
    from nbsupport import recording

    model = build_mlp(3, (6, 6), activation="tanh", optimizer="sgd", learning_rate=0.1, seed=3)
    first = record_training(model, X, Y, epochs=2, seed=1)
    traced = recording._RECENT_EPOCHS[id(model)][-1]
    reset_model(model, 3)
    again = record_training(model, X, Y, epochs=2, seed=1)
    assert recording._RECENT_EPOCHS[id(model)][-1] is traced
    np.testing.assert_array_equal(first.update_ratio, again.update_ratio)
    other = build_mlp(3, (6,), seed=0)
    record_training(other, X, Y, epochs=1)
    assert list(recording._RECENT_EPOCHS) == [id(other)]
