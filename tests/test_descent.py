import warnings

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression

from nbsupport.data import load_breast_cancer_split
from nbsupport.descent import (
    DescentRun,
    QuadraticBowl,
    add_bias_column,
    gradient_descent,
    logistic_descent,
    logistic_gradient,
    logistic_loss,
    logistic_loss_keras,
    measured_regime,
    minibatch_sgd,
    safe_step,
    smoothness_constant,
    step_regime,
)
from nbsupport.descent_plots import (
    plot_learning_rate_panels,
    plot_lr_sweep,
    plot_paths_on_surface,
    plot_regimes,
    plot_sgd_runs,
)
from nbsupport.gradients import numerical_gradient, tape_gradient


@pytest.fixture(scope="module")
def cancer():
    split = load_breast_cancer_split()
    return add_bias_column(split.X_train), split.y_train.astype(float)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- the loop on the quadratic ----------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    a=st.floats(0.1, 10.0),
    ratio=st.floats(0.05, 1.95),  # alpha * a, inside the stable range (0, 2)
    w0=st.floats(-5.0, 5.0),
    k=st.integers(0, 30),
)
def test_iterates_follow_the_closed_form(a, ratio, w0, k):
    bowl = QuadraticBowl([a])
    alpha = ratio / a
    run = gradient_descent(bowl.loss, bowl.grad, w0, alpha, k)
    expected = (1 - alpha * a) ** np.arange(k + 1) * w0
    np.testing.assert_allclose(run.path[:, 0], expected, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(run.losses, 0.5 * a * expected**2, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(bowl.iterate(w0, alpha, k), [expected[-1]], rtol=1e-9, atol=1e-12)
    assert not run.diverged and run.n_steps == k


@settings(max_examples=40, deadline=None)
@given(a=st.floats(0.1, 10.0), ratio=st.floats(0.05, 3.0).filter(lambda r: abs(r - 1) > 1e-3 and abs(r - 2) > 1e-2))
def test_measured_regime_matches_theory(a, ratio):
    bowl = QuadraticBowl([a])
    run = gradient_descent(bowl.loss, bowl.grad, 1.0, ratio / a, 40)
    assert measured_regime(run) == step_regime(ratio / a, a)


def test_2d_iterates_follow_the_closed_form():
    bowl = QuadraticBowl([0.2, 2.0], angle=30)
    run = gradient_descent(bowl.loss, bowl.grad, [-2.5, 1.0], 0.7, 15)
    np.testing.assert_allclose(run.w, bowl.iterate([-2.5, 1.0], 0.7, 15), rtol=1e-10)
    np.testing.assert_allclose(np.linalg.eigvalsh(bowl.hessian), [0.2, 2.0])
    assert bowl.max_stable_step == pytest.approx(1.0) and bowl.best_step == pytest.approx(2 / 2.2)


def test_divergence_is_stopped_without_warnings():
    bowl = QuadraticBowl([2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        run = gradient_descent(bowl.loss, bowl.grad, 1.0, alpha=5.0, n_steps=10_000)
        overflow = gradient_descent(lambda w: float(np.exp(w[0]) ** 2), lambda w: -2 * np.exp(w), 1.0, 1e3, 10, max_loss=1e300)
    assert run.diverged and run.n_steps < 20 and np.all(np.isfinite(run.losses)) and run.losses.max() <= 1e10
    assert overflow.diverged and np.all(np.isfinite(overflow.losses))


# --- logistic regression by hand ---------------------------------------------------------------


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


def test_safe_step_on_the_breast_cancer_data(cancer):
    X, _ = cancer
    L = smoothness_constant(X)
    assert L == pytest.approx(np.linalg.norm(X, 2) ** 2 / (4 * len(X)))
    assert 0.28 < safe_step(X) < 0.33  # COURSE.md's reference: about 0.30
    # the ones column changes nothing: standardised columns have mean 0, so it is orthogonal to them
    assert safe_step(X[:, 1:]) == pytest.approx(safe_step(X), rel=1e-9)


def test_safe_step_makes_every_step_lower_the_loss(cancer):
    X, y = cancer
    run = logistic_descent(X, y, safe_step(X), 300)
    assert np.all(np.diff(run.losses) < 0)


def test_matches_scikit_learn_without_penalty(cancer):
    # with 4 features the classes overlap, so the unpenalised loss has a unique finite minimum
    X, y = cancer
    X4 = X[:, [0, 1, 2, 5, 8]]  # bias, mean radius, mean texture, mean smoothness, mean concave points
    run = logistic_descent(X4, y, safe_step(X4), 3000)
    model = LogisticRegression(C=np.inf, max_iter=10_000, tol=1e-12).fit(X4[:, 1:], y)
    w_sklearn = np.r_[model.intercept_, model.coef_.ravel()]
    np.testing.assert_allclose(run.w, w_sklearn, atol=1e-4)
    assert run.final_loss == pytest.approx(logistic_loss(w_sklearn, X4, y), abs=1e-9)


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


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "alpha, error",
    [(0.0, ValueError), (-0.1, ValueError), (float("nan"), ValueError), (float("inf"), ValueError), ("0.1", TypeError), (True, TypeError)],
)
def test_bad_learning_rate(alpha, error):
    bowl = QuadraticBowl([1.0])
    with pytest.raises(error, match="alpha must be"):
        gradient_descent(bowl.loss, bowl.grad, 1.0, alpha, 5)
    with pytest.raises(error, match="alpha must be"):
        minibatch_sgd([[1.0]], [1], alpha, 1, 1)


def test_bad_arguments_of_the_loop():
    bowl = QuadraticBowl([1.0, 2.0])
    with pytest.raises(ValueError, match=r"grad must return an array of the parameters' shape \(2,\), got shape \(3,\)"):
        gradient_descent(bowl.loss, lambda w: np.ones(3), [1.0, 1.0], 0.1, 3)
    with pytest.raises(ValueError, match=r"w must have 2 coordinate\(s\) for this bowl, got shape \(3,\)"):
        gradient_descent(bowl.loss, bowl.grad, [1.0, 1.0, 1.0], 0.1, 3)
    with pytest.raises(ValueError, match="w0 must be a number or a non-empty 1-D array"):
        gradient_descent(bowl.loss, bowl.grad, np.ones((2, 2)), 0.1, 3)
    with pytest.raises(ValueError, match="w0 must contain finite numbers"):
        gradient_descent(bowl.loss, bowl.grad, [np.nan, 1.0], 0.1, 3)
    with pytest.raises(TypeError, match="loss must be a function"):
        gradient_descent(None, bowl.grad, [1.0, 1.0], 0.1, 3)
    with pytest.raises(TypeError, match="grad must be a function"):
        gradient_descent(bowl.loss, "grad", [1.0, 1.0], 0.1, 3)
    with pytest.raises(ValueError, match="n_steps must be an int >= 0"):
        gradient_descent(bowl.loss, bowl.grad, [1.0, 1.0], 0.1, -1)
    with pytest.raises(TypeError, match="n_steps must be an int"):
        gradient_descent(bowl.loss, bowl.grad, [1.0, 1.0], 0.1, 2.5)
    with pytest.raises(ValueError, match="max_loss must be a finite number > 0"):
        gradient_descent(bowl.loss, bowl.grad, [1.0, 1.0], 0.1, 3, max_loss=0)
    with pytest.raises(ValueError, match="loss must return a single number"):
        gradient_descent(lambda w: w, bowl.grad, [1.0, 1.0], 0.1, 3)
    with pytest.raises(ValueError, match="the loss at w0 must be finite"):
        gradient_descent(lambda w: float("inf"), bowl.grad, [1.0, 1.0], 0.1, 3)


def test_bad_bowls_and_regimes():
    with pytest.raises(ValueError, match="curvatures must be a finite number > 0"):
        QuadraticBowl([1.0, -2.0])
    with pytest.raises(ValueError, match="curvatures must hold one or two numbers"):
        QuadraticBowl([1.0, 2.0, 3.0])
    with pytest.raises(TypeError, match="curvatures must be a list"):
        QuadraticBowl(2.0)
    with pytest.raises(ValueError, match="angle only applies to a 2-D bowl"):
        QuadraticBowl([1.0], angle=10)
    with pytest.raises(TypeError, match="angle must be a finite number"):
        QuadraticBowl([1.0, 2.0], angle="10")
    with pytest.raises(ValueError, match="curvature must be a finite number > 0"):
        step_regime(0.1, 0.0)
    with pytest.raises(TypeError, match="run must be a DescentRun"):
        measured_regime([1.0, 0.5])
    bowl = QuadraticBowl([1.0, 2.0])
    with pytest.raises(ValueError, match="measured_regime reads 1-D runs only"):
        measured_regime(gradient_descent(bowl.loss, bowl.grad, [1.0, 1.0], 0.1, 3))


def test_bad_data_for_logistic_regression():
    X = np.ones((4, 2))
    with pytest.raises(ValueError, match=r"y must be a 1-D array of 4 labels \(one per row of X\), got shape \(3,\)"):
        logistic_loss([0.0, 0.0], X, [0, 1, 0])
    with pytest.raises(ValueError, match=r"w must be a 1-D array of 2 weights \(one per column of X\), got shape \(3,\)"):
        logistic_gradient([0.0, 0.0, 0.0], X, [0, 1, 0, 1])
    with pytest.raises(ValueError, match="y must hold labels in"):
        logistic_loss([0.0, 0.0], X, [0, 2, 0, 1])
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        logistic_loss([0.0], np.ones(4), [0, 1, 0, 1])
    with pytest.raises(TypeError, match="X must be a real number or an array"):
        safe_step("X")
    with pytest.raises(ValueError, match="X must be a 2-D array"):
        add_bias_column(np.ones(3))
    with pytest.raises(ValueError, match="batch_size must be between 1 and the number of samples 4, got 5"):
        minibatch_sgd(X, [0, 1, 0, 1], 0.1, 5, 1)
    with pytest.raises(ValueError, match="n_epochs must be an int >= 1"):
        minibatch_sgd(X, [0, 1, 0, 1], 0.1, 2, 0)
    with pytest.raises(ValueError, match="seed must be an int >= 0"):
        minibatch_sgd(X, [0, 1, 0, 1], 0.1, 2, 1, seed=-1)


# --- plots ---------------------------------------------------------------------------------


def test_plots_draw_what_they_say():
    bowl, bowl_2d = QuadraticBowl([2.0]), QuadraticBowl([0.2, 2.0])
    fig = plot_regimes(bowl, [0.2, 0.8, 1.1], w0=2.0, n_steps=12)
    assert [ax.get_title().split("\n")[0] for ax in fig.axes[:3]] == ["α = 0.2: smooth", "α = 0.8: oscillating", "α = 1.1: diverging"]
    assert len(plot_learning_rate_panels([0.1, 0.5, 1.05], bowl, bowl_2d).axes) == 6
    run = gradient_descent(bowl_2d.loss, bowl_2d.grad, [-2.5, 1.0], 0.5, 5)
    ax = plot_paths_on_surface(bowl_2d.loss, [run], xlim=(-3, 3), ylim=(-2, 2), legend=False)
    assert ax.get_legend() is None and ax.get_xlim() == (-3.0, 3.0)
    ax = plot_lr_sweep([0.1, 1.0], [0.3, 0.2], safe=0.3, worst_losses=[0.7, 0.7], start_loss=0.7)
    assert len(ax.get_legend().get_texts()) == 4
    sgd = minibatch_sgd([[1.0, 2.0], [1.0, -1.0]], [1, 0], 0.5, 1, 2)
    assert plot_sgd_runs([sgd]).axes[0].get_legend().get_texts()[0].get_text() == "batch size 1: 2 updates per epoch"


def test_plots_refuse_bad_input():
    bowl, bowl_2d = QuadraticBowl([2.0]), QuadraticBowl([0.2, 2.0])
    with pytest.raises(TypeError, match="bowl must be a 1-D QuadraticBowl"):
        plot_regimes(bowl_2d, [0.1])
    with pytest.raises(TypeError, match="alphas must be a non-empty list"):
        plot_regimes(bowl, 0.1)
    with pytest.raises(TypeError, match="bowl_2d must be a 2-D QuadraticBowl"):
        plot_learning_rate_panels([0.1], bowl, bowl)
    run_1d = gradient_descent(bowl.loss, bowl.grad, 1.0, 0.1, 3)
    with pytest.raises(ValueError, match="runs must be DescentRun objects with 2-D paths"):
        plot_paths_on_surface(bowl.loss, [run_1d], xlim=(-1, 1), ylim=(-1, 1))
    with pytest.raises(ValueError, match="xlim must be \\(low, high\\)"):
        plot_paths_on_surface(bowl_2d.loss, [], xlim=(1, -1), ylim=(-1, 1))
    with pytest.raises(ValueError, match="alphas and final_losses must be 1-D and of equal length"):
        plot_lr_sweep([0.1, 1.0], [0.3], safe=0.3)
    with pytest.raises(TypeError, match="runs must be a list of SGDRun"):
        plot_sgd_runs([run_1d])
    assert isinstance(run_1d, DescentRun)
