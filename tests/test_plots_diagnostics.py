import matplotlib.pyplot as plt
import numpy as np
import pytest

from nbsupport.diagnostics import GradientProfile
from nbsupport.plots.diagnostics import plot_gradient_norms

P = GradientProfile(("a", "b", "c"), np.array([1.0, 2.0, 3.0]), np.array([1e-6, 1e-3, 1.0]))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_one_line_per_model_on_a_log_axis():
    ax = plot_gradient_norms({"sigmoid": P, "relu": P}, which="weight", title="t")
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["sigmoid", "relu"]
    x, y = lines[0].get_data()
    assert list(x) == [1, 2, 3] and list(y) == [1.0, 2.0, 3.0]
    assert ax.get_yscale() == "log" and "weight" in ax.get_ylabel() and ax.get_title() == "t"


def test_a_single_profile_has_no_legend():
    ax = plot_gradient_norms(P)
    assert ax.get_legend() is None and list(ax.get_lines()[0].get_data()[1]) == [1e-6, 1e-3, 1.0]


@pytest.mark.parametrize(
    "profiles, kwargs, error, message",
    [
        ({}, {}, ValueError, "at least one GradientProfile"),
        ([P], {}, TypeError, "profiles must be a GradientProfile or a dict"),
        ({"x": 1}, {}, TypeError, r"profiles\['x'\] must be a GradientProfile"),
        (P, {"which": "bias"}, ValueError, "which must be one of"),
        ({"zero": GradientProfile(("a",), np.array([0.0]), np.array([1.0]))}, {"which": "weight"}, ValueError, "zero or not finite"),
        (P, {"ax": "axes"}, TypeError, "ax must be a matplotlib Axes"),
    ],
)
def test_bad_input(profiles, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_gradient_norms(profiles, **kwargs)
