"""Tests of nbsupport.logistic: logistic regression by hand, the safe step, full-batch descent and mini-batches."""

import warnings

import numpy as np
import pytest
import tensorflow as tf
from sklearn.linear_model import LogisticRegression

import nbsupport.logistic
from nbsupport.data import load_breast_cancer_split
from nbsupport.derivatives import numerical_gradient, tape_gradient
from nbsupport.logistic import (
    add_bias_column,
    logistic_descent,
    logistic_gradient,
    logistic_hessian,
    logistic_loss,
    logistic_loss_keras,
    minibatch_sgd,
    safe_step,
    smoothness_constant,
)


@pytest.fixture(scope="module")
def cancer():
    split = load_breast_cancer_split()
    return add_bias_column(split.X_train), split.y_train.astype(float)


# --- the loss and its gradient -------------------------------------------------------------


def test_logistic_gradient_three_ways(cancer):
    X, y = cancer
    w = np.random.default_rng(1).normal(0, 0.3, X.shape[1])
    by_hand = logistic_gradient(w, X, y)
    by_tape = tape_gradient(lambda v: logistic_loss_keras(v, X, y), w)
    by_differences = numerical_gradient(lambda v: logistic_loss(v, X, y), w)
    np.testing.assert_allclose(by_hand, by_tape, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(by_hand, by_differences, rtol=1e-6, atol=1e-8)


def test_logistic_loss_is_stable_and_matches_the_naive_form():
    X = np.array([[1.0, 2.0], [1.0, -3.0], [1.0, 0.5]])
    y = np.array([1.0, 0.0, 1.0])
    w = np.array([0.3, -0.4])
    p = 1 / (1 + np.exp(-(X @ w)))
    naive = -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
    assert logistic_loss(w, X, y) == pytest.approx(naive, rel=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert logistic_loss([1e4, 0.0], X, y) == pytest.approx(1e4 / 3)
        assert np.all(np.isfinite(logistic_gradient([1e4, -1e4], X, y)))


def test_logistic_hessian_against_the_tape_and_finite_differences(cancer):
    import tensorflow as tf

    X, y = cancer
    X = X[:, :6]
    w = np.random.default_rng(2).normal(0, 0.5, X.shape[1])
    hessian = logistic_hessian(w, X)
    variable = tf.Variable(w)
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            loss = logistic_loss_keras(variable, X, y)
        gradient = inner.gradient(loss, variable)
    by_tape = outer.jacobian(gradient, variable).numpy()
    by_differences = np.array([numerical_gradient(lambda v: logistic_gradient(v, X, y)[i], w) for i in range(X.shape[1])])
    np.testing.assert_allclose(hessian, by_tape, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(hessian, by_differences, rtol=1e-6, atol=1e-8)
    np.testing.assert_allclose(hessian, hessian.T, rtol=1e-12, atol=1e-15)


def test_logistic_hessian_is_bounded_by_L_with_equality_at_zero(cancer):
    X, _ = cancer
    L = smoothness_constant(X)
    assert np.linalg.eigvalsh(logistic_hessian(np.zeros(X.shape[1]), X))[-1] == pytest.approx(L, rel=1e-12)
    w = np.random.default_rng(3).normal(0, 1.0, X.shape[1])
    eigenvalues = np.linalg.eigvalsh(logistic_hessian(w, X))
    assert eigenvalues[0] > -1e-12 and eigenvalues[-1] < L  # positive semi-definite, and curving less away from w = 0


def test_logistic_hessian_refuses_bad_input():
    with pytest.raises(ValueError, match=r"w must be a 1-D array of 2 weights \(one per column of X\), got shape \(3,\)"):
        logistic_hessian([0.0, 0.0, 0.0], X_SMALL)
    with pytest.raises(ValueError, match=r"X must be a 2-D array \(samples, features\), got shape \(3,\)"):
        logistic_hessian([0.0], np.ones(3))
    with pytest.raises(ValueError, match=r"X is empty \(shape \(0, 2\)\)"):
        logistic_hessian([0.0, 0.0], np.zeros((0, 2)))
    with pytest.raises(TypeError, match="w must be a real number or an array"):
        logistic_hessian("w", X_SMALL)


# --- the safe step ---------------------------------------------------------------------------


def test_safe_step_on_the_breast_cancer_data(cancer):
    X, _ = cancer
    L = smoothness_constant(X)
    assert L == pytest.approx(np.linalg.norm(X, 2) ** 2 / (4 * len(X)))
    assert 0.28 < safe_step(X) < 0.33  # the reference figure for standardised data: about 0.31
    # the ones column changes nothing: standardised columns have mean 0, so it is orthogonal to them
    assert safe_step(X[:, 1:]) == pytest.approx(safe_step(X), rel=1e-9)


def test_safe_step_makes_every_step_lower_the_loss(cancer):
    X, y = cancer
    run = logistic_descent(X, y, safe_step(X), 300)
    assert np.all(np.diff(run.losses) < 0)
    # the descent lemma: every step below 2/L lowers the loss, by at least alpha (1 - alpha L / 2) |g|^2
    L = smoothness_constant(X)
    for alpha in (0.5 / L, 1.9 / L):
        run = logistic_descent(X, y, alpha, 50)
        gradients = np.array([logistic_gradient(w, X, y) for w in run.path[:-1]])
        promised = alpha * (1 - alpha * L / 2) * np.sum(gradients**2, axis=1)
        assert np.all(-np.diff(run.losses) >= promised * (1 - 1e-9))


def test_matches_scikit_learn_without_penalty(cancer):
    # with 4 features the classes overlap, so the unpenalised loss has a unique finite minimum
    X, y = cancer
    X4 = X[:, [0, 1, 2, 5, 8]]  # bias, mean radius, mean texture, mean smoothness, mean concave points
    run = logistic_descent(X4, y, safe_step(X4), 3000)
    model = LogisticRegression(C=np.inf, max_iter=10_000, tol=1e-12).fit(X4[:, 1:], y)
    w_sklearn = np.r_[model.intercept_, model.coef_.ravel()]
    np.testing.assert_allclose(run.w, w_sklearn, atol=1e-4)
    assert run.final_loss == pytest.approx(logistic_loss(w_sklearn, X4, y), abs=1e-9)


def test_logistic_descent_starts_at_w0():
    X, y = [[1.0, 2.0], [1.0, -1.0]], [1, 0]
    run = logistic_descent(X, y, 0.5, 3, w0=[0.1, -0.2])
    assert run.path[0].tolist() == [0.1, -0.2] and run.n_steps == 3


# --- mini-batches ----------------------------------------------------------------------------


def test_minibatch_sgd(cancer):
    X, y = cancer
    full = minibatch_sgd(X, y, 0.1, len(X), 5)
    gd = logistic_descent(X, y, 0.1, 5)
    np.testing.assert_allclose(full.losses, gd.losses, rtol=1e-12)  # one batch of everything is plain GD
    mini = minibatch_sgd(X, y, 0.1, 32, 3, seed=7)
    assert mini.updates_per_epoch == 15 and mini.n_updates == 45 and mini.epochs[-1] == 3
    assert mini.loss_at_epoch(3) == mini.losses[-1]
    np.testing.assert_array_equal(minibatch_sgd(X, y, 0.1, 32, 3, seed=7).losses, mini.losses)
    assert not np.array_equal(minibatch_sgd(X, y, 0.1, 32, 3, seed=8).losses, mini.losses)
    with pytest.raises(ValueError, match="epoch must be at most 3"):
        mini.loss_at_epoch(4)
    with pytest.raises(TypeError, match="epoch must be an int"):
        mini.loss_at_epoch(1.0)


# --- bad input -----------------------------------------------------------------------------


X_SMALL = np.array([[1.0, 2.0], [1.0, -1.0], [1.0, 0.5]])
Y_SMALL = np.array([1.0, 0.0, 1.0])
W_SMALL = np.array([0.1, -0.1])


def _spoilt(array, value):
    """A copy of ``array`` with one entry replaced by ``value``."""
    spoilt = np.array(array, dtype=float)
    spoilt.flat[spoilt.size // 2] = value
    return spoilt


CALLS_WITH_BAD_X = {
    "logistic_loss": lambda X: logistic_loss(W_SMALL, X, Y_SMALL),
    "logistic_gradient": lambda X: logistic_gradient(W_SMALL, X, Y_SMALL),
    "logistic_loss_keras": lambda X: logistic_loss_keras(W_SMALL, X, Y_SMALL),
    "logistic_hessian": lambda X: logistic_hessian(W_SMALL, X),
    "smoothness_constant": smoothness_constant,
    "safe_step": safe_step,
    "logistic_descent": lambda X: logistic_descent(X, Y_SMALL, 0.1, 3),
    "minibatch_sgd": lambda X: minibatch_sgd(X, Y_SMALL, 0.1, 1, 1),
    "add_bias_column": add_bias_column,
}
CALLS_WITH_BAD_Y = {
    "logistic_loss": lambda y: logistic_loss(W_SMALL, X_SMALL, y),
    "logistic_gradient": lambda y: logistic_gradient(W_SMALL, X_SMALL, y),
    "logistic_descent": lambda y: logistic_descent(X_SMALL, y, 0.1, 3),
    "minibatch_sgd": lambda y: minibatch_sgd(X_SMALL, y, 0.1, 1, 1),
}
CALLS_WITH_BAD_W = {
    "logistic_loss w": ("w", lambda w: logistic_loss(w, X_SMALL, Y_SMALL)),
    "logistic_gradient w": ("w", lambda w: logistic_gradient(w, X_SMALL, Y_SMALL)),
    "logistic_hessian w": ("w", lambda w: logistic_hessian(w, X_SMALL)),
    "logistic_loss_keras w": ("w", lambda w: logistic_loss_keras(w, X_SMALL, Y_SMALL)),
    "logistic_loss_keras tensor w": ("w", lambda w: logistic_loss_keras(tf.constant(w), X_SMALL, Y_SMALL)),
    "logistic_loss_keras variable w": ("w", lambda w: logistic_loss_keras(tf.Variable(w), X_SMALL, Y_SMALL)),
    "logistic_descent w0": ("w0", lambda w: logistic_descent(X_SMALL, Y_SMALL, 0.1, 3, w0=w)),
    "minibatch_sgd w0": ("w0", lambda w: minibatch_sgd(X_SMALL, Y_SMALL, 0.1, 1, 1, w0=w)),
}


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("call", list(CALLS_WITH_BAD_X.values()), ids=list(CALLS_WITH_BAD_X))
def test_non_finite_X_is_refused(call, value):
    with pytest.raises(ValueError, match=r"X must hold finite numbers only; it has 1 NaN or infinite value\(s\)"):
        call(_spoilt(X_SMALL, value))


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("call", list(CALLS_WITH_BAD_Y.values()), ids=list(CALLS_WITH_BAD_Y))
def test_non_finite_y_is_refused(call, value):
    with pytest.raises(ValueError, match=r"y must hold finite numbers only; it has 1 NaN or infinite value\(s\)"):
        call(_spoilt(Y_SMALL, value))


@pytest.mark.parametrize("value", [np.nan, np.inf, -np.inf], ids=["nan", "inf", "-inf"])
@pytest.mark.parametrize("name, call", list(CALLS_WITH_BAD_W.values()), ids=list(CALLS_WITH_BAD_W))
def test_non_finite_weights_are_refused(name, call, value):
    with pytest.raises(ValueError, match=rf"^{name} must hold finite numbers only"):
        call(_spoilt(W_SMALL, value))


@pytest.mark.parametrize("function", [smoothness_constant, safe_step])
def test_no_step_size_limit_for_a_zero_matrix(function):
    with pytest.raises(ValueError, match=r"X is all zeros \(shape \(3, 2\)\): L = 0, the loss does not depend on w, and no step-size limit exists"):
        function(np.zeros((3, 2)))


@pytest.mark.parametrize("function", [smoothness_constant, safe_step])
@pytest.mark.parametrize("shape", [(0, 2), (3, 0), (0, 0)])
def test_no_step_size_limit_for_an_empty_matrix(function, shape):
    with pytest.raises(ValueError, match=rf"X is empty \(shape \({shape[0]}, {shape[1]}\)\): it must hold at least one sample and one feature"):
        function(np.zeros(shape))


@pytest.mark.parametrize("function", [smoothness_constant, safe_step])
def test_step_size_limit_out_of_floating_point_range(function):
    with pytest.raises(ValueError, match="X is too large: X\\^T X overflows"):
        function(np.full((3, 2), 1e200))
    with pytest.raises(ValueError, match="X is too small: X\\^T X underflows to 0"):
        function(np.full((3, 2), 1e-200))


def test_empty_data_is_refused():
    with pytest.raises(ValueError, match=r"X is empty \(shape \(0, 2\)\)"):
        logistic_loss([0.0, 0.0], np.zeros((0, 2)), [])
    with pytest.raises(ValueError, match=r"X is empty \(shape \(0, 2\)\)"):
        minibatch_sgd(np.zeros((0, 2)), [], 0.1, 1, 1)


@pytest.mark.parametrize(
    "alpha, error",
    [(0.0, ValueError), (-0.1, ValueError), (float("nan"), ValueError), (float("inf"), ValueError), ("0.1", TypeError), (True, TypeError)],
)
def test_bad_learning_rate(alpha, error):
    with pytest.raises(error, match="alpha must be a finite number in"):
        minibatch_sgd([[1.0]], [1], alpha, 1, 1)
    with pytest.raises(error, match="alpha must be a finite number in"):
        logistic_descent([[1.0]], [1], alpha, 1)


@pytest.mark.parametrize(
    "seed, error, message",
    [
        (-1, ValueError, r"seed must be an int in \[0, 2147483647\], got -1"),
        (2**31, ValueError, r"seed must be an int in \[0, 2147483647\], got 2147483648"),
        (1.5, TypeError, r"seed must be an int in \[0, 2147483647\], got float 1.5"),
        ("7", TypeError, r"seed must be an int in \[0, 2147483647\], got str '7'"),
        (True, TypeError, r"seed must be an int in \[0, 2147483647\], got bool True"),
        (None, TypeError, r"seed must be an int in \[0, 2147483647\], got NoneType None"),
    ],
)
def test_bad_seed(seed, error, message):
    with pytest.raises(error, match=message):
        minibatch_sgd(X_SMALL, Y_SMALL, 0.1, 1, 1, seed=seed)


def test_largest_seed_and_numpy_ints_are_accepted():
    a = minibatch_sgd(X_SMALL, Y_SMALL, 0.1, 1, 2, seed=2**31 - 1)
    b = minibatch_sgd(X_SMALL, Y_SMALL, 0.1, 1, 2, seed=np.int64(2**31 - 1))
    np.testing.assert_array_equal(a.losses, b.losses)


def test_bad_data_for_logistic_regression():
    X = np.ones((4, 2))
    with pytest.raises(ValueError, match=r"y must be a 1-D array of 4 labels \(one per row of X\), got shape \(3,\)"):
        logistic_loss([0.0, 0.0], X, [0, 1, 0])
    with pytest.raises(ValueError, match=r"w must be a 1-D array of 2 weights \(one per column of X\), got shape \(3,\)"):
        logistic_gradient([0.0, 0.0, 0.0], X, [0, 1, 0, 1])
    with pytest.raises(ValueError, match=r"w0 must be a 1-D array of 2 weights \(one per column of X\), got shape \(1,\)"):
        logistic_descent(X, [0, 1, 0, 1], 0.1, 1, w0=[0.0])
    with pytest.raises(ValueError, match=r"y must hold labels in \[0, 1\] \(0 = benign, 1 = malignant\), got \[2.0\]"):
        logistic_loss([0.0, 0.0], X, [0, 2, 0, 1])
    with pytest.raises(ValueError, match=r"X must be a 2-D array \(samples, features\), got shape \(4,\)"):
        logistic_loss([0.0], np.ones(4), [0, 1, 0, 1])
    with pytest.raises(TypeError, match="X must be a real number or an array"):
        safe_step("X")
    with pytest.raises(TypeError, match="y must be a real number or an array"):
        logistic_loss([0.0, 0.0], X, ["a", "b", "c", "d"])
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        add_bias_column(np.ones(3))
    with pytest.raises(ValueError, match="batch_size must be between 1 and the number of samples 4, got 5"):
        minibatch_sgd(X, [0, 1, 0, 1], 0.1, 5, 1)
    with pytest.raises(ValueError, match=r"batch_size must be an int in \[1, "):
        minibatch_sgd(X, [0, 1, 0, 1], 0.1, 0, 1)
    with pytest.raises(TypeError, match="batch_size must be an int"):
        minibatch_sgd(X, [0, 1, 0, 1], 0.1, 2.0, 1)
    with pytest.raises(ValueError, match=r"n_epochs must be an int in \[1, "):
        minibatch_sgd(X, [0, 1, 0, 1], 0.1, 2, 0)
    with pytest.raises(ValueError, match=r"n_steps must be an int in \[0, "):
        logistic_descent(X, [0, 1, 0, 1], 0.1, -1)


# --- the weights of the Keras loss, and the length of a run ----------------------------------


@pytest.mark.parametrize(
    "w, shape",
    [
        (np.zeros(3), r"\(3,\)"),
        ([0.1], r"\(1,\)"),
        (tf.zeros(3, tf.float64), r"\(3,\)"),
        (tf.Variable(tf.zeros((1, 2), tf.float64)), r"\(1, 2\)"),
        (tf.constant(0.5, tf.float64), r"\(\)"),
    ],
    ids=["array", "list", "tensor", "variable", "scalar-tensor"],
)
def test_keras_loss_refuses_weights_of_the_wrong_shape(w, shape):
    with pytest.raises(ValueError, match=rf"^w must be a 1-D array of 2 weights \(one per column of X\), got shape {shape}$"):
        logistic_loss_keras(w, X_SMALL, Y_SMALL)


def test_keras_loss_refuses_integer_tensors_and_casts_float32():
    with pytest.raises(TypeError, match=r"^w must be a float tensor of 2 weights \(float64 like X\), got a tensor of dtype int32$"):
        logistic_loss_keras(tf.constant([1, 2]), X_SMALL, Y_SMALL)
    with pytest.raises(TypeError, match="w must be a real number or an array of real numbers, got str 'w'"):
        logistic_loss_keras("w", X_SMALL, Y_SMALL)
    single = tf.Variable(W_SMALL.astype(np.float32))
    with tf.GradientTape() as tape:
        loss = logistic_loss_keras(single, X_SMALL, Y_SMALL)
    gradient = tape.gradient(loss, single)
    assert float(loss) == pytest.approx(logistic_loss(W_SMALL.astype(np.float32), X_SMALL, Y_SMALL), rel=1e-12)
    np.testing.assert_allclose(gradient, logistic_gradient(W_SMALL.astype(np.float32), X_SMALL, Y_SMALL), rtol=1e-6)


def test_keras_loss_checks_the_shape_in_a_traced_function():
    traced = tf.function(lambda w: logistic_loss_keras(w, X_SMALL, Y_SMALL))
    assert float(traced(tf.constant(W_SMALL))) == pytest.approx(logistic_loss(W_SMALL, X_SMALL, Y_SMALL), rel=1e-12)
    with pytest.raises(ValueError, match=r"w must be a 1-D array of 2 weights \(one per column of X\), got shape \(3,\)"):
        traced(tf.zeros(3, tf.float64))
    unknown_length = tf.function(lambda w: logistic_loss_keras(w, X_SMALL, Y_SMALL), input_signature=[tf.TensorSpec([None], tf.float64)])
    assert float(unknown_length(tf.constant(W_SMALL))) == pytest.approx(logistic_loss(W_SMALL, X_SMALL, Y_SMALL), rel=1e-12)


def test_runs_longer_than_the_limit_are_refused():
    assert nbsupport.logistic.MAX_STEPS == 1_000_000
    with pytest.raises(ValueError, match=r"^n_steps must be an int in \[0, 1000000\], got 1000000000$"):
        logistic_descent(X_SMALL, Y_SMALL, 0.1, 10**9)
    with pytest.raises(ValueError, match=r"^n_epochs must be an int in \[1, 1000000\], got 1000000000$"):
        minibatch_sgd(X_SMALL, Y_SMALL, 0.1, 3, 10**9)
    # three samples one at a time: three updates per epoch, so 333,334 epochs are one update too many
    with pytest.raises(
        ValueError,
        match=r"^n_epochs=333334 with 3 updates per epoch \(batch_size=1, 3 samples\) makes 1,000,002 updates; "
        r"at most 1,000,000 are allowed: lower n_epochs or raise batch_size$",
    ):
        minibatch_sgd(X_SMALL, Y_SMALL, 0.1, 1, 333_334)


def test_the_limit_is_inclusive(monkeypatch):
    """At the limit a run goes ahead; one step or update more is refused (with the limit lowered to keep it quick)."""
    import nbsupport.descent

    monkeypatch.setattr(nbsupport.descent, "MAX_STEPS", 12)
    monkeypatch.setattr(nbsupport.logistic, "MAX_STEPS", 12)
    assert logistic_descent(X_SMALL, Y_SMALL, 0.1, 12).n_steps == 12
    with pytest.raises(ValueError, match=r"n_steps must be an int in \[0, 12\], got 13"):
        logistic_descent(X_SMALL, Y_SMALL, 0.1, 13)
    assert minibatch_sgd(X_SMALL, Y_SMALL, 0.1, 1, 4).n_updates == 12
    with pytest.raises(ValueError, match="makes 15 updates; at most 12 are allowed"):
        minibatch_sgd(X_SMALL, Y_SMALL, 0.1, 1, 5)
    assert minibatch_sgd(X_SMALL, Y_SMALL, 0.1, 3, 12).n_updates == 12
    with pytest.raises(ValueError, match=r"n_epochs must be an int in \[1, 12\], got 13"):
        minibatch_sgd(X_SMALL, Y_SMALL, 0.1, 3, 13)
