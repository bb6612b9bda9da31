"""Tests of the plotting helpers added for chapter 1: derivatives on one Axes, and 2-D decision regions."""

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from nbsupport import activations as A
from nbsupport.plotting import plot_decision_boundary, plot_derivatives


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


# --- plot_derivatives ----------------------------------------------------------------------


def test_plot_derivatives_draws_each_derivative():
    x = np.linspace(-3, 3, 61)
    ax = plot_derivatives(["sigmoid", A.get("leaky_relu", alpha=0.1)], x=x)
    lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert [line.get_label() for line in lines] == ["sigmoid'", "leaky_relu'"]
    np.testing.assert_allclose(lines[0].get_ydata(), A.sigmoid_derivative(x))
    np.testing.assert_allclose(lines[1].get_ydata(), A.leaky_relu_derivative(x, alpha=0.1))
    assert ax.get_ylabel() == "f'(x)"


def test_plot_derivatives_uses_a_given_axes():
    _, ax = plt.subplots()
    assert plot_derivatives(["relu"], ax=ax) is ax


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        (("relu",), {}, TypeError, "activations must be a list"),
        (([],), {}, ValueError, "at least one activation"),
        ((["softmax"],), {}, ValueError, "softmax"),
        ((["nope"],), {}, ValueError, "unknown activation"),
        ((["relu"],), {"ax": "axes"}, TypeError, "ax must be a matplotlib Axes"),
        ((["relu"],), {"x": [1.0]}, ValueError, "x must be a 1-D array of at least 2 points"),
    ],
)
def test_plot_derivatives_rejects_bad_input(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_derivatives(*args, **kwargs)


# --- plot_decision_boundary ----------------------------------------------------------------

X = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
Y = np.array([0, 0, 1, 1])


def _right_half(grid):
    return (grid[:, 0] > 0).astype(float)


def test_decision_boundary_shades_both_classes_and_draws_the_samples():
    ax = plot_decision_boundary(_right_half, X, Y, resolution=21, margin=1.0, title="demo")
    assert isinstance(ax, Axes)
    assert ax.get_title() == "demo"
    assert ax.get_legend_handles_labels()[1] == ["class 0", "class 1"]
    assert ax.get_xlim()[0] <= -2.0 and ax.get_xlim()[1] >= 2.0  # the margin reaches beyond the samples
    # the shaded regions, the boundary line at 0.5 and one scatter per class
    assert len(ax.collections) == 4


def test_decision_boundary_accepts_column_output_and_a_keras_model():
    import keras

    ax = plot_decision_boundary(lambda g: _right_half(g)[:, None], X, Y, resolution=10)
    assert isinstance(ax, Axes)
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1, activation="sigmoid")])
    assert isinstance(plot_decision_boundary(model, X, Y, resolution=10), Axes)


def test_decision_boundary_without_a_boundary_does_not_warn(recwarn):
    ax = plot_decision_boundary(lambda g: np.ones(len(g)), X, Y, resolution=10)
    assert len(ax.collections) == 3  # regions and samples, no boundary line
    assert not [w for w in recwarn if "contour" in str(w.message).lower()]


@pytest.mark.parametrize(
    "args, kwargs, error, message",
    [
        ((3, X, Y), {}, TypeError, "predict must be a function"),
        ((_right_half, X[:, :1], Y), {}, ValueError, r"X must have shape \(n_samples, 2\)"),
        ((_right_half, X, Y[:3]), {}, ValueError, r"y must have shape \(4,\)"),
        ((_right_half, X, Y + 1), {}, ValueError, "y must hold labels 0 and 1"),
        ((_right_half, X, Y), {"resolution": 5}, ValueError, "resolution must be an int >= 10"),
        ((_right_half, X, Y), {"margin": -1.0}, ValueError, "margin must be a finite number >= 0"),
        ((_right_half, X, Y), {"ax": 1}, TypeError, "ax must be a matplotlib Axes"),
        ((lambda g: np.ones(3), X, Y), {}, ValueError, "one probability per grid point"),
        ((_right_half, "X", Y), {}, TypeError, "X must be a real number"),
    ],
)
def test_decision_boundary_rejects_bad_input(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_decision_boundary(*args, **kwargs)
