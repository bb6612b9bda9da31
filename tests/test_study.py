import numpy as np
import pytest

from nbsupport.data import load_breast_cancer_split
from nbsupport.diagnostics import gradient_profile, kernel_snapshot, weight_change
from nbsupport.models import build_classifier, build_mlp
from nbsupport.study import Run, SeedRun, repeat_runs, seed_study
from nbsupport.training import CompiledTrainer, fit_compiled, reset_model

RNG = np.random.default_rng(0)
X = RNG.normal(size=(96, 2))
Y = (X[:, 0] * X[:, 1] > 0).astype(float)


@pytest.fixture(scope="module")
def split():
    return load_breast_cancer_split()


def _net(**options):
    return build_mlp(2, (16, 16, 16), optimizer="sgd", learning_rate=0.1, **options)


# --- the study is the loop a chapter writes by hand --------------------------------------------------


def test_seed_study_is_the_loop_written_out():
    model = _net(seed=0)
    trainer = CompiledTrainer(model)
    by_hand = []
    for seed in [0, 1, 2]:
        reset_model(model, seed)
        start = kernel_snapshot(model)
        history = trainer.fit(X, Y, epochs=3, batch_size=32, validation_split=0.0, seed=seed)
        by_hand.append((history, weight_change(model, start)))
    runs = seed_study(_net(), X, Y, seeds=[0, 1, 2], epochs=3)
    assert [run.seed for run in runs] == [0, 1, 2] and all(isinstance(run, SeedRun) for run in runs)
    for run, (history, moved) in zip(runs, by_hand):
        for key in history:
            np.testing.assert_array_equal(run.history[key], history[key])
        assert run.moved == moved and run.before is None and run.after is None
        assert run.final_accuracy == history["accuracy"][-1]


def test_the_hooks_run_in_order_on_each_seeds_start():
    calls = []

    def start(model, seed):
        calls.append(("start", seed))
        for layer in model.layers:
            if layer.name.startswith("dense_"):
                layer.kernel.assign(layer.kernel * 2.0)

    def before(model):
        calls.append(("before",))
        return float(np.linalg.norm(model.get_layer("dense_1").kernel.numpy()))

    runs = seed_study(_net(), X, Y, seeds=[4, 5], epochs=1, start=start, before=before, after=lambda model: "trained")
    assert calls == [("start", 4), ("before",), ("start", 5), ("before",)]
    fresh = np.linalg.norm(_net(seed=4).get_layer("dense_1").kernel.numpy())
    assert runs[0].before == pytest.approx(2 * fresh, rel=1e-6), "before() should see the start that start() made"
    assert [run.after for run in runs] == ["trained", "trained"]


def test_measuring_in_training_mode_before_training_changes_no_run():
    """A training-mode gradient profile moves batch normalization's moving averages; the diagnostics put
    them back, so measuring first does not change what training then does."""
    plain = seed_study(_net(batch_norm="before"), X, Y, seeds=[0], epochs=2, validation_split=0.25)
    measured = seed_study(_net(batch_norm="before"), X, Y, seeds=[0], epochs=2, validation_split=0.25,
                          before=lambda model: gradient_profile(model, X, Y, training=True))
    for key in plain[0].history:
        np.testing.assert_array_equal(plain[0].history[key], measured[0].history[key])


def test_a_regression_study_has_no_accuracy():
    (run,) = seed_study(build_mlp(2, (4,), output_activation="linear", loss="mse"), X, X[:, 0], seeds=[0], epochs=1)
    with pytest.raises(ValueError, match="this run has no accuracy curve"):
        run.final_accuracy


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"seeds": [0, 0]}, ValueError, "seeds must be distinct"),
        ({"seeds": []}, ValueError, "seeds must hold at least 1 seeds, got 0"),
        ({"seeds": 3}, TypeError, "seeds must be a list of seeds"),
        ({"epochs": 0}, ValueError, r"epochs must be an int in \[1, 1000000\]"),
        ({"batch_size": 0}, ValueError, r"batch_size must be an int in \[1, "),
        ({"validation_split": 1.5}, ValueError, r"validation_split must be a finite number in \[0, 1\)"),
        ({"start": "scale"}, TypeError, "start must be a function, got str 'scale'"),
        ({"before": 1}, TypeError, "before must be a function, got int 1"),
        ({"after": [len]}, TypeError, "after must be a function"),
    ],
)
def test_seed_study_checks_everything_before_training(kwargs, error, message):
    model = _net()
    arguments = {"seeds": [0], "epochs": 1} | kwargs
    with pytest.raises(error, match=message):
        seed_study(model, X, Y, **arguments)
    assert not model.optimizer.built


def test_seed_study_checks_the_labels():
    with pytest.raises(ValueError, match=r"y must hold the labels 0 and 1"):
        seed_study(_net(), X, Y + 1, seeds=[0], epochs=1)


# --- repeat_runs: the study scored on a test set ----------------------------------------------------


def test_repeat_runs(split):
    runs = repeat_runs(build_classifier(hidden=(8,)), split.X_train, split.y_train, split.X_test, split.y_test, seeds=[0, 1], epochs=3)
    assert [r.seed for r in runs] == [0, 1] and all(isinstance(r, Run) for r in runs)
    fresh = fit_compiled(build_classifier(seed=1, hidden=(8,)), split.X_train, split.y_train, epochs=3, seed=1)
    np.testing.assert_array_equal(runs[1].history["val_loss"], fresh["val_loss"])  # same as a fresh model
    assert all(0.5 < r.test_accuracy <= 1 and r.history["loss"].shape == (3,) for r in runs)


def test_repeat_runs_for_regression_scores_the_squared_error():
    Xr = np.random.default_rng(2).normal(size=(40, 2))
    (run,) = repeat_runs(build_mlp(2, (4,), output_activation="linear", loss="mse"), Xr, Xr[:, 0], Xr[:5], Xr[:5, 0], seeds=[0], epochs=2)
    assert list(run.scores) == ["mse"]
    with pytest.raises(ValueError, match="this run has no accuracy"):
        run.test_accuracy


def test_repeat_runs_checks_everything_before_training(split):
    model = build_classifier()
    args = (split.X_train, split.y_train, split.X_test, split.y_test)
    with pytest.raises(ValueError, match=r"X_test must have shape \(samples, 30\) for this model, got \(114, 29\)"):
        repeat_runs(model, *args[:2], split.X_test[:, 1:], split.y_test, seeds=[0])
    with pytest.raises(ValueError, match=r"X_train must have shape \(samples, 30\)"):
        repeat_runs(model, split.X_train[:, :5], *args[1:], seeds=[0])
    with pytest.raises(ValueError, match=r"y_test must hold the labels 0 and 1"):
        repeat_runs(model, *args[:3], split.y_test + 2, seeds=[0])
    with pytest.raises(ValueError, match="seeds must be distinct"):
        repeat_runs(model, *args, seeds=[0, 0])
    with pytest.raises(ValueError, match="each seed must be an int"):
        repeat_runs(model, *args, seeds=[0, -1])
    assert not model.optimizer.built  # no run started
