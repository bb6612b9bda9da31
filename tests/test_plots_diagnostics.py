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


from nbsupport.plots.diagnostics import plot_layer_histograms, plot_per_layer  # noqa: E402


def test_per_layer_values_on_a_linear_or_log_axis():
    ax = plot_per_layer({"a": [0.0, 0.5], "b": [1.0, 2.0]}, ylabel="change", log=False, xlabel="time step")
    assert ax.get_yscale() == "linear" and ax.get_xlabel() == "time step"
    assert [line.get_label() for line in ax.get_lines()] == ["a", "b"]
    with pytest.raises(ValueError, match=r"series\['a'\] has values <= 0, which a log axis cannot show"):
        plot_per_layer({"a": [0.0, 0.5]}, ylabel="change")
    with pytest.raises(ValueError, match="series must hold at least one series"):
        plot_per_layer({}, ylabel="y")
    with pytest.raises(TypeError, match="ylabel must be a non-empty str"):
        plot_per_layer([1.0], ylabel=None)
    with pytest.raises(ValueError, match=r"series\[''\] must hold finite numbers"):
        plot_per_layer([1.0, np.nan], ylabel="y")


def test_layer_histograms_are_normalised_outlines_in_layer_order():
    rng = np.random.default_rng(0)
    ax = plot_layer_histograms([rng.normal(size=500), rng.normal(0, 0.1, size=(50, 10))], xlabel="activation", bins=20)
    patches = ax.patches
    assert len(patches) == 2 and ax.get_legend_handles_labels()[1] == ["layer 1", "layer 2"]
    assert ax.get_ylabel() == "density"
    for patch in patches:
        x, y = patch.get_xy().T
        assert not patch.get_fill() and len(x) == 2 * 20 + 2  # an outline of 20 bins
        area = 0.5 * abs(np.dot(x, np.roll(y, 1)) - np.dot(y, np.roll(x, 1)))
        assert area == pytest.approx(1.0)  # normalised: each layer's histogram encloses area 1
    first, second = (np.sum(patch.get_edgecolor()[:3]) for patch in patches)
    assert first < second  # the input side dark, the output side light


@pytest.mark.parametrize("bins", [2, 10_000])
def test_layer_histograms_accept_bins_up_to_the_limit(bins):
    ax = plot_layer_histograms({"a": [0.0, 1.0, 2.0]}, xlabel="x", bins=bins)
    assert len(ax.patches[0].get_xy()) == 2 * bins + 2


@pytest.mark.parametrize(
    "values, kwargs, error, message",
    [
        ({}, {}, ValueError, "values must hold at least one layer"),
        (np.ones(5), {}, TypeError, "values must be a dict of layer name to values"),
        ({"a": []}, {}, ValueError, r"values\['a'\] must hold at least 1 row"),
        ({"a": [1.0, 2.0]}, {"bins": 1}, ValueError, r"^bins must be an int in \[2, 10000\], got 1$"),
        ({"a": [1.0, 2.0]}, {"bins": 2**31 - 1}, ValueError, r"^bins must be an int in \[2, 10000\], got 2147483647$"),
        ({"a": [1.0, 2.0]}, {"bins": 10_001}, ValueError, r"^bins must be an int in \[2, 10000\], got 10001$"),
        ({"a": [1.0, 2.0]}, {"bins": np.int64(2**40)}, ValueError, r"^bins must be an int in \[2, 10000\], got 1099511627776$"),
        ({"a": [1.0, 2.0]}, {"bins": 20.0}, TypeError, r"^bins must be an int in \[2, 10000\], got float 20.0$"),
        ({"a": [1.0, 2.0]}, {"bins": "auto"}, TypeError, r"^bins must be an int in \[2, 10000\], got str 'auto'$"),
        ({"a": [1.0, 2.0]}, {"limits": (1.0, 0.0)}, ValueError, "limits must be"),
    ],
)
def test_layer_histograms_bad_input(values, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_layer_histograms(values, xlabel="x", **kwargs)
