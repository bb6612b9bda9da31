"""Chapter 0's exercises (two warm-ups in the predict-then-run style): the answers, hints and what a right answer means."""

from __future__ import annotations

import numbers
from functools import lru_cache

from nbsupport.exercises import Exercise, Mistake


def _zero_slope_shares(shift: float) -> list[float]:
    """The share of 10,000 N(0, 1) draws (seed 0) where relu' is 0, and of the same draws plus ``shift``."""
    import numpy as np

    from nbsupport import activations

    x = np.random.default_rng(0).normal(size=10_000)
    slope = activations.get("relu").df
    return [float(np.mean(slope(x) == 0)), float(np.mean(slope(x + shift) == 0))]


def _reference_0_1() -> list[float]:
    return _zero_slope_shares(1.0)


@lru_cache(maxsize=None)
def _parameter_count(width: int) -> int:
    from nbsupport._tensorflow import import_tensorflow_quietly

    import_tensorflow_quietly()
    import keras

    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(width), keras.layers.Dense(3)])
    return int(model.count_params())


def _reference_0_2(width: int) -> int:
    return _parameter_count(int(width))


def _validate_0_2(width: object) -> str | None:
    if isinstance(width, bool) or not isinstance(width, numbers.Integral) or not 1 <= width <= 100:
        return f"set my_width to the hidden width you built the model with, a whole number from 1 to 100 (got {width!r})."
    return None


__all__ = ["EXERCISES"]

EXERCISES = (
    Exercise(
        "0.1",
        _reference_0_1,
        meaning=(
            "A ReLU unit passes no gradient back for a sample whose input is negative: for about half the "
            "samples when its inputs are centred on 0, for far fewer when they sit mostly on the positive side."
        ),
        hint=(
            "draw the inputs exactly as asked, np.random.default_rng(0).normal(size=10_000), and shift those same "
            "draws for the second share: other draws give slightly different shares, and the check counts exactly."
        ),
        mistakes=(
            Mistake(lambda e: [1 - e[0], 1 - e[1]], "these are the shares where ReLU's slope is 1; the exercise asks where it is 0."),
            Mistake(lambda e: [100 * e[0], 100 * e[1]], "give each share as a fraction between 0 and 1, not as a percentage."),
            Mistake(lambda e: [e[1], e[0]], "the two shares are in the wrong order: first the inputs as drawn, then the shifted ones."),
            Mistake(lambda e: _zero_slope_shares(-1.0), "your second share is for inputs shifted to the left; adding 1 moves every input to the right."),
        ),
        rtol=0.0,
        atol=1.5e-4,  # one sample in 10,000 (x < 0 against x <= 0 can differ only there)
    ),
    Exercise(
        "0.2",
        _reference_0_2,
        meaning=(
            "A Dense layer holds one weight for every input-output pair and one bias for every unit; "
            "count_params() adds up both, which is how chapter 2 counts the parameters of the article's model."
        ),
        hint=(
            "build the model exactly as described (4 inputs, one hidden Dense layer of your width, a Dense "
            "output layer of 3 units) and let Keras count its parameters with model.count_params()."
        ),
        mistakes=(
            Mistake(lambda e, width: 7 * width, "that counts the weights only: every Dense unit also has a bias, and Keras counts it as a parameter."),
            Mistake(4, "len(model.weights) counts the weight arrays (two kernels, two biases), not the numbers in them."),
            Mistake(lambda e, width: 5 * width, "that is the hidden layer alone: the output layer's weights and biases count too."),
            Mistake(lambda e, width: 3 * width + 3, "that is the output layer alone: the hidden layer's weights and biases count too."),
        ),
        given=("width",),
        rtol=0.0,
        validate=_validate_0_2,
        quick=False,
    ),
)
