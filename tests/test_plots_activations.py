import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from nbsupport import activations as A
from nbsupport.plots.activations import plot_activation, plot_activations, plot_derivatives


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_plot_activation_draws_f_and_derivative():
    ax = plot_activation("sigmoid")
    lines = ax.get_lines()
    labels = [line.get_label() for line in lines if not line.get_label().startswith("_")]
    assert labels == ["sigmoid", "sigmoid'"]
    x, dy = lines[-1].get_data()
    np.testing.assert_allclose(dy, A.sigmoid_derivative(x))
    assert ax.get_xlabel() == "x"
    plt.close("all")


def test_plot_activation_uses_given_axes_and_activation_object():
    fig, ax = plt.subplots()
    out = plot_activation(A.get("leaky_relu", alpha=0.2), x=np.linspace(-1, 1, 5), ax=ax, derivative=False)
    assert out is ax and len([l for l in ax.get_lines() if not l.get_label().startswith("_")]) == 1
    plt.close(fig)


def test_plot_activations_grid():
    fig = plot_activations(["relu", "tanh", "gelu", "elu"], ncols=3)
    assert isinstance(fig, Figure)
    visible = [ax for ax in fig.axes if ax.get_visible()]
    assert len(visible) == 4 and len(fig.axes) == 6
    plt.close(fig)


def test_plot_activations_shares_the_y_range_unless_told_not_to():
    shared = plot_activations(["relu", "sigmoid"], ncols=2)
    assert shared.axes[0].get_ylim() == shared.axes[1].get_ylim()
    own = plot_activations(["relu", "sigmoid"], ncols=2, sharey=False)
    relu_top, sigmoid_top = own.axes[0].get_ylim()[1], own.axes[1].get_ylim()[1]
    assert relu_top > 4.9 and sigmoid_top < 1.2, "each panel should fit its own curves"
    assert own.axes[1].get_ylabel() == "" and own.axes[0].get_ylabel() == "f(x), f'(x)"


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: plot_activation("softmax"), ValueError, "softmax"),
        (lambda: plot_activation("nope"), ValueError, "unknown activation"),
        (lambda: plot_activation(3), TypeError, "activation must be a name"),
        (lambda: plot_activation("relu", x=np.zeros((2, 2))), ValueError, "x must be a 1-D array"),
        (lambda: plot_activation("relu", ax="axes"), TypeError, "ax must be a matplotlib Axes"),
        (lambda: plot_activations("relu"), TypeError, "activations must be a list"),
        (lambda: plot_activation("relu", derivative="yes"), TypeError, "derivative must be True or False"),
        (lambda: plot_activations([]), ValueError, "activations must hold at least 1"),
        (lambda: plot_activations(["relu"], ncols=0), ValueError, r"ncols must be an int in \[1, "),
        (lambda: plot_activations(["relu"], sharey="no"), TypeError, "sharey must be True or False"),
    ],
)
def test_plot_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
    plt.close("all")


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
        (([],), {}, ValueError, "activations must hold at least 1"),
        ((["softmax"],), {}, ValueError, "softmax"),
        ((["nope"],), {}, ValueError, "unknown activation"),
        ((["relu"],), {"ax": "axes"}, TypeError, "ax must be a matplotlib Axes"),
        ((["relu"],), {"x": [1.0]}, ValueError, "x must hold at least 2 row"),
    ],
)
def test_plot_derivatives_rejects_bad_input(args, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_derivatives(*args, **kwargs)
