"""Seed studies: train one network from several seeds, measuring each run before and after.

Chapter 4 writes the loop in a cell (reset the network to a seed, measure it, train it, measure how
far each layer moved) and then checks that :func:`seed_study` gives the same runs; later chapters
call it. :func:`repeat_runs` is the same study scored on a test set (chapter 2).

>>> from nbsupport.models import build_mlp
>>> X, y = np.random.default_rng(0).normal(size=(64, 2)), np.arange(64) % 2
>>> runs = seed_study(build_mlp(2, (8, 8), optimizer="sgd", learning_rate=0.1), X, y, seeds=[0, 1], epochs=2)
>>> [run.seed for run in runs], sorted(runs[0].moved)
([0, 1], ['dense_1', 'dense_2', 'output'])
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from nbsupport._validation import check_callable, check_int, check_scalar, check_seed, check_sequence
from nbsupport.diagnostics.weight_movement import kernel_snapshot, weight_change
from nbsupport.evaluation import binary_scores, predict_proba
from nbsupport.training import MAX_EPOCHS, CompiledTrainer, _check_data, _task, _trainer_for, reset_model

__all__ = ["Run", "SeedRun", "repeat_runs", "seed_study"]


@dataclass(frozen=True)
class SeedRun:
    """One run of a seed study.

    Attributes
    ----------
    seed : int
        The seed of the starting weights, the dropout masks and the shuffles.
    history : dict of str to ndarray
        The learning curves, as :meth:`nbsupport.training.CompiledTrainer.fit` returns them.
    moved : dict of str to float
        How far training moved each ``Dense`` kernel, ``||W_end - W_start|| / ||W_start||``, input side first.
    before, after : object
        What the study's ``before`` and ``after`` functions returned for this run (None without them).
    """

    seed: int
    history: dict[str, np.ndarray] = field(repr=False)
    moved: dict[str, float] = field(repr=False)
    before: Any = field(default=None, repr=False)
    after: Any = field(default=None, repr=False)

    @property
    def final_accuracy(self) -> float:
        """Training accuracy in the last epoch (classifiers only)."""
        if "accuracy" not in self.history:
            raise ValueError(f"this run has no accuracy curve (a regression model); its curves are {sorted(self.history)}")
        return float(self.history["accuracy"][-1])


def _check_seeds(seeds: Any) -> list[int]:
    seeds = [check_seed(s, "each seed") for s in check_sequence(seeds, "seeds", what="seeds")]
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, got {seeds}")
    return seeds


def seed_study(
    model: Any,
    X: Any,
    y: Any,
    seeds: Sequence[int],
    *,
    epochs: int,
    batch_size: int = 32,
    validation_split: float = 0.0,
    start: Callable[[Any, int], Any] | None = None,
    before: Callable[[Any], Any] | None = None,
    after: Callable[[Any], Any] | None = None,
) -> list[SeedRun]:
    """Train ``model`` once from each seed, measuring it at the start and how far each layer moved.

    For every seed, in order:

    1. the model is reset to that seed (:func:`~nbsupport.training.reset_model`: the weights its
       builder gives it with that seed, a fresh optimizer);
    2. ``start(model, seed)``, if given, changes that starting point (scales the weights, say);
    3. ``before(model)``, if given, measures it (a gradient profile, say);
    4. the kernels are copied, the model is trained for ``epochs`` epochs with that seed's shuffles,
       and how far each kernel moved is measured;
    5. ``after(model)``, if given, measures the trained model.

    One :class:`~nbsupport.training.CompiledTrainer` serves every seed, so the loop is traced once (and
    not again when the same model is studied again next, with another learning rate, say).
    The data are checked before the first run.

    Parameters
    ----------
    model : keras.Model
        Compiled, from ``nbsupport.models`` or any flat Sequential or functional model.
    X, y : array-like
        Training features and targets, as for :meth:`~nbsupport.training.CompiledTrainer.fit`.
    seeds : sequence of int
        Distinct seeds in [0, 2**31 - 1], at least one.
    epochs : int
        Epochs per run, in [1, 1,000,000].
    batch_size : int, default=32
        Mini-batch size.
    validation_split : float, default=0.0
        Share of rows held out at the end for validation curves, in [0, 1).
    start : callable (model, seed) -> None, optional
        Changes the starting point after the reset.
    before, after : callable model -> object, optional
        Measurements at the start and at the end; their results are kept in each run.

    Returns
    -------
    list of SeedRun
        One per seed, in order.

    Raises
    ------
    TypeError, ValueError
        For bad seeds, functions or numbers, or data that do not fit the model.

    Examples
    --------
    >>> from nbsupport.diagnostics import gradient_profile
    >>> from nbsupport.models import build_mlp
    >>> X, y = np.random.default_rng(0).normal(size=(64, 2)), np.arange(64) % 2
    >>> runs = seed_study(build_mlp(2, (8, 8), activation="sigmoid"), X, y, seeds=[3], epochs=1,
    ...                   before=lambda model: gradient_profile(model, X, y).ratio())
    >>> bool(runs[0].before < 1)
    True
    """
    trainer = _trainer_for(model)
    seeds = _check_seeds(seeds)
    hooks = {name: None if f is None else check_callable(f, name) for name, f in (("start", start), ("before", before), ("after", after))}
    X, y = _check_data(model, X, y)
    epochs = check_int(epochs, "epochs", 1, MAX_EPOCHS)
    batch_size = check_int(batch_size, "batch_size", 1)
    validation_split = check_scalar(validation_split, "validation_split", min_val=0.0, max_val=1.0, include_boundaries="left")
    runs = []
    for seed in seeds:
        reset_model(model, seed)
        if hooks["start"] is not None:
            hooks["start"](model, seed)
        measured = hooks["before"](model) if hooks["before"] is not None else None
        kernels = kernel_snapshot(model)
        history = trainer.fit(X, y, epochs=epochs, batch_size=batch_size, validation_split=validation_split, seed=seed)
        moved = weight_change(model, kernels)
        runs.append(SeedRun(seed, history, moved, measured, hooks["after"](model) if hooks["after"] is not None else None))
    return runs


@dataclass(frozen=True)
class Run:
    """One trained model's result: its seed, learning curves and test scores."""

    seed: int
    history: dict[str, np.ndarray] = field(repr=False)
    scores: dict[str, float]

    @property
    def test_accuracy(self) -> float:
        """Accuracy on the test part (classifiers only)."""
        if "accuracy" not in self.scores:
            raise ValueError(f"this run has no accuracy (a regression model); its scores are {sorted(self.scores)}")
        return self.scores["accuracy"]


def _test_scores(model: Any, X: np.ndarray, y: np.ndarray, task: str) -> dict[str, float]:
    if task == "binary":
        return binary_scores(y, predict_proba(model, X))
    p = np.asarray(model(X, training=False), dtype=float)
    if task == "multiclass":
        return {"accuracy": float(np.mean(p.argmax(axis=-1) == y))}
    return {"mse": float(np.mean((p.reshape(y.shape) - y) ** 2))}


def repeat_runs(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    seeds: Sequence[int],
    *,
    epochs: int = 50,
    batch_size: int = 32,
    validation_split: float = 0.2,
) -> list[Run]:
    """Train and score one compiled model once per seed: a :func:`seed_study` scored on a test set.

    For every seed the model is reset to that seed's fresh start, trained with that seed's shuffles,
    and scored on the test part: :func:`~nbsupport.evaluation.binary_scores` for a binary
    classifier, accuracy for several classes, mean squared error for regression. All data are checked
    before the first run.

    Parameters
    ----------
    model : keras.Model
        A compiled model from ``nbsupport.models`` (or any flat Sequential/functional model).
    X_train, y_train, X_test, y_test : array-like
        The split.
    seeds : sequence of int
        Distinct seeds in [0, 2**31 - 1], at least one.
    epochs : int, default=50
        Epochs per run.
    batch_size : int, default=32
        Mini-batch size.
    validation_split : float, default=0.2
        As for ``model.fit``.

    Returns
    -------
    list of Run
        One per seed, in order.

    Raises
    ------
    TypeError, ValueError
        For bad seeds, or data that do not fit the model.

    Examples
    --------
    >>> from nbsupport.data import load_breast_cancer_split
    >>> from nbsupport.models import build_classifier
    >>> s = load_breast_cancer_split()
    >>> runs = repeat_runs(build_classifier(), s.X_train, s.y_train, s.X_test, s.y_test, seeds=[0], epochs=2)
    >>> runs[0].seed, sorted(runs[0].scores)
    (0, ['accuracy', 'f1', 'precision', 'recall', 'roc_auc'])
    """
    CompiledTrainer(model)  # the model's own checks first
    _check_seeds(seeds)
    X_train, y_train = _check_data(model, X_train, y_train, ("X_train", "y_train"))
    X_test, y_test = _check_data(model, X_test, y_test, ("X_test", "y_test"))
    task, _ = _task(model, y_train)
    runs = seed_study(
        model, X_train, y_train, seeds, epochs=epochs, batch_size=batch_size, validation_split=validation_split,
        after=lambda trained: _test_scores(trained, X_test, y_test, task),
    )
    return [Run(run.seed, run.history, run.after) for run in runs]
