import keras
import numpy as np
import pytest

from nbsupport.data import load_breast_cancer_split
from nbsupport.models import build_classifier, build_mlp, build_rnn
from nbsupport import training
from nbsupport.training import MAX_EPOCHS, CompiledTrainer, fit_compiled, reset_model

HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")

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
    fitted, looped = build_classifier(seed=0), build_classifier(seed=0)  # one network each: one trace each
    for seed in seeds:
        reset_model(fitted, seed)
        fitted.fit(split.X_train, split.y_train, epochs=epochs, batch_size=32, validation_split=0.2, verbose=0)
        by_fit.append(test_accuracy(fitted))
        reset_model(looped, seed)
        fit_compiled(looped, split.X_train, split.y_train, epochs=epochs, seed=seed)
        by_loop.append(test_accuracy(looped))
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


# --- bad input: every check happens before any training -----------------------------------------


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"epochs": 0}, ValueError, r"epochs must be an int in \[1, 1000000\], got 0"),
        ({"epochs": 10**9}, ValueError, r"epochs must be an int in \[1, 1000000\], got 1000000000"),
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
    with pytest.raises(ValueError, match=r"y must hold one target per sample \(455\)"):
        fit_compiled(model, split.X_train, split.y_train[:-1])
    with pytest.raises(TypeError, match="model must be a keras.Model .*, got str"):
        fit_compiled("model", split.X_train, split.y_train)
    uncompiled = keras.Sequential([keras.Input(shape=(30,)), keras.layers.Dense(1, activation="sigmoid")])
    with pytest.raises(ValueError, match="model must be compiled with an optimizer and a loss first"):
        fit_compiled(uncompiled, split.X_train, split.y_train)
    assert int(model.optimizer.iterations) == 0  # nothing trained along the way


def test_reset_model_bad_arguments():
    with pytest.raises(TypeError, match="model must be a keras.Model .*, got str"):
        reset_model("model", 0)
    with pytest.raises(ValueError, match="seed must be an int"):
        reset_model(build_classifier(), -1)
    with pytest.raises(TypeError, match="seed must be an int"):
        reset_model(build_classifier(), 0.5)


# --- the loop runs in short calls, so training can be stopped ------------------------------------


def test_short_calls_give_the_same_run_as_one_long_call(split, monkeypatch):
    """The epochs run in calls of about a quarter of a second; how they are cut changes no number."""
    histories, weights = [], []
    for seconds in (1e-9, 1e9):  # every epoch its own call; then as many epochs a call as allowed
        monkeypatch.setattr(training, "_SECONDS_PER_CALL", seconds)
        model = build_classifier(seed=3)
        histories.append(fit_compiled(model, split.X_train, split.y_train, epochs=6, seed=5))
        weights.append(model.get_weights())
    for key in HISTORY_KEYS:
        np.testing.assert_array_equal(histories[0][key], histories[1][key])
    for a, b in zip(*weights):
        np.testing.assert_array_equal(a, b)


_INTERRUPTED_RUN = """
import sys, time
import nbsupport
import numpy as np
from nbsupport.models import build_mlp
from nbsupport.training import CompiledTrainer
X = np.random.default_rng(0).normal(size=(1000, 2)); y = (X[:, 0] > 0).astype(float)
trainer = CompiledTrainer(build_mlp(2, (64,) * 4, optimizer="sgd", learning_rate=0.05, seed=0))
trainer.fit(X, y, epochs=1, validation_split=0.0)  # traced: what follows is training only
print("training", flush=True)
try:
    trainer.fit(X, y, epochs=100_000, validation_split=0.0)
except KeyboardInterrupt:
    print(f"stopped {time.perf_counter():.6f} after {int(trainer.model.optimizer.iterations)} steps", flush=True)
    sys.exit(0)
print("finished", flush=True)
"""


@pytest.mark.stress
def test_the_stop_button_stops_a_long_run_within_a_second():
    """Jupyter's stop button sends SIGINT. A run of 100,000 epochs (an hour and more) stops within about a
    second of it; when all epochs ran inside one traced call, the interrupt waited for the whole run."""
    import signal
    import subprocess
    import sys
    import time

    process = subprocess.Popen([sys.executable, "-c", _INTERRUPTED_RUN], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert process.stdout.readline().strip() == "training"
        time.sleep(2.0)
        sent = time.perf_counter()
        process.send_signal(signal.SIGINT)
        line = process.stdout.readline().split()
        process.wait(timeout=30)
    finally:
        process.kill()
    assert line[0] == "stopped", f"the run did not stop on SIGINT: {line}"
    delay = float(line[1]) - sent
    assert delay < 1.0, f"the run stopped {delay:.2f} s after the interrupt"
    assert int(line[3]) > 32, "it should have been training (more than one epoch of steps) when interrupted"


def _resident_mib() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


@pytest.mark.stress
@pytest.mark.skipif(not __import__("os").path.exists("/proc/self/statm"), reason="reads /proc (Linux)")
def test_training_many_models_leaves_no_memory_behind():
    """Each traced training loop kept about 5 MB that gc could not return (TensorFlow's registry of custom
    gradients held the graph). 20 models of 10 x 64 units, built, trained and dropped, now grow the
    resident memory by far less than that: the bound allows 1 MB a model."""
    import gc

    X = np.random.default_rng(0).normal(size=(200, 2))
    y = (X[:, 0] > 0).astype(float)

    def train_one(seed):
        model = build_mlp(2, (64,) * 10, optimizer="sgd", learning_rate=0.1, seed=seed)
        fit_compiled(model, X, y, epochs=1, validation_split=0.0)

    for seed in range(3):  # warm up: TensorFlow's one-off caches
        train_one(seed)
    gc.collect()
    before = _resident_mib()
    for seed in range(20):
        train_one(seed)
    gc.collect()
    grown = _resident_mib() - before
    assert grown < 20, f"20 trained models left {grown:.1f} MiB behind"


# --- targets that the loss cannot read, and models the trainer cannot read -----------------------


def test_labels_must_fit_the_loss():
    X = np.random.default_rng(0).normal(size=(20, 3))
    binary = build_mlp(3, (4,), seed=0)
    with pytest.raises(ValueError, match=r"y must hold the labels 0 and 1 .* binary cross-entropy; got values from 1 to 2"):
        fit_compiled(binary, X, np.arange(20) % 2 + 1)
    softmax = build_mlp(3, (4,), output_units=3, output_activation="softmax", loss="sparse_categorical_crossentropy", seed=0)
    with pytest.raises(ValueError, match=r"y must hold one class index per sample, an integer from 0 to 2 .* values from 0 to 7"):
        fit_compiled(softmax, X, np.arange(20) % 8)
    with pytest.raises(ValueError, match=r"y must hold one class index per sample"):
        fit_compiled(softmax, X, np.full(20, 0.5))
    one_hot = build_mlp(3, (4,), output_units=3, output_activation="softmax", loss="categorical_crossentropy", seed=0)
    with pytest.raises(ValueError, match=r"y must hold one row of 3 class probabilities per sample \(one-hot labels"):
        fit_compiled(one_hot, X, np.arange(20) % 3)
    fit_compiled(one_hot, X, np.eye(3)[np.arange(20) % 3], epochs=1, validation_split=0.0)  # the right form trains
    assert int(binary.optimizer.iterations) == int(softmax.optimizer.iterations) == 0


def test_a_binary_model_on_logits_decides_at_zero():
    """A linear output trained with binary cross-entropy from logits: class 1 means z > 0, not z > 0.5."""
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, 2))
    y = (X[:, 0] > 0).astype(float)
    model = build_mlp(2, (8,), output_activation="linear", seed=0)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1e-12), loss=keras.losses.BinaryCrossentropy(from_logits=True))
    history = fit_compiled(model, X, y, epochs=1, validation_split=0.5)  # weights frozen: validation reads these z
    z, y_val = np.asarray(model(X[100:])).ravel(), y[100:]
    assert np.mean((z > 0) == y_val) != np.mean((z > 0.5) == y_val), "the data should tell the two thresholds apart"
    assert history["val_accuracy"][0] == pytest.approx(np.mean((z > 0) == y_val), abs=1e-6)


def test_models_the_trainer_cannot_read_are_refused_by_name():
    inner = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4, activation="relu")], name="block")
    nested = keras.Sequential([keras.Input((3,)), inner, keras.layers.Dense(1, activation="sigmoid")])
    nested.compile(optimizer="sgd", loss="binary_crossentropy")
    with pytest.raises(ValueError, match=r"model holds other models as layers \(block\)"):
        CompiledTrainer(nested)
    with pytest.raises(ValueError, match=r"model holds other models as layers \(block\)"):
        reset_model(nested, 0)
    inputs = keras.Input((3,))
    two = keras.Model(inputs, [keras.layers.Dense(1)(inputs), keras.layers.Dense(1)(inputs)])
    two.compile(optimizer="sgd", loss=["mse", "mse"])
    with pytest.raises(ValueError, match="model must have a single output, got 2 outputs"):
        CompiledTrainer(two)


def test_the_epoch_limit_is_stated():
    assert MAX_EPOCHS == 1_000_000


def test_training_a_model_again_reuses_its_trace_until_it_is_compiled_again():
    X = np.random.default_rng(0).normal(size=(40, 3))
    y = (X[:, 0] > 0).astype(float)
    model = build_mlp(3, (4,), seed=0)
    first = training._trainer_for(model)
    fit_compiled(model, X, y, epochs=1)
    assert training._trainer_for(model) is first
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    assert training._trainer_for(model) is not first, "a re-compiled model must not train with its old optimizer"
    others = [build_mlp(3, (4,), seed=s) for s in range(training._KEEP_TRAINERS)]  # as many new models as are kept
    for other in others:
        fit_compiled(other, X, y, epochs=1)
    assert all(entry[0].model is not model for entry in training._RECENT_TRAINERS.values()), "only the last few are kept"


def test_return_freed_memory_runs_the_collector_and_trims_the_heap_on_linux():
    import gc
    import sys

    from nbsupport import _memory

    class Cycle:
        pass

    a, b = Cycle(), Cycle()
    a.other, b.other = b, a
    import weakref

    alive = weakref.ref(a)
    del a, b
    gc.disable()
    try:
        trimmed = _memory.return_freed_memory()
    finally:
        gc.enable()
    assert alive() is None, "the cycle should be collected"
    assert trimmed == sys.platform.startswith("linux")
