"""Chapter 3's exercises (gradient descent and the learning rate): the answers, hints and what a right answer means.

Every reference reruns the chapter's own numpy experiments (the bowls of ``nbsupport.descent``, logistic
regression by hand from ``nbsupport.logistic``) on the chapter's data, so it needs nothing from the notebook.
"""

from __future__ import annotations

from functools import lru_cache

from nbsupport.exercises import Exercise, Mistake

#: the start of the ill-conditioned bowl's runs (section 3.4) and the loss that counts as "there"
_START = (-2.5, 1.0)
_TOLERANCE = 1e-6
#: bias, mean radius, mean texture, mean smoothness, mean concave points (section 3.6)
_FOUR_COLUMNS = [0, 1, 2, 5, 8]


# --- helpers: the chapter's experiments, rerun --------------------------------------------------


@lru_cache(maxsize=None)
def _steps_to_tolerance(curvatures: tuple[float, ...], alpha: float | None = None) -> int:
    """Steps of gradient descent from ``_START`` until the bowl's loss is below ``_TOLERANCE``."""
    import numpy as np

    from nbsupport.descent import QuadraticBowl, gradient_descent

    bowl = QuadraticBowl(list(curvatures))
    run = gradient_descent(bowl.loss, bowl.grad, np.array(_START), bowl.best_step if alpha is None else alpha, 1000)
    below = run.losses < _TOLERANCE
    if not below.any():
        raise RuntimeError(f"the bowl {curvatures} did not reach a loss of {_TOLERANCE:g} in 1000 steps")
    return int(np.argmax(below))  # losses[k] is the loss after k steps


@lru_cache(maxsize=None)
def _training_data() -> tuple:
    """The chapter's training part: standardised features with the bias column, raw features, labels."""
    from nbsupport.data import load_breast_cancer_split
    from nbsupport.logistic import add_bias_column

    split = load_breast_cancer_split()
    raw = load_breast_cancer_split(scaling="none")
    return add_bias_column(split.X_train), raw.X_train, split.y_train.astype(float)


def _rises(losses):
    """For each step, whether it raised the loss by more than round-off (section 3.6's rule)."""
    import numpy as np

    losses = np.asarray(losses)
    return np.diff(losses) > 1e-12 * np.abs(losses[1:])


@lru_cache(maxsize=None)
def _minmax_loss(bias: bool = True, fit_on_all: bool = False, standardised_step: bool = False) -> float:
    """Loss after 200 full-batch steps on min-max-scaled training features (section 3.5's comparison)."""
    from sklearn.preprocessing import MinMaxScaler

    from nbsupport.data import load_breast_cancer_xy
    from nbsupport.logistic import add_bias_column, logistic_descent, safe_step

    X, X_raw, y = _training_data()
    scaler = MinMaxScaler().fit(load_breast_cancer_xy()[0] if fit_on_all else X_raw)
    scaled = scaler.transform(X_raw)
    data = add_bias_column(scaled) if bias else scaled
    alpha = safe_step(X) if standardised_step else safe_step(data)
    return logistic_descent(data, y, alpha, 200).final_loss


@lru_cache(maxsize=None)
def _own_step_loss(which: str) -> float:
    """Section 3.5's loss after 200 steps at each data's own 1/L: ``"standardised"`` or ``"raw"``."""
    from nbsupport.logistic import add_bias_column, logistic_descent, safe_step

    X, X_raw, y = _training_data()
    data = X if which == "standardised" else add_bias_column(X_raw)
    return logistic_descent(data, y, safe_step(data), 200).final_loss


@lru_cache(maxsize=None)
def _first_rise(alpha: float = 35.0, n_steps: int = 300, round_off: bool = True) -> int:
    """The number k of the first step (from losses[k-1] to losses[k]) that raises the four-feature loss."""
    import numpy as np

    from nbsupport.logistic import logistic_descent

    X, _, y = _training_data()
    losses = logistic_descent(X[:, _FOUR_COLUMNS], y, alpha, n_steps).losses
    raised = _rises(losses) if round_off else np.diff(losses) > 0
    if not raised.any():
        raise RuntimeError(f"no step of the run at alpha={alpha} raised the loss in {n_steps} steps")
    return int(np.argmax(raised)) + 1


@lru_cache(maxsize=None)
def _sgd_final_loss(alpha: float = 10.0, batch_size: int = 1, seed: int = 0, four: bool = True) -> float:
    """Full-data loss after 20 epochs of mini-batch SGD from w = 0 (section 3.7's loop)."""
    from nbsupport.logistic import minibatch_sgd

    X, _, y = _training_data()
    data = X[:, _FOUR_COLUMNS] if four else X
    return float(minibatch_sgd(data, y, alpha=alpha, batch_size=batch_size, n_epochs=20, seed=seed).losses[-1])


@lru_cache(maxsize=None)
def _four_feature_minimum() -> float:
    """The minimum loss of the four-feature problem (section 3.6: 3000 steps at the safe step)."""
    from nbsupport.logistic import logistic_descent, safe_step

    X, _, y = _training_data()
    X4 = X[:, _FOUR_COLUMNS]
    return logistic_descent(X4, y, safe_step(X4), 3000).final_loss


def _start_loss() -> float:
    import math

    return math.log(2.0)  # the loss at w = 0, where every predicted probability is 1/2


# --- the references ------------------------------------------------------------------------------


def _reference_3_1() -> int:
    return _steps_to_tolerance((0.02, 2.0))


def _reference_3_2() -> float:
    return _minmax_loss()


def _reference_3_3() -> int:
    return _first_rise()


def _reference_3_4() -> float:
    return _sgd_final_loss()


__all__ = ["EXERCISES"]

EXERCISES = (
    Exercise(
        "3.1",
        _reference_3_1,
        meaning="Ten times the condition number cost about ten times the steps, not a hundred: even at the best "
        "constant step the flat direction sets the pace, and the steps needed grow about in proportion to the condition number.",
        hint="run each bowl at its own best constant step (its best_step), from the start (-2.5, 1), and count the "
        "steps until the recorded loss first falls below 1e-6.",
        mistakes=(
            Mistake(lambda expected, **_: expected - 1, "one step too few: losses[0] is the loss at the start, before "
                    "any step, so the index of the first loss below 1e-6 is already the number of steps."),
            Mistake(lambda expected, **_: expected + 1, "one step too many: losses[k] is the loss after k steps, so the "
                    "index of the first loss below 1e-6 is the number of steps."),
            Mistake(lambda expected, **_: _steps_to_tolerance((0.2, 2.0)), "that is the count for section 3.4's bowl, "
                    "curvatures 0.2 and 2; the exercise's bowl has the flat curvature 0.02."),
            Mistake(lambda expected, **_: _steps_to_tolerance((0.02, 2.0), 0.9), "that run used alpha = 0.9, section "
                    "3.4's step; the new bowl has its own best constant step (best_step)."),
            Mistake(lambda expected, **_: _steps_to_tolerance((0.02, 2.0), 0.5), "that run used alpha = 0.5; the new "
                    "bowl has its own best constant step (best_step)."),
        ),
    ),
    Exercise(
        "3.2",
        _reference_3_2,
        meaning="A safe step four times longer did not make up for worse conditioning: min-max features are not "
        "centred and their spreads differ, and standardising fixes both.",
        hint="scale with MinMaxScaler fitted on raw.X_train only, add the bias column as section 3.5 did, and run 200 "
        "steps from w = 0 at the safe step of that matrix.",
        mistakes=(
            Mistake(lambda expected, **_: _minmax_loss(bias=False), "the bias column is missing: section 3.5's model has "
                    "one, and with features that are not centred it changes the loss and its safe step."),
            Mistake(lambda expected, **_: _minmax_loss(standardised_step=True), "that run used the standardised data's "
                    "safe step; every data matrix has its own 1/L (safe_step of the min-max matrix)."),
            Mistake(lambda expected, **_: _minmax_loss(fit_on_all=True), "the scaler saw the test part too: fit it on "
                    "raw.X_train only, as chapter 2 fitted the standard scaler."),
            Mistake(lambda expected, **_: _own_step_loss("standardised"), "that is the standardised data's loss from "
                    "section 3.5; the exercise asks for the min-max-scaled data's."),
            Mistake(lambda expected, **_: _own_step_loss("raw"), "that is the raw features' loss from section 3.5; the "
                    "exercise asks for the min-max-scaled data's."),
        ),
        digits=3,
        quick=False,
    ),
    Exercise(
        "3.3",
        _reference_3_3,
        meaning="Above the edge the run first settles on the minimum as if it had converged, and only then does the "
        "steepest direction push it away: a shorter run would have looked fine.",
        hint="run 300 steps of logistic_descent on X4 and y at alpha = 35 from w = 0, mark the steps with rises(losses), "
        "and give the number of the first marked step.",
        mistakes=(
            Mistake(lambda expected, **_: expected - 1, "off by one: rises(losses)[j] compares losses[j + 1] with "
                    "losses[j], so it is about step j + 1."),
            Mistake(lambda expected, **_: expected + 1, "off by one: step k takes the loss from losses[k - 1] to "
                    "losses[k]; rises(losses)[j] is about step j + 1."),
            Mistake(lambda expected, **_: _first_rise(round_off=False), "that counts rises of round-off size: near "
                    "the minimum consecutive losses differ in their last bits. Count only rises larger than round-off "
                    "(section 3.6's rises)."),
            Mistake(lambda expected, **_: _first_rise(round_off=False) - 1, "that counts rises of round-off size (use "
                    "section 3.6's rises), and it is off by one: rises(losses)[j] is about step j + 1."),
        ),
        quick=False,
    ),
    Exercise(
        "3.4",
        _reference_3_4,
        meaning="A learning rate that full-batch descent tolerates is far too large for single-sample steps: one "
        "sample's loss can curve far more than the average loss does near its minimum, and the step multiplies each "
        "sample's noise by alpha, so small batches need small learning rates.",
        hint="run minibatch_sgd on X4 and y with alpha=10, batch_size=1, n_epochs=20 and seed=0, and give the last "
        "recorded loss (the loss on all samples after the last update).",
        mistakes=(
            Mistake(lambda expected, **_: _sgd_final_loss(seed=1), "that is seed 1's shuffling; the exercise uses seed 0."),
            Mistake(lambda expected, **_: _sgd_final_loss(seed=2), "that is seed 2's shuffling; the exercise uses seed 0."),
            Mistake(lambda expected, **_: _sgd_final_loss(batch_size=455), "that is full-batch descent (batch size "
                    "455); the exercise asks for batch size 1."),
            Mistake(lambda expected, **_: _sgd_final_loss(batch_size=32), "that is batch size 32; the exercise asks "
                    "for batch size 1."),
            Mistake(lambda expected, **_: _sgd_final_loss(four=False), "that run used all 30 features (X); the "
                    "exercise uses the four-feature problem X4, which has a minimum."),
            Mistake(lambda expected, **_: expected - _four_feature_minimum(), "that is the distance above the minimum "
                    "loss; the exercise asks for the loss itself."),
            Mistake(lambda expected, **_: _start_loss(), "that is the loss at the start, w = 0; the exercise asks for "
                    "the loss after the 20 epochs."),
        ),
        digits=3,
        quick=False,
    ),
)
