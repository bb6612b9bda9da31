import keras
import numpy as np
import pytest

from nbsupport.data import load_breast_cancer_split
from nbsupport.models import build_classifier, build_mlp, build_rnn
from nbsupport.training import HISTORY_KEYS, CompiledTrainer, Run, as_history, fit_compiled, repeat_runs, reset_model

CURVES = {"loss": [0.6, 0.4, 0.3], "val_loss": [0.7, 0.5, 0.45], "accuracy": [0.7, 0.8, 0.9], "val_accuracy": [0.6, 0.8, 0.85]}


@pytest.fixture(scope="module")
def split():
    return load_breast_cancer_split()


def _same_weights(a, b):
    return all(np.array_equal(x, y) for x, y in zip(a.get_weights(), b.get_weights()))


# --- the compiled loop against model.fit ---------------------------------------------------------


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


def test_validation_rows_are_the_last_ones_as_in_fit(split):
    """With the weights frozen (learning rate ~0), the validation loss is that of the last 20 % of rows."""
    model = build_classifier(seed=1, learning_rate=1e-12)
    history = fit_compiled(model, split.X_train, split.y_train, epochs=1)
    loss, accuracy = model.evaluate(split.X_train[364:], split.y_train[364:], verbose=0)
    assert history["val_loss"][0] == pytest.approx(loss, rel=1e-4)
    assert history["val_accuracy"][0] == pytest.approx(accuracy, abs=1e-6)


def test_one_full_batch_step_is_the_optimizers_own_step():
    """batch_size = n, no shuffling effect, no dropout: one epoch is exactly one step of plain SGD."""
    rng = np.random.default_rng(0)
    X, y = rng.normal(size=(20, 3)), (rng.random(20) > 0.5).astype(float)
    ours, reference = build_mlp(3, (5,), optimizer="sgd", learning_rate=0.5, seed=1), build_mlp(3, (5,), optimizer="sgd", learning_rate=0.5, seed=1)
    fit_compiled(ours, X, y, epochs=1, batch_size=20, validation_split=0.0)
    reference.fit(X, y, epochs=1, batch_size=20, shuffle=False, verbose=0)
    for a, b in zip(ours.get_weights(), reference.get_weights()):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-7)


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


def test_other_tasks_multiclass_regression_recurrent_and_batch_norm():
    rng = np.random.default_rng(1)
    X = rng.normal(size=(60, 4))
    classes = (X[:, 0] > 0).astype(int) + (X[:, 1] > 0).astype(int)  # 0, 1 or 2
    model = build_mlp(4, (16,), output_units=3, output_activation="softmax", loss="sparse_categorical_crossentropy",
                      batch_norm="before", learning_rate=0.05, seed=0)
    history = fit_compiled(model, X, classes, epochs=30, batch_size=10)
    assert sorted(history) == sorted(HISTORY_KEYS) and history["accuracy"][-1] > 0.8
    regression = build_mlp(4, (8,), output_activation="linear", loss="mse", seed=0)
    history = fit_compiled(regression, X, X[:, 0] * 0.5, epochs=20, batch_size=10, validation_split=0.0)
    assert list(history) == ["loss"] and history["loss"][-1] < history["loss"][0]
    rnn = build_rnn(6, 1, cell="gru", units=4, seed=0)
    sequences = rng.normal(size=(30, 6, 1))
    history = fit_compiled(rnn, sequences, (sequences[:, 0, 0] > 0).astype(float), epochs=2)
    assert history["val_accuracy"].shape == (2,)


# --- one trainer, reset between seeds -----------------------------------------------------------


def test_reset_model_gives_a_fresh_models_run_with_one_trace(split):
    reused = build_classifier(seed=0)
    trainer = CompiledTrainer(reused)
    trainer.fit(split.X_train, split.y_train, epochs=3, seed=0)
    reset_model(reused, seed=4)
    fresh = build_classifier(seed=4)
    assert _same_weights(reused, fresh)
    assert int(reused.optimizer.iterations) == 0
    assert float(reused.optimizer.learning_rate) == pytest.approx(1e-3)
    h_reused = trainer.fit(split.X_train, split.y_train, epochs=4, seed=4)
    h_fresh = fit_compiled(fresh, split.X_train, split.y_train, epochs=4, seed=4)
    for key in HISTORY_KEYS:
        np.testing.assert_allclose(h_reused[key], h_fresh[key], rtol=1e-5)
    (loop,) = trainer._loops.values()
    assert loop.experimental_get_tracing_count() == 1


def test_reset_model_resets_batch_norm_statistics_and_an_adagrad_optimizer():
    model = build_mlp(3, (4,), batch_norm="after", optimizer="adagrad", learning_rate=0.1, seed=3)
    fit_compiled(model, np.random.default_rng(0).normal(5.0, 2.0, size=(32, 3)), np.arange(32) % 2, epochs=3, validation_split=0.0)
    reset_model(model, 3)
    fresh = build_mlp(3, (4,), batch_norm="after", optimizer="adagrad", learning_rate=0.1, seed=3)
    assert all(np.array_equal(a, b) for a, b in zip(model.variables, fresh.variables))
    accumulators = [v.numpy() for v in model.optimizer.variables if "accumulator" in v.path]
    assert accumulators and all(np.allclose(a, 0.1) for a in accumulators)  # Adagrad starts at 0.1, not 0


def test_repeat_runs(split):
    runs = repeat_runs(build_classifier(hidden=(8,)), split.X_train, split.y_train, split.X_test, split.y_test, seeds=[0, 1], epochs=3)
    assert [r.seed for r in runs] == [0, 1] and all(isinstance(r, Run) for r in runs)
    fresh = fit_compiled(build_classifier(seed=1, hidden=(8,)), split.X_train, split.y_train, epochs=3, seed=1)
    np.testing.assert_allclose(runs[1].history["val_loss"], fresh["val_loss"], rtol=1e-5)  # same as a fresh model
    assert all(0.5 < r.test_accuracy <= 1 and r.history["loss"].shape == (3,) for r in runs)


def test_repeat_runs_for_regression_scores_the_squared_error():
    X = np.random.default_rng(2).normal(size=(40, 2))
    (run,) = repeat_runs(build_mlp(2, (4,), output_activation="linear", loss="mse"), X, X[:, 0], X[:5], X[:5, 0], seeds=[0], epochs=2)
    assert list(run.scores) == ["mse"]
    with pytest.raises(ValueError, match="this run has no accuracy"):
        run.test_accuracy


# --- learning-curve data --------------------------------------------------------------------------


def test_as_history_reads_a_keras_history_and_a_dict():
    class FakeHistory:
        history = CURVES

    for source in (CURVES, FakeHistory()):
        h = as_history(source)
        assert set(h) == set(CURVES) and h["loss"].dtype == float


@pytest.mark.parametrize(
    "bad, error, message",
    [
        ([1, 2], TypeError, "history must be a keras History or a dict"),
        ({"val_loss": [1.0]}, ValueError, "history must have a 'loss' curve"),
        ({"loss": [1.0, 2.0], "val_loss": [1.0]}, ValueError, "equal length"),
        ({"loss": []}, ValueError, "equal length"),
    ],
)
def test_as_history_bad_input(bad, error, message):
    with pytest.raises(error, match=message):
        as_history(bad)


# --- bad input: every check happens before any training -----------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"epochs": 0}, ValueError, r"epochs must be an int in \[1, 2147483647\], got 0"),
        ({"epochs": 2**32 + 1}, ValueError, r"epochs must be an int in \[1, 2147483647\], got 4294967297"),
        ({"batch_size": 2.5}, TypeError, "batch_size must be an int"),
        ({"validation_split": 1.0}, ValueError, r"validation_split must be a finite number in \[0, 1\), got 1.0"),
        ({"validation_split": 0.999}, ValueError, "leaves no rows for training or validation"),
        ({"seed": -2}, ValueError, r"seed must be an int in \[0, 2147483647\], got -2"),
        ({"seed": 2**40}, ValueError, r"seed must be an int in \[0, 2147483647\]"),
    ],
)
def test_fit_compiled_bad_arguments(split, kwargs, error, message):
    with pytest.raises(error, match=message):
        fit_compiled(build_classifier(), split.X_train, split.y_train, **kwargs)


def test_fit_compiled_bad_data_and_model(split):
    model = build_classifier()
    X_nan = split.X_train.copy()
    X_nan[3, 4] = np.nan
    with pytest.raises(ValueError, match="X must hold finite numbers only; it has 1 NaN or infinite value"):
        fit_compiled(model, X_nan, split.y_train)
    with pytest.raises(ValueError, match=r"X must have shape \(samples, 30\) for this model, got \(455, 29\)"):
        fit_compiled(model, split.X_train[:, 1:], split.y_train)
    with pytest.raises(ValueError, match=r"X must have shape \(samples, 30\)"):
        fit_compiled(model, split.X_train[:, 0], split.y_train)
    with pytest.raises(ValueError, match=r"y must have one target per row of X \(455\)"):
        fit_compiled(model, split.X_train, split.y_train[:-1])
    with pytest.raises(TypeError, match="model must be a keras.Model, got str"):
        fit_compiled("model", split.X_train, split.y_train)
    uncompiled = keras.Sequential([keras.Input(shape=(30,)), keras.layers.Dense(1, activation="sigmoid")])
    with pytest.raises(ValueError, match="model must be compiled with an optimizer and a loss first"):
        fit_compiled(uncompiled, split.X_train, split.y_train)
    assert int(model.optimizer.iterations) == 0  # nothing trained along the way


def test_repeat_runs_checks_everything_before_training(split):
    model = build_classifier()
    args = (split.X_train, split.y_train, split.X_test, split.y_test)
    with pytest.raises(ValueError, match=r"X_test must have shape \(samples, 30\) for this model, got \(114, 29\)"):
        repeat_runs(model, *args[:2], split.X_test[:, 1:], split.y_test, seeds=[0])
    with pytest.raises(ValueError, match=r"X_train must have shape \(samples, 30\)"):
        repeat_runs(model, split.X_train[:, :5], *args[1:], seeds=[0])
    with pytest.raises(ValueError, match="seeds must be distinct"):
        repeat_runs(model, *args, seeds=[0, 0])
    with pytest.raises(ValueError, match="seeds must hold at least 1 seeds, got 0"):
        repeat_runs(model, *args, seeds=[])
    with pytest.raises(TypeError, match="seeds must be a list of seeds"):
        repeat_runs(model, *args, seeds=3)
    with pytest.raises(ValueError, match="each seed must be an int"):
        repeat_runs(model, *args, seeds=[0, -1])
    assert not model.optimizer.built  # no run started


def test_reset_model_bad_arguments():
    with pytest.raises(TypeError, match="model must be a keras.Model, got str"):
        reset_model("model", 0)
    with pytest.raises(ValueError, match="seed must be an int"):
        reset_model(build_classifier(), -1)
    with pytest.raises(TypeError, match="seed must be an int"):
        reset_model(build_classifier(), 0.5)
