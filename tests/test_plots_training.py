import matplotlib.pyplot as plt
import pytest

from nbsupport.plots.training import plot_learning_curves

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
