import numpy as np
import pytest
from sklearn.datasets import load_breast_cancer

from nbsupport.data import load_breast_cancer_split, load_breast_cancer_xy


def test_labels_are_flipped_so_that_1_is_malignant():
    X, y, _ = load_breast_cancer_xy()
    raw = load_breast_cancer()
    assert y.sum() == 212 and (y == 0).sum() == 357
    np.testing.assert_array_equal(y == 1, raw.target_names[raw.target] == "malignant")


def test_default_is_the_articles_split():
    split = load_breast_cancer_split()
    assert split.X_train.shape == (455, 30) and split.X_test.shape == (114, 30)
    np.testing.assert_allclose(split.X_train.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(split.X_train.std(axis=0), 1, atol=1e-12)
    assert abs(split.X_test.mean()) > 1e-6  # scaler fitted on the training part only


def test_same_rows_as_sklearn_split():
    from sklearn.model_selection import train_test_split

    X, y, _ = load_breast_cancer_xy()
    _, _, _, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    np.testing.assert_array_equal(load_breast_cancer_split().y_test, y_test)


def test_robust_and_no_scaling():
    robust = load_breast_cancer_split(scaling="robust")
    np.testing.assert_allclose(np.median(robust.X_train, axis=0), 0, atol=1e-12)
    raw = load_breast_cancer_split(scaling="none")
    assert raw.scaler is None and raw.X_train.max() > 100


def test_stratified_split_keeps_class_shares():
    split = load_breast_cancer_split(stratify=True, seed=3)
    assert abs(split.y_train.mean() - split.y_test.mean()) < 0.01


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"test_size": 0}, ValueError, r"test_size must be a finite number in \(0, 1\), got 0.0"),
        ({"test_size": "0.2"}, TypeError, "test_size must be a finite number"),
        ({"seed": -1}, ValueError, r"seed must be an int in \[0, 2147483647\], got -1"),
        ({"seed": 1.5}, TypeError, "seed must be an int in .*, got float 1.5"),
        ({"scaling": None}, TypeError, "scaling must be one of"),
        ({"stratify": "yes"}, TypeError, "stratify must be True or False"),
        ({"scaling": "minmax"}, ValueError, r"scaling must be one of \('standard', 'robust', 'none'\), got 'minmax'"),
    ],
)
def test_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        load_breast_cancer_split(**kwargs)


# --- generated sequence tasks ---------------------------------------------------------------------------

from nbsupport.data import load_moons, make_sign_sequences  # noqa: E402


def test_sign_sequences_are_labelled_by_the_first_value_and_reproducible():
    X, y = make_sign_sequences(500, 30, seed=3)
    assert X.shape == (500, 30, 1) and y.dtype.kind == "i"
    np.testing.assert_array_equal(y, X[:, 0, 0] > 0)
    assert 0.4 < y.mean() < 0.6 and abs(X.std() - 1) < 0.05
    X2, y2 = make_sign_sequences(500, 30, seed=3)
    np.testing.assert_array_equal(X, X2)
    assert not np.array_equal(X, make_sign_sequences(500, 30, seed=4)[0])


@pytest.mark.parametrize(
    "make, kwargs, error, message",
    [
        (make_sign_sequences, {"n_sequences": 0, "length": 5}, ValueError, "n_sequences must be an int"),
        (make_sign_sequences, {"n_sequences": 5, "length": 2.0}, TypeError, "length must be an int"),
        (make_sign_sequences, {"n_sequences": 5, "length": 5, "seed": -1}, ValueError, "seed must be an int"),
        (make_sign_sequences, {"n_sequences": True, "length": 5}, TypeError, "n_sequences must be an int"),
        (make_sign_sequences, {"n_sequences": 10**6, "length": 10**6}, ValueError,
         r"n_sequences \* length must be at most 50,000,000 values \(400 MB\), got 1,000,000,000,000"),
        (load_moons, {"n_samples": 1}, ValueError, r"n_samples must be an int in \[2, 10000000\]"),
        (load_moons, {"n_samples": 10**9}, ValueError, r"n_samples must be an int in \[2, 10000000\]"),
        (load_moons, {"noise": -0.1}, ValueError, r"noise must be a finite number in \[0, inf\)"),
        (load_moons, {"seed": 1.5}, TypeError, "seed must be an int"),
    ],
)
def test_sequence_tasks_bad_arguments(make, kwargs, error, message):
    with pytest.raises(error, match=message):
        make(**kwargs)


# --- the moons -------------------------------------------------------------------------------------------


def test_the_moons_are_scikit_learns_standardised():
    from sklearn.datasets import make_moons
    from sklearn.preprocessing import StandardScaler

    X, y = load_moons(300, noise=0.1, seed=4)
    X_ref, y_ref = make_moons(n_samples=300, noise=0.1, random_state=4)
    np.testing.assert_array_equal(X, StandardScaler().fit_transform(X_ref))
    np.testing.assert_array_equal(y, y_ref)
    np.testing.assert_allclose(X.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(X.std(axis=0), 1, rtol=1e-12)
