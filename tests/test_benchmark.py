"""Unit tests for the developer tool ``tools/benchmark.py`` (``make bench``)."""

import math

import nbformat
import pytest

from tools import benchmark


def _tiny_notebook(folder, source="x = sum(range(10))"):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = folder / "00_tiny.ipynb"
    nbformat.write(nb, path)
    return path


def test_budget_verdicts():
    ok = benchmark.NotebookTiming("a.ipynb", 30.0, 2, 5.0, 800.0)
    slow = benchmark.NotebookTiming("b.ipynb", 75.0, 3, 25.0, 851.0)
    assert ok.over_budget == []
    assert len(slow.over_budget) == 3
    table = benchmark.format_table([ok, slow])
    assert "a.ipynb" in table and "ok" in table and "OVER: Run All 75.0 s > 60 s" in table


def test_loop_timing_reports_its_epochs():
    assert "(2 epochs)" in str(benchmark.LoopTiming("fit_compiled", (1.0,), (0.9,), epochs=2))


def test_benchmark_rejects_missing_notebook(tmp_path):
    with pytest.raises(ValueError, match="path must be an existing .ipynb file"):
        benchmark.benchmark_notebook(tmp_path / "missing.ipynb")


@pytest.mark.parametrize("timeout", [0, -1, 0.0, -0.5, math.inf, -math.inf, math.nan])
def test_benchmark_rejects_a_timeout_that_is_not_positive_and_finite(tmp_path, timeout):
    path = _tiny_notebook(tmp_path)
    with pytest.raises(ValueError, match="timeout must be a finite number in \\(0, inf\\)"):
        benchmark.benchmark_notebook(path, timeout=timeout)


@pytest.mark.parametrize("timeout", ["600", None, True])
def test_benchmark_rejects_a_timeout_that_is_not_a_number(tmp_path, timeout):
    path = _tiny_notebook(tmp_path)
    with pytest.raises(TypeError, match="timeout must be a finite number"):
        benchmark.benchmark_notebook(path, timeout=timeout)


def test_benchmark_measures_a_tiny_notebook(tmp_path):
    timing = benchmark.benchmark_notebook(_tiny_notebook(tmp_path), timeout=60.5)
    assert timing.name == "00_tiny.ipynb"
    assert timing.slowest_cell == 1 and 0 < timing.private_mb <= timing.end_mb <= timing.peak_mb < 850 and timing.over_budget == []


def test_benchmark_stops_a_cell_at_the_timeout(tmp_path):
    from nbclient.exceptions import CellTimeoutError

    path = _tiny_notebook(tmp_path, "import time\ntime.sleep(30)")
    with pytest.raises(CellTimeoutError):
        benchmark.benchmark_notebook(path, timeout=1)


def test_compare_training_loops_runs_both_ways():
    fit, compiled, study = benchmark.compare_training_loops(seeds=(0,), epochs=2)
    assert (fit.method, compiled.method) == ("model.fit", "fit_compiled")
    assert all(len(t.seconds) == 1 and 0.5 < t.accuracies[0] <= 1.0 for t in (fit, compiled, study))
    assert "s per run (2 epochs)" in str(fit)


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"seeds": ()}, ValueError, "seeds must hold at least 1 seeds, got 0"),
        ({"seeds": 3}, TypeError, "seeds must be a list of seeds"),
        ({"seeds": "012"}, TypeError, "seeds must be a list of seeds"),
        ({"seeds": (-1,)}, ValueError, "seeds\\[0\\] must be an int in \\[0, 2147483647\\]"),
        ({"seeds": (0, 1.5)}, TypeError, "seeds\\[1\\] must be an int"),
        ({"seeds": (True,)}, TypeError, "seeds\\[0\\] must be an int"),
        ({"epochs": 0}, ValueError, "epochs must be an int in \\[1, "),
        ({"epochs": 2.0}, TypeError, "epochs must be an int"),
    ],
)
def test_compare_training_loops_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        benchmark.compare_training_loops(**kwargs)


def test_main_needs_notebooks_or_training(capsys):
    with pytest.raises(SystemExit) as exit_info:
        benchmark.main([])
    assert exit_info.value.code == 2
    assert "give notebooks to run, or --training" in capsys.readouterr().err


def test_the_worst_pair_is_one_chapters_end_beside_anothers_peak():
    rows = [benchmark.NotebookTiming("a", 1, 1, 1, 800.0, 700.0, 300.0), benchmark.NotebookTiming("b", 1, 1, 1, 840.0, 650.0, 250.0),
            benchmark.NotebookTiming("c", 1, 1, 1, 700.0, 690.0, 320.0)]
    assert benchmark.worst_pair(rows) == (1160.0, "c", "b")
    with pytest.raises(ValueError, match="at least two runs"):
        benchmark.worst_pair(rows[:1])
