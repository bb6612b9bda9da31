import keras
import numpy as np
import pytest

from nbsupport.data import load_breast_cancer_split
from nbsupport.models import HISTORY_KEYS, build_classifier, dense_parameter_counts, fit_compiled, reset_classifier


@pytest.fixture(scope="module")
def split():
    return load_breast_cancer_split()


def test_the_articles_network():
    model = build_classifier()
    assert model.count_params() == 12_289
    assert [layer.count_params() for layer in model.layers] == [3968, 0, 8256, 0, 65]
    assert [layer.name for layer in model.layers] == ["hidden_1", "dropout_1", "hidden_2", "dropout_2", "output"]
    hidden_1, dropout_1 = model.layers[:2]
    assert hidden_1.activation is keras.activations.relu
    assert type(hidden_1.kernel_initializer).__name__ == "HeNormal"
    assert dropout_1.rate == 0.5
    assert model.layers[-1].activation is keras.activations.sigmoid
    assert model.input_shape == (None, 30)
    assert type(model.optimizer).__name__ == "Adam"


def test_arguments_change_the_network():
    model = build_classifier(10, (16, 8, 4), dropout=0.0, initializer="glorot_uniform", activation="tanh")
    assert [layer.name for layer in model.layers] == ["hidden_1", "hidden_2", "hidden_3", "output"]
    assert model.count_params() == sum(dense_parameter_counts(10, (16, 8, 4)))
    assert type(model.layers[0].kernel_initializer).__name__ == "GlorotUniform"
    assert model.layers[0].activation is keras.activations.tanh


def test_summary_names_do_not_depend_on_earlier_models(capsys):
    build_classifier()
    build_classifier().summary()
    text = capsys.readouterr().out
    assert "hidden_1" in text and "12,289" in text and "dense_" not in text


def test_seed_makes_weights_reproducible():
    a, b, c = build_classifier(seed=3), build_classifier(seed=3), build_classifier(seed=4)
    for wa, wb in zip(a.get_weights(), b.get_weights()):
        np.testing.assert_array_equal(wa, wb)
    assert not np.array_equal(a.get_weights()[0], c.get_weights()[0])


@pytest.mark.parametrize(
    "n_features, hidden, n_outputs, expected",
    [(30, (128, 64), 1, [3968, 8256, 65]), (30, (), 1, [31]), (2, (3,), 2, [9, 8])],
)
def test_dense_parameter_counts(n_features, hidden, n_outputs, expected):
    assert dense_parameter_counts(n_features, hidden, n_outputs) == expected


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n_features": 0}, ValueError, "n_features must be an int >= 1, got 0"),
        ({"n_features": 3.0}, TypeError, "n_features must be an int >= 1, got float"),
        ({"hidden": 128}, TypeError, "hidden must be a sequence of layer widths"),
        ({"hidden": (128, 0)}, ValueError, "each width in hidden must be an int >= 1, got 0"),
        ({"dropout": 1.0}, ValueError, r"dropout must be a number in \[0, 1\), got 1.0"),
        ({"dropout": "0.5"}, TypeError, "dropout must be a number"),
        ({"initializer": "no_such_init"}, ValueError, "initializer must be a Keras initializer name"),
        ({"activation": "no_such_act"}, ValueError, "activation must be a Keras activation name"),
        ({"learning_rate": 0}, ValueError, "learning_rate must be a positive number, got 0"),
        ({"seed": -1}, ValueError, "seed must be an int >= 0, got -1"),
    ],
)
def test_build_classifier_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        build_classifier(**kwargs)


def test_fit_compiled_history_and_steps(split):
    model = build_classifier(seed=0)
    history = fit_compiled(model, split.X_train, split.y_train, epochs=3, batch_size=32)
    assert tuple(history) == HISTORY_KEYS
    assert all(v.shape == (3,) and np.isfinite(v).all() for v in history.values())
    assert int(model.optimizer.iterations) == 3 * 12  # 364 training rows -> 12 mini-batches per epoch
    # accuracies are shares of rows: multiples of 1/364 (training) and 1/91 (validation)
    np.testing.assert_allclose(history["accuracy"] * 364, np.round(history["accuracy"] * 364), atol=1e-3)
    np.testing.assert_allclose(history["val_accuracy"] * 91, np.round(history["val_accuracy"] * 91), atol=1e-3)


def test_fit_compiled_takes_as_many_steps_as_fit(split):
    a, b = build_classifier(seed=0), build_classifier(seed=0)
    a.fit(split.X_train, split.y_train, epochs=2, batch_size=16, validation_split=0.25, verbose=0)
    fit_compiled(b, split.X_train, split.y_train, epochs=2, batch_size=16, validation_split=0.25)
    assert int(a.optimizer.iterations) == int(b.optimizer.iterations) == 2 * 22


def test_fit_compiled_validation_rows_are_the_last_ones_as_in_fit(split):
    """With the weights frozen (learning rate ~0), the validation loss is that of the last 20 % of rows."""
    model = build_classifier(seed=1, learning_rate=1e-12)
    history = fit_compiled(model, split.X_train, split.y_train, epochs=1)
    loss, accuracy = model.evaluate(split.X_train[364:], split.y_train[364:], verbose=0)
    assert history["val_loss"][0] == pytest.approx(loss, rel=1e-4)
    assert history["val_accuracy"][0] == pytest.approx(accuracy, abs=1e-6)


def test_fit_compiled_is_reproducible(split):
    runs = [fit_compiled(build_classifier(seed=2), split.X_train, split.y_train, epochs=5, seed=7) for _ in range(2)]
    for key in HISTORY_KEYS:
        np.testing.assert_allclose(runs[0][key], runs[1][key], rtol=1e-5)


def test_fit_compiled_matches_fit_accuracy(split):
    """Same network, same data and settings: the test accuracies of both trainers have the same level."""

    def test_accuracy(model):
        p = np.asarray(model(split.X_test, training=False)).ravel()
        return np.mean((p > 0.5) == split.y_test)

    seeds, epochs = (0, 1, 2), 10  # 10 epochs: both already near 0.97, and the test stays quick
    by_fit, by_loop = [], []
    for seed in seeds:
        model = build_classifier(seed=seed)
        model.fit(split.X_train, split.y_train, epochs=epochs, batch_size=32, validation_split=0.2, verbose=0)
        by_fit.append(test_accuracy(model))
        model = build_classifier(seed=seed)
        fit_compiled(model, split.X_train, split.y_train, epochs=epochs, seed=seed)
        by_loop.append(test_accuracy(model))
    assert np.mean(by_fit) >= 0.95 and np.mean(by_loop) >= 0.95, (by_fit, by_loop)
    assert abs(np.mean(by_fit) - np.mean(by_loop)) <= 0.02, (by_fit, by_loop)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"epochs": 0}, ValueError, "epochs must be an int >= 1, got 0"),
        ({"batch_size": 2.5}, TypeError, "batch_size must be an int >= 1"),
        ({"validation_split": 0.0}, ValueError, r"validation_split must be a number in \(0, 1\), got 0.0"),
        ({"validation_split": 0.999}, ValueError, "leaves no rows for training or validation"),
        ({"seed": -2}, ValueError, "seed must be an int >= 0, got -2"),
    ],
)
def test_fit_compiled_bad_arguments(split, kwargs, error, message):
    with pytest.raises(error, match=message):
        fit_compiled(build_classifier(), split.X_train, split.y_train, **kwargs)


def test_fit_compiled_bad_data_and_model(split):
    model = build_classifier()
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        fit_compiled(model, split.X_train[:, 0], split.y_train)
    with pytest.raises(ValueError, match="y must be a 1-D array with one label per row of X"):
        fit_compiled(model, split.X_train, split.y_train[:-1])
    with pytest.raises(ValueError, match="y must hold binary labels 0 and 1 only"):
        fit_compiled(model, split.X_train, split.y_train + 1)
    with pytest.raises(TypeError, match="model must be a keras.Model, got str"):
        fit_compiled("model", split.X_train, split.y_train)
    uncompiled = keras.Sequential([keras.Input(shape=(30,)), keras.layers.Dense(1, activation="sigmoid")])
    with pytest.raises(ValueError, match="model must be compiled with an optimizer first"):
        fit_compiled(uncompiled, split.X_train, split.y_train)


def test_reset_classifier_gives_a_fresh_models_run(split):
    """A trained model reset to seed s trains exactly like build_classifier(seed=s), with one trace."""
    reused = build_classifier(seed=0)
    fit_compiled(reused, split.X_train, split.y_train, epochs=3, seed=0)
    reset_classifier(reused, seed=4)
    fresh = build_classifier(seed=4)
    for a, b in zip(reused.get_weights(), fresh.get_weights()):
        np.testing.assert_array_equal(a, b)
    assert int(reused.optimizer.iterations) == 0
    assert float(reused.optimizer.learning_rate) == pytest.approx(1e-3)
    h_reused = fit_compiled(reused, split.X_train, split.y_train, epochs=4, seed=4)
    h_fresh = fit_compiled(fresh, split.X_train, split.y_train, epochs=4, seed=4)
    for key in HISTORY_KEYS:
        np.testing.assert_allclose(h_reused[key], h_fresh[key], rtol=1e-5)
    assert reused._nbsupport_compiled_loop.experimental_get_tracing_count() == 1


def test_reset_classifier_bad_arguments():
    with pytest.raises(TypeError, match="model must be a keras.Model made by build_classifier, got str"):
        reset_classifier("model", 0)
    with pytest.raises(ValueError, match="seed must be an int >= 0, got -1"):
        reset_classifier(build_classifier(), -1)
    other = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(1, name="dense_x")])
    with pytest.raises(ValueError, match="model must come from build_classifier; it has a layer named 'dense_x'"):
        reset_classifier(other, 0)
