"""Tests of nbsupport.plots.descent: the figures draw the runs they are given, and refuse what they cannot draw."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from nbsupport.descent import QuadraticBowl, gradient_descent
from nbsupport.logistic import minibatch_sgd
from nbsupport.plots.descent import (
    plot_learning_rate_panels,
    plot_lr_sweep,
    plot_paths_on_surface,
    plot_regimes,
    plot_sgd_runs,
)

BOWL, BOWL_2D = QuadraticBowl([2.0]), QuadraticBowl([0.2, 2.0])
START_2D = [-2.5, 1.0]


def run_1d(alpha, n_steps=12, w0=2.0, bowl=BOWL):
    return gradient_descent(bowl.loss, bowl.grad, w0, alpha, n_steps)


def run_2d(alpha, n_steps=20, bowl=BOWL_2D):
    return gradient_descent(bowl.loss, bowl.grad, START_2D, alpha, n_steps)


def sgd_run():
    return minibatch_sgd([[1.0, 2.0], [1.0, -1.0]], [1, 0], 0.5, 1, 2)


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


# --- what the figures show -------------------------------------------------------------------


def test_plot_regimes_draws_the_runs_it_is_given():
    runs = [run_1d(0.2), run_1d(0.8), run_1d(1.1, n_steps=5)]
    fig = plot_regimes(BOWL, runs)
    tops, bottoms = fig.axes[:3], fig.axes[3:]  # plt.subplots(2, n) orders the Axes row by row
    assert [ax.get_title().split("\n")[0] for ax in tops] == ["α = 0.2: smooth", "α = 0.8: oscillating", "α = 1.1: diverging"]
    for top, bottom, run in zip(tops, bottoms, runs):
        np.testing.assert_array_equal(top.get_lines()[1].get_xydata(), np.c_[run.path[:, 0], run.losses])
        start, distance, positive, negative = bottom.get_lines()
        w = run.path[:, 0]
        assert start.get_ydata()[0] == 2.0
        np.testing.assert_array_equal(distance.get_ydata(), np.abs(w))
        np.testing.assert_array_equal(positive.get_xdata(), np.flatnonzero(w > 0))
        np.testing.assert_array_equal(negative.get_xdata(), np.flatnonzero(w < 0))
        np.testing.assert_array_equal(negative.get_ydata(), -w[w < 0])
        assert bottom.get_yscale() == "log"
        low, high = bottom.get_ylim()  # the same window for every column, holding every point
        assert low <= min(np.abs(r.path[:, 0]).min() for r in runs) and high >= max(np.abs(r.path[:, 0]).max() for r in runs)
    assert bottoms[2].get_title() == "after 5 steps: |w| = 5"  # |2 * (1 - 2.2)^5| = 4.98
    assert len(bottoms[1].get_lines()[3].get_xdata()) == 6  # the oscillating run is negative at every odd step
    assert tops[0].get_xlim() == (-3.0, 3.0)  # 1.5 times the start on each side
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["w > 0", "w < 0", "|w| at the start"]


def test_plot_regimes_leaves_out_an_exact_zero():
    run = run_1d(0.5)  # alpha = 1/a: the minimum in one step, then 0 for ever
    fig = plot_regimes(BOWL, [run])
    _, distance, positive, negative = fig.axes[1].get_lines()
    assert distance.get_ydata().tolist() == [2.0] and positive.get_xdata().tolist() == [0] and len(negative.get_xdata()) == 0
    assert fig.axes[1].get_title() == "after 12 steps: |w| = 0"


def test_plot_learning_rate_panels_pairs_the_runs():
    alphas = [0.1, 0.5, 1.05]
    fig = plot_learning_rate_panels(BOWL, [run_1d(a, 20) for a in alphas], BOWL_2D, [run_2d(a) for a in alphas])
    assert len(fig.axes) == 6
    assert [ax.get_title() for ax in fig.axes[:3]] == ["α = 0.1: 1-D smooth", "α = 0.5: 1-D smooth", "α = 1.05: 1-D diverging"]
    assert fig.axes[5].get_title().endswith("and growing")
    assert fig.get_suptitle().startswith("20 steps on a/2·w² (a = 2)")
    single = plot_learning_rate_panels(BOWL, [run_1d(0.3)], BOWL_2D, [run_2d(0.3)], xlim=(-4, 4), ylim=(-2, 2))
    assert len(single.axes) == 2 and single.axes[1].get_xlim() == (-4.0, 4.0)


def test_the_other_plots_draw_what_they_say():
    run = gradient_descent(BOWL_2D.loss, BOWL_2D.grad, START_2D, 0.5, 5)
    ax = plot_paths_on_surface(BOWL_2D.loss, [run], xlim=(-3, 3), ylim=(-2, 2), legend=False)
    assert ax.get_legend() is None and ax.get_xlim() == (-3.0, 3.0)
    ax = plot_lr_sweep([0.1, 1.0], [0.3, 0.2], safe=0.3, worst_losses=[0.7, 0.7], start_loss=0.7)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "loss after the last step", "highest loss during the run", "loss at the start", "1/L = 0.3", "2/L = 0.6",
    ]
    assert [line.get_xdata()[0] for line in ax.get_lines()[3:]] == [0.3, 0.6]
    ax = plot_lr_sweep([0.1, 1.0], [0.3, 0.2], safe=0.3, min_loss=0.1, start_loss=0.7, marks={"2/λ*": 4.0})
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), [0.2, 0.1])  # drawn above the minimum
    assert ax.get_lines()[1].get_ydata()[0] == pytest.approx(0.6)
    assert ax.get_lines()[-1].get_xdata()[0] == 4.0 and ax.get_legend().get_texts()[-1].get_text() == "2/λ* = 4"
    assert ax.get_ylabel() == "loss above its minimum (log scale)"
    assert plot_sgd_runs([sgd_run()]).axes[0].get_legend().get_texts()[0].get_text() == "batch size 1: 2 updates per epoch"
    assert plot_sgd_runs([sgd_run()], labels=["mine"]).axes[0].get_legend().get_texts()[0].get_text() == "mine"


# --- lists of runs -----------------------------------------------------------------------------

PLOTS_OF_RUNS = {
    "plot_regimes": lambda runs: plot_regimes(BOWL, runs),
    "plot_paths_on_surface": lambda runs: plot_paths_on_surface(BOWL_2D.loss, runs, xlim=(-3, 3), ylim=(-2, 2)),
    "plot_learning_rate_panels runs_1d": lambda runs: plot_learning_rate_panels(BOWL, runs, BOWL_2D, [run_2d(0.1)]),
    "plot_learning_rate_panels runs_2d": lambda runs: plot_learning_rate_panels(BOWL, [run_1d(0.1)], BOWL_2D, runs),
    "plot_sgd_runs": plot_sgd_runs,
}
SINGLE_RUNS = {
    "plot_regimes": ("runs", "DescentRun", run_1d(0.1)),
    "plot_paths_on_surface": ("runs", "DescentRun", run_2d(0.1)),
    "plot_learning_rate_panels runs_1d": ("runs_1d", "DescentRun", run_1d(0.1)),
    "plot_learning_rate_panels runs_2d": ("runs_2d", "DescentRun", run_2d(0.1)),
    "plot_sgd_runs": ("runs", "SGDRun", sgd_run()),
}


@pytest.mark.parametrize("plot", list(PLOTS_OF_RUNS.values()), ids=list(PLOTS_OF_RUNS))
def test_an_empty_list_of_runs_is_refused(plot):
    with pytest.raises(ValueError, match=r"runs(_1d|_2d)? must hold at least 1 "):
        plot([])


@pytest.mark.parametrize("key", list(SINGLE_RUNS))
def test_a_single_run_must_be_wrapped_in_a_list(key):
    name, kind, run = SINGLE_RUNS[key]
    with pytest.raises(TypeError, match=rf"{name} must be a list of {kind} .*got a single {kind}: wrap it in a list"):
        PLOTS_OF_RUNS[key](run)


def test_runs_of_the_wrong_kind_are_refused():
    with pytest.raises(TypeError, match="runs must be a list of SGDRun from minibatch_sgd, got an item of type DescentRun"):
        plot_sgd_runs([run_1d(0.1)])
    with pytest.raises(TypeError, match="runs must be a list of DescentRun from gradient_descent, got an item of type SGDRun"):
        plot_regimes(BOWL, [sgd_run()])
    with pytest.raises(TypeError, match="runs must be a list of DescentRun"):
        plot_paths_on_surface(BOWL_2D.loss, "runs", xlim=(-1, 1), ylim=(-1, 1))


def test_runs_must_fit_their_bowl():
    with pytest.raises(ValueError, match=r"runs\[0\] must be a run with 1 parameter\(s\) like bowl, got a path with 2 coordinates"):
        plot_regimes(BOWL, [run_2d(0.1)])
    with pytest.raises(ValueError, match=r"runs\[1\] was not run on bowl: its losses are not bowl.loss along its path"):
        plot_regimes(BOWL, [run_1d(0.1), run_1d(0.1, bowl=QuadraticBowl([3.0]))])
    with pytest.raises(ValueError, match=r"runs_2d\[0\] was not run on bowl_2d"):
        plot_learning_rate_panels(BOWL, [run_1d(0.1)], BOWL_2D, [run_2d(0.1, bowl=QuadraticBowl([0.2, 2.0], angle=30))])
    with pytest.raises(ValueError, match=r"runs\[0\] must be a run with 2 parameters, got a path with 1 coordinates"):
        plot_paths_on_surface(BOWL.loss, [run_1d(0.1)], xlim=(-1, 1), ylim=(-1, 1))
    with pytest.raises(ValueError, match="runs must not all start at the minimum w = 0"):
        plot_regimes(BOWL, [run_1d(0.1, w0=0.0)])


def test_panels_need_runs_paired_by_learning_rate():
    with pytest.raises(ValueError, match="runs_1d and runs_2d must pair up, one run of each per learning rate; got 2 and 1 runs"):
        plot_learning_rate_panels(BOWL, [run_1d(0.1), run_1d(0.5)], BOWL_2D, [run_2d(0.1)])
    with pytest.raises(ValueError, match=r"runs_1d\[1\] and runs_2d\[1\] must share a learning rate, got α = 0.5 and α = 0.6"):
        plot_learning_rate_panels(BOWL, [run_1d(0.1), run_1d(0.5)], BOWL_2D, [run_2d(0.1), run_2d(0.6)])


# --- the other arguments -----------------------------------------------------------------------


def test_bowls_are_checked():
    with pytest.raises(ValueError, match="bowl must be a 1-D QuadraticBowl, got a 2-D one"):
        plot_regimes(BOWL_2D, [run_2d(0.1)])
    with pytest.raises(TypeError, match="bowl must be a 1-D QuadraticBowl, got float"):
        plot_regimes(2.0, [run_1d(0.1)])
    with pytest.raises(ValueError, match="bowl_2d must be a 2-D QuadraticBowl, got a 1-D one"):
        plot_learning_rate_panels(BOWL, [run_1d(0.1)], BOWL, [run_1d(0.1)])
    with pytest.raises(TypeError, match="bowl_1d must be a 1-D QuadraticBowl, got NoneType"):
        plot_learning_rate_panels(None, [run_1d(0.1)], BOWL_2D, [run_2d(0.1)])


def test_surface_arguments_are_checked():
    runs = [run_2d(0.1)]
    with pytest.raises(ValueError, match=r"xlim must be \(low, high\) with low < high, got \(1, -1\)"):
        plot_paths_on_surface(BOWL_2D.loss, runs, xlim=(1, -1), ylim=(-1, 1))
    with pytest.raises(ValueError, match=r"ylim must be \(low, high\) with low < high"):
        plot_paths_on_surface(BOWL_2D.loss, runs, xlim=(-1, 1), ylim=(0, 1, 2))
    with pytest.raises(ValueError, match="ylim must hold finite numbers only"):
        plot_learning_rate_panels(BOWL, [run_1d(0.1)], BOWL_2D, runs, ylim=(-np.inf, 1))
    with pytest.raises(TypeError, match="loss must be a function"):
        plot_paths_on_surface("loss", runs, xlim=(-1, 1), ylim=(-1, 1))
    with pytest.raises(ValueError, match=r"levels must be an int in \[2, "):
        plot_paths_on_surface(BOWL_2D.loss, runs, xlim=(-1, 1), ylim=(-1, 1), levels=1)
    with pytest.raises(TypeError, match="resolution must be an int"):
        plot_paths_on_surface(BOWL_2D.loss, runs, xlim=(-1, 1), ylim=(-1, 1), resolution=50.0)
    with pytest.raises(TypeError, match="legend must be True or False"):
        plot_paths_on_surface(BOWL_2D.loss, runs, xlim=(-1, 1), ylim=(-1, 1), legend="yes")
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None"):
        plot_paths_on_surface(BOWL_2D.loss, runs, xlim=(-1, 1), ylim=(-1, 1), ax="ax")


def test_sweep_arguments_are_checked():
    with pytest.raises(ValueError, match="alphas and final_losses must be 1-D and of equal length"):
        plot_lr_sweep([0.1, 1.0], [0.3], safe=0.3)
    with pytest.raises(ValueError, match=r"alphas must hold at least 1 row\(s\)"):
        plot_lr_sweep([], [], safe=0.3)
    with pytest.raises(ValueError, match=r"alphas must be learning rates > 0 \(drawn on a log axis\), got \[0.0\]"):
        plot_lr_sweep([0.0, 1.0], [0.3, 0.2], safe=0.3)
    with pytest.raises(ValueError, match="final_losses must hold finite numbers only"):
        plot_lr_sweep([0.1, 1.0], [0.3, np.nan], safe=0.3)
    with pytest.raises(ValueError, match=r"worst_losses must have the shape of alphas \(2,\), got \(1,\)"):
        plot_lr_sweep([0.1, 1.0], [0.3, 0.2], safe=0.3, worst_losses=[0.7])
    with pytest.raises(ValueError, match=r"safe must be a finite number in \(0, inf\), got 0.0"):
        plot_lr_sweep([0.1, 1.0], [0.3, 0.2], safe=0.0)
    with pytest.raises(TypeError, match="start_loss must be a finite number"):
        plot_lr_sweep([0.1, 1.0], [0.3, 0.2], safe=0.3, start_loss="0.7")
    with pytest.raises(ValueError, match=r"final_losses must all be above min_loss=0.25 to be drawn on a log axis, got \[0.2\]"):
        plot_lr_sweep([0.1, 1.0], [0.3, 0.2], safe=0.3, min_loss=0.25)
    with pytest.raises(ValueError, match=r"worst_losses must all be > 0 to be drawn on a log axis, got \[0.0\]"):
        plot_lr_sweep([0.1, 1.0], [0.3, 0.2], safe=0.3, worst_losses=[0.0, 0.7])
    with pytest.raises(ValueError, match=r"start_loss must be above min_loss=0.7 to be drawn on a log axis, got \[0.7\]"):
        plot_lr_sweep([0.1, 1.0], [0.8, 0.9], safe=0.3, min_loss=0.7, start_loss=0.7)
    with pytest.raises(TypeError, match="min_loss must be a finite number"):
        plot_lr_sweep([0.1, 1.0], [0.3, 0.2], safe=0.3, min_loss="0")
    with pytest.raises(TypeError, match="marks must be a dict of labels to learning rates, got list"):
        plot_lr_sweep([0.1, 1.0], [0.3, 0.2], safe=0.3, marks=[1.0])
    with pytest.raises(ValueError, match=r"marks\['edge'\] must be a finite number in \(0, inf\), got -1.0"):
        plot_lr_sweep([0.1, 1.0], [0.3, 0.2], safe=0.3, marks={"edge": -1.0})
    with pytest.raises(TypeError, match="marks' labels must be a non-empty str, got int 3"):
        plot_lr_sweep([0.1, 1.0], [0.3, 0.2], safe=0.3, marks={3: 1.0})


def test_sgd_labels_are_checked():
    with pytest.raises(ValueError, match="labels must name each of the 1 runs, got 2 labels"):
        plot_sgd_runs([sgd_run()], labels=["a", "b"])
    with pytest.raises(TypeError, match="labels must be a list of labels, got str 'a'"):
        plot_sgd_runs([sgd_run()], labels="a")
    with pytest.raises(TypeError, match=r"labels\[0\] must be a non-empty str, got int 1"):
        plot_sgd_runs([sgd_run()], labels=[1])
