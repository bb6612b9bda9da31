"""Chapter 7's exercises (gradient clipping): the answers, hints and what a right answer means.

The references redo the notebook's experiments with their own code: 7.1 the first step of section 7.1's
doubled network under each clipping rule, 7.2 section 7.6's one-unit recurrent network with other
thresholds, 7.3 section 7.3's deep sigmoid network trained at a thousandfold learning rate.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np

from nbsupport.exercises import Exercise, Mistake

#: exercise 7.1: the order of the answer, the threshold and the learning rate
_RULE_ORDER = ("global_clipnorm", "clipnorm", "clipvalue")
_LEARNING_RATE, _THRESHOLD = 0.1, 1.0
#: exercise 7.2: the thresholds tried on the one-unit recurrent network, at learning rate 1 for 200 steps
_WALL_THRESHOLDS = (0.25, 5.0, 10.0, 20.0, 50.0)
_WALL_STARTS = 49


# --- 7.1: one step of section 7.1's doubled network under each rule -------------------------------


def _moons_net(activation: str, initializer: str, learning_rate: float, seed: int | None, clipping: tuple = ()) -> Any:
    """Section 7.1's network: 10 hidden layers of 64 on the moons, plain SGD, a clipping option if given."""
    import keras

    from nbsupport.models import build_moons_net

    model = build_moons_net(10, activation=activation, initializer=initializer, learning_rate=learning_rate, seed=seed)
    if clipping:
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=learning_rate, **dict(clipping)), loss=model.loss, metrics=["accuracy"])
    return model


def _scale_hidden_kernels(model: Any, factor: float) -> None:
    for i in range(1, 11):
        kernel = model.get_layer(f"dense_{i}").kernel
        kernel.assign(kernel * factor)


def _global_norm(arrays: list[np.ndarray]) -> float:
    return float(np.sqrt(sum(np.sum(np.square(np.asarray(a, dtype=float))) for a in arrays)))


@functools.lru_cache(maxsize=2)
def _first_step_lengths(weight_scale: float = 2.0) -> tuple[float, float, float]:
    """The length of one SGD step (0.1) with the whole data set's gradient, after each rule with c = 1."""
    import keras
    import tensorflow as tf

    from nbsupport.data import load_moons

    X, y = load_moons(1000)
    model = _moons_net("relu", "he_normal", _LEARNING_RATE, 0)
    _scale_hidden_kernels(model, weight_scale)
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(keras.losses.get(model.loss)(tf.constant(y, "float32")[:, None], model(X)))
    grads = [np.asarray(g, dtype=float) for g in tape.gradient(loss, model.trainable_variables)]
    c = _THRESHOLD
    clipped = {
        "global_clipnorm": [g * min(1.0, c / _global_norm(grads)) for g in grads],
        "clipnorm": [g * min(1.0, c / np.linalg.norm(g)) for g in grads],
        "clipvalue": [np.clip(g, -c, c) for g in grads],
    }
    return tuple(_LEARNING_RATE * _global_norm(clipped[rule]) for rule in _RULE_ORDER)


def _reference_7_1() -> np.ndarray:
    return np.array(_first_step_lengths(2.0))


def _undoubled_steps(expected: Any, **_: Any) -> np.ndarray:
    return np.array(_first_step_lengths(1.0))


def _bounds(expected: Any, **_: Any) -> np.ndarray:
    """The longest step each rule allows with c = 1 on this network (22 variables, 37,697 parameters)."""
    return _LEARNING_RATE * _THRESHOLD * np.sqrt([1.0, 22.0, 37697.0])


# --- 7.2: other thresholds on the one-unit recurrent network of section 7.6 ------------------------


def _one_unit_rnn(w: np.ndarray, b: np.ndarray, steps: int = 50, x0: float = 0.5, target: float = 0.7) -> tuple[np.ndarray, np.ndarray]:
    """The loss (x_50 - target)^2 of x_t = w sigmoid(x_{t-1}) + b, and its gradient in (w, b)."""
    x, dx_dw, dx_db = np.full(np.shape(w), x0), 0.0, 0.0
    for _ in range(steps):
        s = 1 / (1 + np.exp(-x))
        dx_dw, dx_db = s + w * s * (1 - s) * dx_dw, 1 + w * s * (1 - s) * dx_db
        x = w * s + b
    return (x - target) ** 2, np.stack([2 * (x - target) * dx_dw, 2 * (x - target) * dx_db], axis=-1)


@functools.lru_cache(maxsize=4)
def _wall_arrivals(learning_rate: float = 1.0, steps: int = 200) -> np.ndarray:
    """How many of the 49 starts of section 7.6 reach a loss below 0.001, for each threshold of _WALL_THRESHOLDS."""
    grid = np.stack(np.meshgrid(np.arange(5.0, 11.5), np.arange(-6.0, 0.5)), axis=-1).reshape(-1, 2)
    wb = np.tile(grid, (len(_WALL_THRESHOLDS), 1))  # every start once per threshold, all descended together
    c = np.repeat(_WALL_THRESHOLDS, len(grid))[:, None]
    with np.errstate(all="ignore"):  # runs thrown far off may overflow: they count as not arrived
        for _ in range(steps):
            g = _one_unit_rnn(wb[:, 0], wb[:, 1])[1]
            wb = wb - learning_rate * g * np.minimum(1.0, c / np.linalg.norm(g, axis=1, keepdims=True))
        loss = np.nan_to_num(_one_unit_rnn(wb[:, 0], wb[:, 1])[0], nan=np.inf)
    arrived = (loss < 1e-3).reshape(len(_WALL_THRESHOLDS), len(grid))
    result = arrived.sum(axis=1)
    result.flags.writeable = False  # cached: nobody may change it
    return result


def _reference_7_2() -> np.ndarray:
    return np.array(_wall_arrivals(1.0, 200))


# --- 7.3: a thousandfold learning rate with a tiny per-variable clip ------------------------------


@functools.lru_cache(maxsize=1)
def _bold_run() -> dict[str, Any]:
    """Section 7.3's deep sigmoid network, seed 0, SGD at learning rate 1000 with clipnorm=1e-4, 30 epochs."""
    from nbsupport.data import load_moons
    from nbsupport.study import seed_study

    X, y = load_moons(1000)
    model = _moons_net("sigmoid", "glorot_uniform", 1000.0, None, (("clipnorm", 1e-4),))
    [run] = seed_study(model, X, y, [0], epochs=30)
    return {"moved": dict(run.moved), "accuracy": np.array(run.history["accuracy"])}


def _baseline(sigmoid_runs: Any) -> dict[str, float]:
    return sigmoid_runs["no clipping"][0]["moved"]


def _validate_7_3a(sigmoid_runs: Any) -> str | None:
    try:
        moved = _baseline(sigmoid_runs)["dense_1"]
    except (TypeError, KeyError, IndexError):
        return "pass section 7.3's runs as they are, sigmoid_runs=sigmoid_runs (the seed-0 run without clipping is the baseline)"
    if not np.isfinite(moved) or moved <= 0:
        return "sigmoid_runs['no clipping'][0]['moved']['dense_1'] should be a positive number: run section 7.3 again"
    return None


def _reference_7_3a(sigmoid_runs: Any) -> float:
    return _bold_run()["moved"]["dense_1"] / _baseline(sigmoid_runs)["dense_1"]


def _reference_7_3b() -> float:
    return float(_bold_run()["accuracy"].max())


__all__ = ["EXERCISES"]

EXERCISES = (
    Exercise(
        "7.1",
        _reference_7_1,
        meaning="One threshold, three very different steps: on an exploding gradient most variables and many entries exceed c, "
        "so each rule's step comes near its own bound, and the number c has to be chosen for the rule in use.",
        hint="check the set-up: section 7.1's network with its hidden kernels doubled (seed 0), the gradient of the mean "
        "loss on all 1,000 points before any step, and each length taken over the whole clipped gradient (all 22 variables "
        "together) times the learning rate.",
        mistakes=(
            Mistake(lambda expected, **_: expected / _LEARNING_RATE,
                    "these are the lengths of the clipped gradients; a step of SGD is the learning rate times the gradient."),
            Mistake(_bounds, "these are the longest steps each rule allows (section 7.2's bounds), as if every variable "
                    "or entry were above the threshold; measure what this gradient gives."),
            Mistake(lambda expected, **_: expected[[1, 0, 2]],
                    "the first two are swapped: global_clipnorm rescales the whole gradient, clipnorm each variable."),
            Mistake(lambda expected, **_: expected[::-1], "the order asked is global_clipnorm, clipnorm, clipvalue."),
            Mistake(_undoubled_steps, "this is the network with He's weights; the exercise asks for the one whose hidden "
                    "kernels were doubled (scale_kernels(model, 2.0)), whose gradient explodes."),
        ),
        digits=3,
        quick=False,
    ),
    Exercise(
        "7.2",
        _reference_7_2,
        meaning="The threshold has a window here: too small and 200 steps are too few to arrive, too large and the "
        "steep gradients at the wall get through and throw the descent off, as with no clipping at all.",
        hint="check the set-up against section 7.6: its grid of 49 starts, learning rate 1, 200 steps, the global rule "
        "with each threshold in turn, and a start counts when its final loss is below 0.001.",
        mistakes=(
            Mistake(lambda expected, **_: expected / _WALL_STARTS,
                    "these are shares of the starts; the exercise asks how many of the 49 arrive."),
            Mistake(lambda expected, **_: _WALL_STARTS - expected,
                    "these count the starts that did not arrive; count those whose final loss is below 0.001."),
            Mistake(lambda expected, **_: np.array(_wall_arrivals(0.1, 200)),
                    "these are the counts at learning rate 0.1; the exercise asks for learning rate 1, where the "
                    "unclipped descent was thrown off from every start."),
            Mistake(np.full(len(_WALL_THRESHOLDS), _WALL_STARTS),
                    "not every threshold brings every start home: run each one and count."),
        ),
        rtol=0.0,
    ),
    Exercise(
        "7.3a",
        _reference_7_3a,
        meaning="Clipped per variable, the thousandfold learning rate moved the first layer hundreds of times further "
        "than plain SGD did: its gradient is as small as before, only the step taken with it is longer.",
        hint="check your run's settings (seed 0, 30 epochs, learning rate 1000, clipnorm=1e-4 rather than "
        "global_clipnorm, sigmoid units with Glorot weights) and the baseline: section 7.3's seed-0 run without clipping.",
        mistakes=(
            Mistake(lambda expected, **_: 1 / expected,
                    "that is the ratio the other way round: divide your run's movement by the baseline's."),
            Mistake(lambda expected, sigmoid_runs, **_: _bold_run()["moved"]["output"] / _baseline(sigmoid_runs)["output"],
                    "this is the output layer; the exercise asks about the first hidden layer, dense_1."),
            Mistake(lambda expected, sigmoid_runs, **_: _bold_run()["moved"]["dense_1"],
                    "this is how far the first layer moved relative to its own start; divide it by the same number "
                    "for the run without clipping."),
        ),
        given=("sigmoid_runs",),
        validate=_validate_7_3a,
        digits=1,
        quick=False,
    ),
    Exercise(
        "7.3b",
        _reference_7_3b,
        meaning="A first layer that moves further did not make the network learn: a huge learning rate with a clip is "
        "no remedy for a vanishing gradient; the remedies are in chapters 5, 6 and 8.",
        hint="check your run's settings: seed 0, 30 epochs, learning rate 1000, clipnorm=1e-4 (per variable, not "
        "global_clipnorm), sigmoid units with Glorot weights; then take the best epoch's training accuracy.",
        mistakes=(
            Mistake(lambda expected, **_: float(_bold_run()["accuracy"][-1]),
                    "this is the last epoch's accuracy; the exercise asks for the best in any epoch."),
            Mistake(lambda expected, **_: 100 * expected, "give the accuracy as a fraction between 0 and 1, not a percentage."),
            Mistake(lambda expected, **_: 1 - expected, "this is the error rate; the exercise asks for the accuracy."),
        ),
        digits=2,
        quick=False,
    ),
)
