"""Time each notebook in a fresh kernel and check it against the course budgets.

A developer tool, not part of the course package: it needs ``nbclient`` and ``nbformat`` (the
``test`` extra). Run it from the project root (``make bench``)::

    python tools/benchmark.py notebooks/*.ipynb
    python tools/benchmark.py --training notebooks/*.ipynb

For each notebook it prints the wall time of Run All, the slowest cell and its time, and the
kernel's peak memory (resident set size) and its memory at the end, each flagged against the budgets
below. Memory is in MB, millions of bytes (1 MiB is 1.049 MB). Then it prints the worst pair of
chapters open at once: JupyterLab keeps a finished chapter's kernel running, so a learner who opens
chapter j after chapter i needs chapter i's private memory at the end (its anonymous pages: the
TensorFlow libraries mapped from disk, about 400 MB, are shared by the two kernels and counted once)
plus chapter j's peak. Nothing is
written back to the notebooks. Exit status 1 when a notebook is over a budget.

With ``--training`` it also times the article's network trained the standard way (``model.fit``),
with ``nbsupport.training.fit_compiled`` on a fresh model (its time includes tracing the loop), and
with ``nbsupport.study.seed_study`` (one traced loop reused for every seed, as the chapters' sweeps
do), side by side, with the test accuracy each reaches over the same seeds.
"""

from __future__ import annotations

import argparse
import json
import math
import numbers
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Sequence

import numpy as np

from nbsupport._validation import check_int, check_scalar, check_seed, check_sequence

BUDGET_NOTEBOOK_SECONDS = 60.0
BUDGET_CELL_SECONDS = 20.0
BUDGET_PEAK_MB = 850.0  # two chapters' kernels and the server must fit in Binder's 2 GB
BUDGET_PAIR_MB = 1850.0  # a finished chapter's private memory beside another's peak, leaving about 150 MB for the server

# VmHWM is the peak resident set of this process's own memory; ru_maxrss would also count what the
# kernel's parent process held when it forked the kernel (Linux keeps it across fork and exec).
_PEAK_MEMORY_CODE = """
import gc, json, resource
gc.collect()
try:
    with open("/proc/self/status") as status:
        fields = {line.split(":")[0]: int(line.split()[1]) for line in status if line.startswith(("VmHWM:", "VmRSS:", "RssAnon:"))}
    peak_kb, end_kb, private_kb = fields["VmHWM"], fields["VmRSS"], fields["RssAnon"]
except (OSError, KeyError):
    peak_kb = end_kb = private_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps([peak_kb, end_kb, private_kb]))
"""
_KB_TO_MB = 1024 / 1e6  # /proc reports kibibytes


@dataclass(frozen=True)
class NotebookTiming:
    """What one benchmark run of one notebook measured.

    Parameters
    ----------
    name : str
        The notebook's file name.
    wall_seconds : float
        Wall time of Run All in a fresh kernel, kernel start-up excluded.
    slowest_cell : int
        The slowest code cell, counted from 1 among the code cells.
    slowest_cell_seconds : float
        That cell's execution time.
    peak_mb : float
        The kernel's peak resident memory, in MB (millions of bytes).
    end_mb : float, default=nan
        The kernel's resident memory after Run All (what it keeps while the learner moves on), in MB.
    private_mb : float, default=nan
        The part of ``end_mb`` no other kernel shares (anonymous pages, not the libraries), in MB.

    Examples
    --------
    >>> NotebookTiming("a.ipynb", 75.0, 3, 5.0, 800.0).over_budget
    ['Run All 75.0 s > 60 s']
    """

    name: str
    wall_seconds: float
    slowest_cell: int
    slowest_cell_seconds: float
    peak_mb: float
    end_mb: float = math.nan
    private_mb: float = math.nan

    @property
    def over_budget(self) -> list[str]:
        """The budgets this run exceeded, as readable phrases (empty when within all).

        Returns
        -------
        list of str
            One phrase per budget exceeded, such as ``"cell 3 25.0 s > 20 s"``.
        """
        over = []
        if self.wall_seconds > BUDGET_NOTEBOOK_SECONDS:
            over.append(f"Run All {self.wall_seconds:.1f} s > {BUDGET_NOTEBOOK_SECONDS:.0f} s")
        if self.slowest_cell_seconds > BUDGET_CELL_SECONDS:
            over.append(f"cell {self.slowest_cell} {self.slowest_cell_seconds:.1f} s > {BUDGET_CELL_SECONDS:.0f} s")
        if self.peak_mb > BUDGET_PEAK_MB:
            over.append(f"peak {self.peak_mb:.0f} MB > {BUDGET_PEAK_MB:.0f} MB")
        return over


def _seconds(cell) -> float:
    timing = cell.get("metadata", {}).get("execution", {})
    try:
        start = datetime.fromisoformat(timing["iopub.execute_input"].replace("Z", "+00:00"))
        end = datetime.fromisoformat(timing["shell.execute_reply"].replace("Z", "+00:00"))
    except (KeyError, ValueError):
        return 0.0
    return (end - start).total_seconds()


def benchmark_notebook(path: str | Path, timeout: float = 600) -> NotebookTiming:
    """Execute one notebook top to bottom in a fresh kernel and measure it.

    Parameters
    ----------
    path : str or pathlib.Path
        An existing ``.ipynb`` file. The kernel runs in its folder.
    timeout : float, default=600
        Seconds any one cell may take before the run is abandoned (rounded up to whole seconds).

    Returns
    -------
    NotebookTiming
        Wall time, slowest cell and peak memory of the run.

    Raises
    ------
    TypeError
        If ``timeout`` is not a real number.
    ValueError
        If ``path`` is not an existing ``.ipynb`` file, or ``timeout`` is not a finite number > 0.
    nbclient.exceptions.CellExecutionError
        If a cell raises.
    nbclient.exceptions.CellTimeoutError
        If a cell runs longer than ``timeout``.

    Examples
    --------
    >>> benchmark_notebook("notebooks/00_start_here.ipynb").wall_seconds < 60  # doctest: +SKIP
    True
    """
    timeout = check_scalar(timeout, "timeout", numbers.Real, min_val=0, include_boundaries="neither")
    path = Path(path)
    if path.suffix != ".ipynb" or not path.is_file():
        raise ValueError(f"path must be an existing .ipynb file, got {str(path)!r}")

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_PEAK_MEMORY_CODE))
    client = NotebookClient(nb, timeout=math.ceil(timeout), kernel_name="python3", record_timing=True, resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    client.execute()
    wall = time.perf_counter() - start
    probe = nb.cells.pop()
    peak_kb, end_kb, private_kb = json.loads(probe.outputs[0]["text"])
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    seconds = [_seconds(c) for c in code_cells]
    slowest = max(range(len(seconds)), key=seconds.__getitem__) if seconds else 0
    return NotebookTiming(
        name=path.name,
        wall_seconds=wall,
        slowest_cell=slowest + 1,
        slowest_cell_seconds=seconds[slowest] if seconds else 0.0,
        peak_mb=peak_kb * _KB_TO_MB,
        end_mb=end_kb * _KB_TO_MB,
        private_mb=private_kb * _KB_TO_MB,
    )


def format_table(rows: list[NotebookTiming]) -> str:
    """The benchmark table: one line per notebook, budgets in the header, a verdict per line.

    Parameters
    ----------
    rows : list of NotebookTiming
        The runs to show, in order.

    Returns
    -------
    str
        The table, header first, one line per run (no trailing newline).

    Examples
    --------
    >>> print(format_table([NotebookTiming("a.ipynb", 30.0, 2, 5.0, 800.0, 700.0)]).splitlines()[-1])  # doctest: +NORMALIZE_WHITESPACE
    a.ipynb  30.0  #2  5.0  800  700  ok
    """
    header = (
        f"{'notebook':<44} {'Run All s':>9} {'slowest cell':>12} {'cell s':>7} {'peak MB':>8} {'end MB':>7}  verdict\n"
        f"{'(budget)':<44} {BUDGET_NOTEBOOK_SECONDS:>9.0f} {'':>12} {BUDGET_CELL_SECONDS:>7.0f} {BUDGET_PEAK_MB:>8.0f} {'':>7}"
    )
    lines = [header]
    for r in rows:
        verdict = "OVER: " + "; ".join(r.over_budget) if r.over_budget else "ok"
        lines.append(
            f"{r.name:<44} {r.wall_seconds:>9.1f} {('#' + str(r.slowest_cell)):>12} {r.slowest_cell_seconds:>7.1f} "
            f"{r.peak_mb:>8.0f} {r.end_mb:>7.0f}  {verdict}"
        )
    return "\n".join(lines)


def worst_pair(rows: list[NotebookTiming]) -> tuple[float, str, str]:
    """The most memory two chapters open at once need: one finished (its private memory) beside another at its peak.

    Parameters
    ----------
    rows : list of NotebookTiming
        At least two runs.

    Returns
    -------
    tuple of (float, str, str)
        The MB, the finished notebook's name and the running one's.

    Raises
    ------
    ValueError
        If fewer than two runs are given.

    Examples
    --------
    >>> worst_pair([NotebookTiming("a", 1, 1, 1, 700.0, 650.0, 300.0), NotebookTiming("b", 1, 1, 1, 800.0, 700.0, 200.0)])
    (1100.0, 'a', 'b')
    """
    if len(rows) < 2:
        raise ValueError(f"rows must hold at least two runs to pair, got {len(rows)}")
    return max((before.private_mb + after.peak_mb, before.name, after.name) for before in rows for after in rows if before is not after)


@dataclass(frozen=True)
class LoopTiming:
    """Seconds per training run and test accuracies of one way of training the article's network.

    Parameters
    ----------
    method : str
        ``"model.fit"`` or ``"fit_compiled"``.
    seconds : tuple of float
        Wall time of each run, one per seed.
    accuracies : tuple of float
        Test accuracy after each run, one per seed.
    epochs : int, default=50
        Epochs per run.

    Examples
    --------
    >>> print(LoopTiming("model.fit", (2.0, 4.0), (0.9, 1.0), epochs=10))  # doctest: +NORMALIZE_WHITESPACE
    model.fit 3.00 s per run (10 epochs) test accuracy mean 0.9500, sd 0.0707 over 2 seeds
    """

    method: str
    seconds: tuple[float, ...]
    accuracies: tuple[float, ...]
    epochs: int = 50

    def __str__(self) -> str:
        acc = np.asarray(self.accuracies)
        return (
            f"{self.method:<14} {np.mean(self.seconds):6.2f} s per run ({self.epochs} epochs)   "
            f"test accuracy mean {acc.mean():.4f}, sd {acc.std(ddof=1) if acc.size > 1 else 0.0:.4f} over {acc.size} seeds"
        )


def compare_training_loops(seeds: Sequence[int] = (0, 1, 2), epochs: int = 50) -> list[LoopTiming]:
    """Train the article's network with ``model.fit`` and with ``fit_compiled`` on the same seeds.

    Each run starts from a freshly built model, so the compiled loop's time includes its tracing.

    Parameters
    ----------
    seeds : sequence of int, default=(0, 1, 2)
        At least one seed, each an int in ``[0, 2**31 - 1]``.
    epochs : int, default=50
        Epochs per run, at least 1.

    Returns
    -------
    list of LoopTiming
        Three entries: ``model.fit``, then ``fit_compiled`` (a fresh model each run, tracing included),
        then ``seed_study`` (one model and one trace for all seeds: the mean time per run).

    Raises
    ------
    TypeError
        If ``seeds`` is not a list or tuple of ints, or ``epochs`` is not an int.
    ValueError
        If ``seeds`` is empty or holds a seed out of range, or ``epochs`` < 1.

    Examples
    --------
    >>> fit, compiled, study = compare_training_loops(seeds=(0,), epochs=2)  # doctest: +SKIP
    """
    from nbsupport.data import load_breast_cancer_split
    from nbsupport.models import build_classifier
    from nbsupport.study import seed_study
    from nbsupport.training import fit_compiled

    seeds = tuple(check_seed(s, f"seeds[{i}]") for i, s in enumerate(check_sequence(seeds, "seeds", what="seeds")))
    epochs = check_int(epochs, "epochs", min_val=1)
    split = load_breast_cancer_split()
    results = []
    for method in ("model.fit", "fit_compiled"):
        seconds, accuracies = [], []
        for seed in seeds:
            model = build_classifier(seed=seed)
            start = time.perf_counter()
            if method == "model.fit":
                model.fit(split.X_train, split.y_train, epochs=epochs, batch_size=32, validation_split=0.2, verbose=0)
            else:
                fit_compiled(model, split.X_train, split.y_train, epochs=epochs, seed=seed)
            seconds.append(time.perf_counter() - start)
            accuracies.append(float(model.evaluate(split.X_test, split.y_test, verbose=0)[1]))
        results.append(LoopTiming(method, tuple(seconds), tuple(accuracies), epochs))
    model = build_classifier()
    start = time.perf_counter()
    accuracies = seed_study(model, split.X_train, split.y_train, list(seeds), epochs=epochs, validation_split=0.2,
                            after=lambda trained: float(trained.evaluate(split.X_test, split.y_test, verbose=0)[1]))
    per_run = (time.perf_counter() - start) / len(seeds)
    results.append(LoopTiming("seed_study", (per_run,) * len(seeds), tuple(run.after for run in accuracies), epochs))
    return results


def main(argv: list[str] | None = None) -> int:
    """The command line: ``python tools/benchmark.py [--training] [NOTEBOOK ...]``.

    Parameters
    ----------
    argv : list of str or None, default=None
        The arguments after the program name; None reads ``sys.argv``.

    Returns
    -------
    int
        The exit status: 1 when a notebook is over a budget, else 0.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", help=".ipynb files to run, each in a fresh kernel")
    parser.add_argument("--training", action="store_true", help="also time model.fit vs fit_compiled (chapter 2)")
    args = parser.parse_args(argv)
    if not args.notebooks and not args.training:
        parser.error("give notebooks to run, or --training, or both")
    rows = []
    for nb in args.notebooks:
        print(f"running {nb} ...", file=sys.stderr, flush=True)
        rows.append(benchmark_notebook(nb))
    if rows:
        print(format_table(rows))
    if len(rows) >= 2:
        pair_mb, finished, running = worst_pair(rows)
        verdict = "ok" if pair_mb <= BUDGET_PAIR_MB else f"OVER {BUDGET_PAIR_MB:.0f} MB"
        print(f"\ntwo chapters open at once, at worst: {finished} finished beside {running} at its peak, "
              f"{pair_mb:.0f} MB (budget {BUDGET_PAIR_MB:.0f}): {verdict}")
    if args.training:
        from nbsupport._tensorflow import import_tensorflow_quietly

        import_tensorflow_quietly()
        print("\nThe article's network on the breast-cancer data, 50 epochs, batch 32, validation split 0.2:")
        for timing in compare_training_loops():
            print(timing)
    over_pair = len(rows) >= 2 and worst_pair(rows)[0] > BUDGET_PAIR_MB
    return 1 if any(r.over_budget for r in rows) or over_pair else 0


if __name__ == "__main__":
    sys.exit(main())
