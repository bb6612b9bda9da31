import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes

from nbsupport.plots.models import plot_decision_boundary


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


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
        ((_right_half, X, Y[:3]), {}, ValueError, r"y must hold one label per row \(4\)"),
        ((_right_half, X, Y + 1), {}, ValueError, "y must hold the labels 0 and 1 only"),
        ((_right_half, X, Y), {"resolution": 5}, ValueError, r"resolution must be an int in \[10, "),
        ((_right_half, X, Y), {"margin": -1.0}, ValueError, r"margin must be a finite number in \[0, inf\)"),
        ((_right_half, X[:0], Y[:0]), {}, ValueError, "X must hold at least 1 row"),
        ((_right_half, X * np.nan, Y), {}, ValueError, "X must hold finite numbers only"),
        ((_right_half, X, Y), {"title": 3}, TypeError, "title must be a str or None"),
        ((_right_half, X, Y), {"ax": 1}, TypeError, "ax must be a matplotlib Axes"),
        ((lambda g: np.ones(3), X, Y), {}, ValueError, "one probability per grid point"),
        ((_right_half, "X", Y), {}, TypeError, "X must be a real number"),
    ],
)
def test_decision_boundary_rejects_bad_input(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_decision_boundary(*args, **kwargs)
