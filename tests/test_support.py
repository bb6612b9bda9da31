"""Unit tests for the set-up call, the plots, the self-checks, the benchmark and the student copies."""

import os
import random

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.figure import Figure

from nbsupport import activations as A
from nbsupport import benchmark, exercises, setup_notebook, student
from nbsupport.notebook import PLOT_STYLE
from nbsupport.plotting import plot_activation, plot_activations

# --- setup_notebook ------------------------------------------------------------------------


def test_setup_seeds_every_generator():
    import keras

    setup_notebook(seed=7)
    first = (random.random(), np.random.rand(), float(keras.random.uniform(())))
    setup_notebook(seed=7)
    second = (random.random(), np.random.rand(), float(keras.random.uniform(())))
    assert first == second


def test_setup_quiets_tensorflow_and_styles_plots():
    import matplotlib as mpl

    setup_notebook(seed=0)
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert mpl.rcParams["axes.spines.top"] is PLOT_STYLE["axes.spines.top"]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"seed": -1}, ValueError, "seed must be a non-negative int, got -1"),
        ({"seed": 1.5}, TypeError, "seed must be a non-negative int, got float"),
        ({"seed": True}, TypeError, "seed must be a non-negative int, got bool"),
        ({"deterministic": "yes"}, TypeError, "deterministic must be True or False"),
        ({"plots": 1}, TypeError, "plots must be True or False"),
    ],
)
def test_setup_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        setup_notebook(**kwargs)


# --- plotting ----------------------------------------------------------------------------------


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


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: plot_activation("softmax"), ValueError, "softmax"),
        (lambda: plot_activation("nope"), ValueError, "unknown activation"),
        (lambda: plot_activation(3), TypeError, "activation must be a name"),
        (lambda: plot_activation("relu", x=np.zeros((2, 2))), ValueError, "x must be a 1-D array"),
        (lambda: plot_activation("relu", ax="axes"), TypeError, "ax must be a matplotlib Axes"),
        (lambda: plot_activations("relu"), TypeError, "activations must be a list"),
        (lambda: plot_activations([]), ValueError, "at least one"),
        (lambda: plot_activations(["relu"], ncols=0), ValueError, "ncols must be an int >= 1"),
    ],
)
def test_plot_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()
    plt.close("all")


# --- exercises -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer, expected, correct",
    [
        (0.25, 0.25, True),
        (None, 1.0, False),
        ([1.0, 2.0], [1.0, 2.0, 3.0], False),
        ("abc", 1.0, False),
        ("relu", "relu", True),
        (1, "relu", False),
        (True, True, True),
        (1.0 + 1e-9, 1.0, True),
        (np.array([0.1, 0.2]), [0.1, 0.2], True),
    ],
)
def test_check_verdicts(capsys, answer, expected, correct):
    assert exercises.check("x", answer, expected) is None
    out = capsys.readouterr().out
    assert ("Exercise x: correct." in out) == correct
    if correct:
        exercises.check("x", answer, expected, strict=True)
    else:
        with pytest.raises(AssertionError, match="exercise x: the answer does not pass"):
            exercises.check("x", answer, expected, strict=True)


def test_check_messages(capsys):
    exercises.check("b", None, 1.0)
    exercises.check("c", [1.0, 2.0], [1.0, 2.0, 3.0])
    out = capsys.readouterr().out
    assert "not answered yet" in out and "expected shape (3,)" in out


@pytest.mark.parametrize("kwargs", [{"rtol": -1}, {"atol": float("nan")}, {"rtol": "0.1"}])
def test_check_rejects_bad_tolerances(kwargs):
    with pytest.raises(ValueError, match="must be a number >= 0"):
        exercises.check("x", 1.0, 1.0, **kwargs)


def test_check_rejects_bad_strict():
    with pytest.raises(TypeError, match="strict must be True or False"):
        exercises.check("x", 1.0, 1.0, strict=1)


def test_check_rejects_bad_name():
    with pytest.raises(TypeError, match="name must be a non-empty str"):
        exercises.check("", 1.0, 1.0)


# --- benchmark and student copies ------------------------------------------------------------


def test_budget_verdicts():
    ok = benchmark.NotebookTiming("a.ipynb", 30.0, 2, 5.0, 800.0)
    slow = benchmark.NotebookTiming("b.ipynb", 75.0, 3, 25.0, 1100.0)
    assert ok.over_budget == []
    assert len(slow.over_budget) == 3
    table = benchmark.format_table([ok, slow])
    assert "a.ipynb" in table and "ok" in table and "OVER: Run All 75.0 s > 60 s" in table


def test_benchmark_rejects_missing_notebook(tmp_path):
    with pytest.raises(ValueError, match="path must be an existing .ipynb file"):
        benchmark.benchmark_notebook(tmp_path / "missing.ipynb")


def test_benchmark_measures_a_tiny_notebook(tmp_path):
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = sum(range(10))")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "00_tiny.ipynb"
    nbformat.write(nb, path)
    timing = benchmark.benchmark_notebook(path)
    assert timing.slowest_cell == 1 and 0 < timing.peak_mb < 1024 and timing.over_budget == []


def test_compare_training_loops_runs_both_ways():
    fit, compiled = benchmark.compare_training_loops(seeds=(0,), epochs=2)
    assert (fit.method, compiled.method) == ("model.fit", "fit_compiled")
    assert all(len(t.seconds) == 1 and 0.5 < t.accuracies[0] <= 1.0 for t in (fit, compiled))
    assert "s per run" in str(fit)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [({"seeds": ()}, ValueError, "at least one seed"), ({"seeds": 3}, TypeError, "seeds must be a sequence"),
     ({"seeds": (-1,)}, ValueError, "each seed must be an int >= 0"), ({"epochs": 0}, ValueError, "epochs must be an int >= 1")],
)
def test_compare_training_loops_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        benchmark.compare_training_loops(**kwargs)


def test_strip_solutions():
    nb = {"cells": [{"metadata": {"tags": ["solution"]}}, {"metadata": {"tags": ["x"]}}, {"metadata": {}}]}
    copy, removed = student.strip_solutions(nb)
    assert removed == 1 and len(copy["cells"]) == 2 and len(nb["cells"]) == 3
    with pytest.raises(TypeError, match="notebook must be a notebook dict"):
        student.strip_solutions([])
