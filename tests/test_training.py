import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics

from nbsupport.data import load_breast_cancer_split
from nbsupport.models import build_classifier, fit_compiled
from nbsupport.training import Spread, as_history, binary_scores, plot_learning_curves, predict_proba, repeat_runs, spread

CURVES = {"loss": [0.6, 0.4, 0.3], "val_loss": [0.7, 0.5, 0.45], "accuracy": [0.7, 0.8, 0.9], "val_accuracy": [0.6, 0.8, 0.85]}


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
    ],
)
def test_as_history_bad_input(bad, error, message):
    with pytest.raises(error, match=message):
        as_history(bad)


def test_plot_learning_curves_single_and_compared():
    fig = plot_learning_curves(CURVES, title="t", mark_epoch=2)
    assert len(fig.axes) == 2 and fig.axes[0].get_xlabel() == "epoch"
    assert [line.get_linestyle() for line in fig.axes[0].get_lines()[:2]] == ["-", "--"]
    fig = plot_learning_curves({"a": CURVES, "b": CURVES}, metrics=("loss",))
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert labels == ["a: training", "a: validation", "b: training", "b: validation"]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"metrics": "loss"}, TypeError, "metrics must be a non-empty list"),
        ({"metrics": ("auc",)}, ValueError, "metrics: run '' has no 'auc'"),
        ({"mark_epoch": 0}, ValueError, "mark_epoch must be a positive int or None, got 0"),
    ],
)
def test_plot_learning_curves_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_learning_curves(CURVES, **kwargs)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 1), st.floats(0.01, 0.99)), min_size=4, max_size=40))
def test_binary_scores_agree_with_sklearn(pairs):
    y = np.array([t for t, _ in pairs])
    p = np.array([q for _, q in pairs])
    if len(set(y)) < 2:
        y[0], y[1] = 0, 1
    scores = binary_scores(y, p)
    pred = (p > 0.5).astype(int)
    assert scores["accuracy"] == pytest.approx(metrics.accuracy_score(y, pred))
    assert scores["recall"] == pytest.approx(metrics.recall_score(y, pred, zero_division=0))
    assert scores["roc_auc"] == pytest.approx(metrics.roc_auc_score(y, p))
    tp = np.sum((pred == 1) & (y == 1))
    fp = np.sum((pred == 1) & (y == 0))
    assert scores["precision"] == pytest.approx(tp / (tp + fp) if tp + fp else 0.0)


def test_binary_scores_bad_input():
    with pytest.raises(ValueError, match="must be 1-D of the same length"):
        binary_scores([0, 1], [0.5])
    with pytest.raises(ValueError, match="y_true must hold binary labels"):
        binary_scores([0, 2], [0.1, 0.9])
    with pytest.raises(ValueError, match=r"threshold must be a number in \(0, 1\), got 1"):
        binary_scores([0, 1], [0.1, 0.9], threshold=1)


def test_spread():
    s = spread([0.9649, 0.9737, 0.9825])
    assert isinstance(s, Spread) and s.n == 3
    assert s.mean == pytest.approx(0.9737) and s.sd == pytest.approx(0.0088)
    assert (s.min, s.max) == (0.9649, 0.9825)
    assert str(s).startswith("mean 0.9737, sd 0.0088")
    with pytest.raises(ValueError, match="values must be at least 2 finite numbers"):
        spread([0.9])
    with pytest.raises(ValueError, match="values must be at least 2 finite numbers"):
        spread([0.9, float("nan")])


def test_predict_proba_is_inference_mode():
    model = build_classifier(seed=0)
    X = np.random.default_rng(0).normal(size=(5, 30))
    np.testing.assert_array_equal(predict_proba(model, X), predict_proba(model, X))  # no dropout noise
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        predict_proba(model, X[0])


def test_repeat_runs():
    s = load_breast_cancer_split()
    runs = repeat_runs(s.X_train, s.y_train, s.X_test, s.y_test, seeds=[0, 1], epochs=3, hidden=(8,))
    assert [r.seed for r in runs] == [0, 1]
    fresh = fit_compiled(build_classifier(seed=1, hidden=(8,)), s.X_train, s.y_train, epochs=3, seed=1)
    np.testing.assert_allclose(runs[1].history["val_loss"], fresh["val_loss"], rtol=1e-5)  # same as a fresh model
    assert all(0.5 < r.test_accuracy <= 1 and r.history["loss"].shape == (3,) for r in runs)
    with pytest.raises(ValueError, match="seeds must be distinct"):
        repeat_runs(s.X_train, s.y_train, s.X_test, s.y_test, seeds=[0, 0])
    with pytest.raises(TypeError, match="seeds must be a non-empty list of ints"):
        repeat_runs(s.X_train, s.y_train, s.X_test, s.y_test, seeds=[])
    with pytest.raises(TypeError, match="pass seeds="):
        repeat_runs(s.X_train, s.y_train, s.X_test, s.y_test, seeds=[0], seed=1)
