"""Tests of nbsupport.descent: the gradient-descent loop, the quadratic bowls and the three regimes."""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import nbsupport.descent
from nbsupport.descent import MAX_STEPS, REGIMES, DescentRun, QuadraticBowl, gradient_descent, measured_regime, step_regime

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
    assert measured_regime(run) in REGIMES


def test_measured_regime_around_another_minimum():
    # f(w) = (w - 3)^2: the minimum is at 3, and alpha = 0.8 overshoots it every step
    run = gradient_descent(lambda w: float((w[0] - 3) ** 2), lambda w: 2 * (w - 3), 1.0, 0.8, 10)
    assert measured_regime(run, minimum=3) == "oscillating"
    assert measured_regime(run) == "diverging"  # read around 0, the run moves away from it


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
    assert isinstance(run, DescentRun)


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "alpha, error",
    [(0.0, ValueError), (-0.1, ValueError), (float("nan"), ValueError), (float("inf"), ValueError), ("0.1", TypeError), (True, TypeError)],
)
def test_bad_learning_rate(alpha, error):
    bowl = QuadraticBowl([1.0])
    with pytest.raises(error, match="alpha must be a finite number in"):
        gradient_descent(bowl.loss, bowl.grad, 1.0, alpha, 5)
    with pytest.raises(error, match="alpha must be a finite number in"):
        bowl.iterate(1.0, alpha, 5)
    with pytest.raises(error, match="alpha must be a finite number in"):
        step_regime(alpha, 1.0)


def test_bad_arguments_of_the_loop():
    bowl = QuadraticBowl([1.0, 2.0])
    with pytest.raises(ValueError, match=r"grad must return an array of the parameters' shape \(2,\), got shape \(3,\)"):
        gradient_descent(bowl.loss, lambda w: np.ones(3), [1.0, 1.0], 0.1, 3)
    with pytest.raises(ValueError, match=r"w must have 2 coordinate\(s\) for this bowl, got shape \(3,\)"):
        gradient_descent(bowl.loss, bowl.grad, [1.0, 1.0, 1.0], 0.1, 3)
    with pytest.raises(ValueError, match="w0 must be a number or a non-empty 1-D array"):
        gradient_descent(bowl.loss, bowl.grad, np.ones((2, 2)), 0.1, 3)
    with pytest.raises(ValueError, match="w0 must be a number or a non-empty 1-D array"):
        gradient_descent(bowl.loss, bowl.grad, [], 0.1, 3)
    with pytest.raises(ValueError, match="w0 must hold finite numbers only"):
        gradient_descent(bowl.loss, bowl.grad, [np.nan, 1.0], 0.1, 3)
    with pytest.raises(ValueError, match="w0 must hold finite numbers only"):
        gradient_descent(bowl.loss, bowl.grad, [np.inf, 1.0], 0.1, 3)
    with pytest.raises(TypeError, match="w0 must be a real number or an array"):
        gradient_descent(bowl.loss, bowl.grad, "1.0", 0.1, 3)
    with pytest.raises(TypeError, match="loss must be a function"):
        gradient_descent(None, bowl.grad, [1.0, 1.0], 0.1, 3)
    with pytest.raises(TypeError, match="grad must be a function"):
        gradient_descent(bowl.loss, "grad", [1.0, 1.0], 0.1, 3)
    with pytest.raises(ValueError, match=r"n_steps must be an int in \[0, "):
        gradient_descent(bowl.loss, bowl.grad, [1.0, 1.0], 0.1, -1)
    with pytest.raises(TypeError, match="n_steps must be an int"):
        gradient_descent(bowl.loss, bowl.grad, [1.0, 1.0], 0.1, 2.5)
    with pytest.raises(ValueError, match=r"max_loss must be a finite number in \(0, inf\), got 0.0"):
        gradient_descent(bowl.loss, bowl.grad, [1.0, 1.0], 0.1, 3, max_loss=0)
    with pytest.raises(ValueError, match="loss must return a single number"):
        gradient_descent(lambda w: w, bowl.grad, [1.0, 1.0], 0.1, 3)
    with pytest.raises(ValueError, match="the loss at w0 must be finite"):
        gradient_descent(lambda w: float("inf"), bowl.grad, [1.0, 1.0], 0.1, 3)


def test_absurd_step_counts_are_refused_with_the_limit():
    """10**9 steps would keep 10**9 iterates (hours, and the memory); the course's longest run takes 10,000."""
    assert MAX_STEPS == 1_000_000
    bowl = QuadraticBowl([1.0])
    with pytest.raises(ValueError, match=r"^n_steps must be an int in \[0, 1000000\], got 1000000000$"):
        gradient_descent(bowl.loss, bowl.grad, 1.0, 0.1, 10**9)
    with pytest.raises(ValueError, match=r"^n_steps must be an int in \[0, 1000000\], got 1000001$"):
        gradient_descent(bowl.loss, bowl.grad, 1.0, 0.1, MAX_STEPS + 1)
    with pytest.raises(ValueError, match=r"^n_steps must be an int in \[0, 1000000\], got 9223372036854775807$"):
        gradient_descent(bowl.loss, bowl.grad, 1.0, 0.1, np.int64(2**63 - 1))


def test_the_step_limit_is_inclusive(monkeypatch):
    monkeypatch.setattr(nbsupport.descent, "MAX_STEPS", 7)  # the same check, small enough to run
    bowl = QuadraticBowl([1.0])
    assert gradient_descent(bowl.loss, bowl.grad, 1.0, 0.1, 7).n_steps == 7
    with pytest.raises(ValueError, match=r"n_steps must be an int in \[0, 7\], got 8"):
        gradient_descent(bowl.loss, bowl.grad, 1.0, 0.1, 8)


def test_bad_bowls():
    with pytest.raises(ValueError, match=r"curvatures\[1\] must be a finite number in \(0, inf\), got -2.0"):
        QuadraticBowl([1.0, -2.0])
    with pytest.raises(ValueError, match=r"curvatures\[0\] must be a finite number in \(0, inf\), got nan"):
        QuadraticBowl([float("nan")])
    with pytest.raises(TypeError, match=r"curvatures\[0\] must be a finite number"):
        QuadraticBowl(["1"])
    with pytest.raises(ValueError, match="curvatures must hold one or two numbers"):
        QuadraticBowl([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="curvatures must hold at least 1"):
        QuadraticBowl([])
    with pytest.raises(TypeError, match="curvatures must be a list"):
        QuadraticBowl(2.0)
    with pytest.raises(ValueError, match="angle only applies to a 2-D bowl"):
        QuadraticBowl([1.0], angle=10)
    with pytest.raises(TypeError, match="angle must be a finite number"):
        QuadraticBowl([1.0, 2.0], angle="10")
    with pytest.raises(ValueError, match="angle must be a finite number"):
        QuadraticBowl([1.0, 2.0], angle=float("inf"))
    bowl = QuadraticBowl([1.0])
    with pytest.raises(ValueError, match="w must hold finite numbers only"):
        bowl.loss(float("nan"))
    with pytest.raises(ValueError, match=r"w0 must have 1 coordinate\(s\) for this bowl"):
        bowl.iterate([1.0, 2.0], 0.1, 2)
    with pytest.raises(ValueError, match=r"k must be an int in \[0, "):
        bowl.iterate(1.0, 0.1, -1)


def test_bad_regimes():
    with pytest.raises(ValueError, match=r"curvature must be a finite number in \(0, inf\), got 0.0"):
        step_regime(0.1, 0.0)
    with pytest.raises(TypeError, match="run must be a DescentRun"):
        measured_regime([1.0, 0.5])
    bowl = QuadraticBowl([1.0, 2.0])
    with pytest.raises(ValueError, match="measured_regime reads 1-D runs only"):
        measured_regime(gradient_descent(bowl.loss, bowl.grad, [1.0, 1.0], 0.1, 3))


@pytest.mark.parametrize(
    "minimum, error, message",
    [
        (float("nan"), ValueError, "minimum must be a finite number in .*, got nan"),
        (float("inf"), ValueError, "minimum must be a finite number in .*, got inf"),
        (-float("inf"), ValueError, "minimum must be a finite number in .*, got -inf"),
        ("0", TypeError, "minimum must be a finite number in .*, got str '0'"),
        (None, TypeError, "minimum must be a finite number in .*, got NoneType"),
        (False, TypeError, "minimum must be a finite number in .*, got bool"),
    ],
)
def test_measured_regime_refuses_a_bad_minimum(minimum, error, message):
    bowl = QuadraticBowl([2.0])
    run = gradient_descent(bowl.loss, bowl.grad, 1.0, 0.2, 5)
    with pytest.raises(error, match=message):
        measured_regime(run, minimum=minimum)
