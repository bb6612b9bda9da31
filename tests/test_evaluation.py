import math
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics

from nbsupport.evaluation import Spread, binary_scores, predict_proba, spread
from nbsupport.models import build_classifier


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


def test_one_class_says_roc_auc_is_undefined_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scores = binary_scores([0, 0, 0], [0.1, 0.7, 0.2])
    assert math.isnan(scores["roc_auc"])
    assert scores["accuracy"] == pytest.approx(2 / 3) and scores["precision"] == 0.0 and scores["recall"] == 0.0


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        (([0, 1], [0.5]), {}, ValueError, r"y_true must hold one label per row \(1\)"),
        (([0, 2], [0.1, 0.9]), {}, ValueError, "y_true must hold the labels 0 and 1 only"),
        (([0, 1], [0.1, 1.9]), {}, ValueError, r"p must hold probabilities in \[0, 1\]"),
        (([0, 1], [0.1, np.nan]), {}, ValueError, "p must hold finite numbers only"),
        (([], []), {}, ValueError, "p must hold at least 1 row"),
        (([0, 1], [0.1, 0.9]), {"threshold": 1}, ValueError, r"threshold must be a finite number in \(0, 1\), got 1.0"),
        (([0, 1], [0.1, 0.9]), {"threshold": "0.5"}, TypeError, "threshold must be a finite number"),
    ],
)
def test_binary_scores_bad_input(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        binary_scores(*args, **kwargs)


def test_spread():
    s = spread([0.9649, 0.9737, 0.9825])
    assert isinstance(s, Spread) and s.n == 3
    assert s.mean == pytest.approx(0.9737) and s.sd == pytest.approx(0.0088)
    assert (s.min, s.max) == (0.9649, 0.9825)
    assert str(s).startswith("mean 0.9737, sd 0.0088")
    with pytest.raises(ValueError, match="values must hold at least 2 row"):
        spread([0.9])
    with pytest.raises(ValueError, match="values must hold finite numbers only"):
        spread([0.9, float("nan")])


def test_predict_proba_is_inference_mode():
    model = build_classifier(seed=0)
    X = np.random.default_rng(0).normal(size=(5, 30))
    np.testing.assert_array_equal(predict_proba(model, X), predict_proba(model, X))  # no dropout noise
    assert np.all((predict_proba(model, X) > 0) & (predict_proba(model, X) < 1))
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        predict_proba(model, X[0])
    with pytest.raises(ValueError, match=r"X must have 30 columns for this model, got shape \(5, 29\)"):
        predict_proba(model, X[:, 1:])
    with pytest.raises(TypeError, match="model must be a keras.Model"):
        predict_proba(lambda x: x, X)
