import matplotlib.pyplot as plt
import numpy as np
import pytest

from nbsupport.plots.training import plot_learning_curves, plot_seed_curves

CURVES = {"loss": [0.6, 0.4, 0.3], "val_loss": [0.7, 0.5, 0.45], "accuracy": [0.7, 0.8, 0.9], "val_accuracy": [0.6, 0.8, 0.85]}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_single_and_compared_runs():
    fig = plot_learning_curves(CURVES, title="t", mark_epoch=2)
    assert len(fig.axes) == 2 and fig.axes[0].get_xlabel() == "epoch"
    assert [line.get_linestyle() for line in fig.axes[0].get_lines()[:2]] == ["-", "--"]
    fig = plot_learning_curves({"a": CURVES, "b": CURVES}, metrics=("loss",))
    labels = fig.axes[0].get_legend_handles_labels()[1]
    assert labels == ["a: training", "a: validation", "b: training", "b: validation"]


def test_a_run_without_validation_draws_the_training_curve_only():
    fig = plot_learning_curves({"loss": [0.5, 0.4]}, metrics=("loss",))
    assert fig.axes[0].get_legend_handles_labels()[1] == ["training"]


def test_the_curves_are_the_data():
    fig = plot_learning_curves(CURVES, metrics=("accuracy",))
    x, y = fig.axes[0].get_lines()[1].get_data()
    assert list(x) == [1, 2, 3] and list(y) == CURVES["val_accuracy"]


@pytest.mark.parametrize(
    "histories, kwargs, error, message",
    [
        (CURVES, {"metrics": "loss"}, TypeError, "metrics must be a list of curve names"),
        (CURVES, {"metrics": ()}, ValueError, "metrics must hold at least 1"),
        (CURVES, {"metrics": ("auc",)}, ValueError, "metrics: run '' has no 'auc' curve"),
        (CURVES, {"mark_epoch": 0}, ValueError, r"mark_epoch must be an int in \[1, "),
        ({}, {}, ValueError, "histories must hold at least one run, got an empty dict"),
        ([0.5, 0.4], {}, TypeError, "history must be a keras History or a dict"),
    ],
)
def test_bad_arguments(histories, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_learning_curves(histories, **kwargs)


SEEDS = {"SGD": [{"loss": [0.7, 0.6, 0.5], "accuracy": [0.5, 0.6, 0.7]}, {"loss": [0.7, 0.65, 0.6], "accuracy": [0.5, 0.55, 0.6]}],
         "Adam": [{"loss": [0.6, 0.3, 0.2], "accuracy": [0.6, 0.9, 0.95]}]}


def test_seed_curves_one_line_per_seed_one_colour_per_experiment():
    ax = plot_seed_curves(SEEDS, title="t")
    lines = ax.get_lines()
    assert len(lines) == 3 and ax.get_title() == "t" and ax.get_xlabel() == "epoch"
    assert lines[0].get_color() == lines[1].get_color() != lines[2].get_color()
    assert ax.get_legend_handles_labels()[1] == ["SGD", "Adam"]
    x, y = lines[2].get_data()
    assert list(x) == [1, 2, 3] and list(y) == [0.6, 0.3, 0.2]


def test_seed_curves_metric_log_and_given_axes():
    _, given = plt.subplots()
    ax = plot_seed_curves(SEEDS, metric="accuracy", log=True, ax=given)
    assert ax is given and ax.get_yscale() == "log" and ax.get_ylabel() == "training accuracy (log)"


def test_seed_curves_leave_a_gap_where_the_loss_is_not_finite():
    ax = plot_seed_curves({"exploding": [{"loss": [0.7, np.nan, np.nan]}]})
    assert np.isnan(ax.get_lines()[0].get_data()[1][1:]).all()


@pytest.mark.parametrize(
    "histories, kwargs, error, message",
    [
        ([{"loss": [0.5]}], {}, TypeError, "histories must be a dict"),
        ({}, {}, ValueError, "histories must hold at least one experiment"),
        ({"a": {"loss": [0.5]}}, {}, TypeError, r"histories\['a'\] must be a list of histories .* wrap it in a list"),
        ({"a": []}, {}, ValueError, r"histories\['a'\] must hold at least 1"),
        (SEEDS, {"metric": "auc"}, ValueError, "metric: a run of 'SGD' has no 'auc' curve"),
        (SEEDS, {"metric": 3}, TypeError, "metric must be a non-empty str"),
        (SEEDS, {"log": "yes"}, TypeError, "log must be True or False"),
        (SEEDS, {"ax": "left"}, TypeError, "ax must be a matplotlib Axes or None"),
    ],
)
def test_seed_curves_bad_arguments(histories, kwargs, error, message):
    with pytest.raises(error, match=message):
        plot_seed_curves(histories, **kwargs)


# --- the curves they read: a keras History or a dict ------------------------------------------------


def test_a_keras_history_draws_like_its_dict():
    class FakeHistory:  # what model.fit returns: an object with a .history dict
        history = CURVES

    from_dict, from_history = plot_learning_curves(CURVES), plot_learning_curves(FakeHistory())
    for a, b in zip(from_dict.axes, from_history.axes):
        assert [line.get_ydata().tolist() for line in a.get_lines()] == [line.get_ydata().tolist() for line in b.get_lines()]


@pytest.mark.parametrize(
    "bad, error, message",
    [
        ([1, 2], TypeError, "history must be a keras History or a dict"),
        ({"val_loss": [1.0]}, ValueError, "history must have a 'loss' curve"),
        ({"loss": [1.0, 2.0], "val_loss": [1.0]}, ValueError, "equal length"),
        ({"loss": []}, ValueError, "equal length"),
    ],
)
def test_curves_that_are_not_a_history_are_refused(bad, error, message):
    with pytest.raises(error, match=message):
        plot_learning_curves(bad, metrics=("loss",))


# --- plot_per_layer_over_training ----------------------------------------------------------------


def test_per_layer_over_training_draws_one_line_per_layer_and_the_reference():
    from nbsupport.plots.training import plot_per_layer_over_training

    values = np.array([[1e-6, 1e-3], [2e-6, 2e-3], [4e-6, 1e-3], [0.0, 1e-3]])
    ax = plot_per_layer_over_training(np.arange(1, 5), values, ylabel="ratio", layers=["dense_1", "output"], log=True, reference=1e-3, window=2)
    lines = ax.get_lines()
    assert len(lines) == 3 and ax.get_yscale() == "log" and ax.get_ylabel() == "ratio (log)"
    # running mean of log10 over 2 steps; the step with 0 leaves a gap on the log axis
    np.testing.assert_allclose(lines[0].get_ydata()[:2], [10 ** np.mean(np.log10([1e-6, 2e-6])), 10 ** np.mean(np.log10([2e-6, 4e-6]))])
    assert np.isnan(lines[0].get_ydata()[2])
    assert lines[-1].get_ydata()[0] == 1e-3 and ax.get_legend_handles_labels()[1] == ["dense_1", "output"]
    plt.close("all")


def test_per_layer_over_training_bad_input():
    from nbsupport.plots.training import plot_per_layer_over_training

    with pytest.raises(ValueError, match="one row per step"):
        plot_per_layer_over_training([1, 2], np.ones((3, 2)), ylabel="y")
    with pytest.raises(ValueError, match="layers must name each of the 2 columns"):
        plot_per_layer_over_training([1, 2], np.ones((2, 2)), ylabel="y", layers=["a"])
    with pytest.raises(ValueError, match="reference must be a finite number"):
        plot_per_layer_over_training([1, 2], np.ones((2, 2)), ylabel="y", log=True, reference=0.0)
    with pytest.raises(ValueError, match="window"):
        plot_per_layer_over_training([1, 2], np.ones((2, 2)), ylabel="y", window=3)
    plt.close("all")
