"""Chapter 1's exercises: the answers, hints and what a right answer means."""

from __future__ import annotations

import numbers
from functools import lru_cache

from nbsupport.exercises import Exercise, Mistake


# --- 1.1 softplus ------------------------------------------------------------------------------


def _points_1_1():
    import numpy as np

    return np.linspace(-50.0, 50.0, 201)


def _reference_1_1a():
    import numpy as np

    return np.logaddexp(0.0, _points_1_1())


def _reference_1_1b():
    from nbsupport import activations

    return activations.sigmoid(_points_1_1())


def _naive_softplus(e):
    import numpy as np

    return np.log(1.0 + np.exp(_points_1_1()))


def _relu_at_points(e):
    import numpy as np

    return np.maximum(0.0, _points_1_1())


def _logaddexp_1(e):
    import numpy as np

    return np.logaddexp(1.0, _points_1_1())


def _softplus_mirrored(e):
    import numpy as np

    return np.logaddexp(0.0, -_points_1_1())


def _sigmoid_slope(e):
    from nbsupport import activations

    return activations.sigmoid_derivative(_points_1_1())


def _sigmoid_mirrored(e):
    from nbsupport import activations

    return activations.sigmoid(-_points_1_1())


def _relu_step(e):
    return (_points_1_1() > 0).astype(float)


# --- 1.2 ten tanh layers against ten sigmoid layers ---------------------------------------------


def _median_ratios(spreads: tuple[float, ...], statistic: str = "median") -> list[float]:
    """tanh's median (or mean) product of 10 derivatives over sigmoid's, at inputs spread * z."""
    import numpy as np

    from nbsupport import activations

    z = np.random.default_rng(0).normal(size=(10_000, 10))
    reduce = np.median if statistic == "median" else np.mean
    ratios = []
    for spread in spreads:
        tanh = reduce(np.prod(activations.tanh_derivative(spread * z), axis=1))
        sigmoid = reduce(np.prod(activations.sigmoid_derivative(spread * z), axis=1))
        ratios.append(float(tanh / sigmoid))
    return ratios


def _reference_1_2(spread: float) -> list[float]:
    return _median_ratios((1.0, float(spread)))


def _validate_1_2(spread: object) -> str | None:
    if isinstance(spread, bool) or not isinstance(spread, numbers.Real) or not 1.5 <= spread <= 5:
        return f"set my_spread to the factor you multiplied z by, a number from 1.5 to 5 (got {spread!r})."
    return None


# --- 1.3 dying ReLU at a learning rate of the learner's choice ----------------------------------


def _moons_relu_net(learning_rate: float):
    """Section 1.6's 2-64-64-1 ReLU network with seed 0's starting weights, Adam at ``learning_rate``."""
    from nbsupport.models import build_moons_net

    return build_moons_net(2, activation="relu", negative_slope=0.01, optimizer="adam", learning_rate=learning_rate, seed=0)


@lru_cache(maxsize=None)
def _moons():
    from nbsupport.data import load_moons

    return load_moons(300)


@lru_cache(maxsize=None)
def _trained_moons_relu_net(learning_rate: float):
    """The network after 300 full-batch Adam steps at ``learning_rate``, as section 1.6 trains it (kept: mistakes measure it too)."""
    from nbsupport.training import CompiledTrainer

    X, y = _moons()
    model = _moons_relu_net(learning_rate)
    CompiledTrainer(model).fit(X, y, epochs=300, batch_size=len(X), validation_split=0.0)
    return model


def _moons_share(learning_rate: float, which: str) -> float:
    """A share of the 128 hidden units: never active (all, or one layer), without gradient, or never active untrained."""
    import numpy as np

    from nbsupport import diagnostics

    X, y = _moons()
    if which == "untrained":
        return diagnostics.never_active_fraction(_moons_relu_net(learning_rate), X)
    model = _trained_moons_relu_net(float(learning_rate))
    if which == "never active":
        return diagnostics.never_active_fraction(model, X)
    if which == "no gradient":
        return diagnostics.zero_gradient_fraction(model, X, y)
    layer = {"first layer": 0, "second layer": 1}[which]
    outputs = list(diagnostics.hidden_activations(model, X).values())[layer]
    return float(np.mean(np.all(outputs <= 0, axis=0)))


def _reference_1_3(learning_rate: float) -> float:
    return _moons_share(float(learning_rate), "never active")


def _validate_1_3(learning_rate: object) -> str | None:
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real) or not 0.03 <= learning_rate <= 0.3:
        return f"set my_learning_rate to the rate you trained with, a number from 0.03 to 0.3 (got {learning_rate!r})."
    return None


def _other_share(key: str):
    return lambda e, learning_rate: _moons_share(float(learning_rate), key)


__all__ = ["EXERCISES"]

EXERCISES = (
    Exercise(
        "1.1a",
        _reference_1_1a,
        meaning="Softplus is a ReLU without the kink: log 2 at 0, close to 0 far to the left and to x far to the right.",
        hint="evaluate your softplus at np.linspace(-50, 50, 201); at x = 0 it should give log 2, and far left it must stay above 0.",
        mistakes=(
            Mistake(_naive_softplus, "for very negative x, 1 + e^x rounds to exactly 1 in float64, and its log to 0: use a form that keeps e^x apart from the 1."),
            Mistake(_relu_at_points, "that is ReLU itself; softplus is its smooth version, above it everywhere."),
            Mistake(_logaddexp_1, "np.logaddexp(a, b) is log(e^a + e^b): the 1 in 1 + e^x is e to which power?"),
            Mistake(_softplus_mirrored, "check the sign of x in the exponent: softplus grows for large positive x."),
        ),
        atol=0.0,  # relative only: far to the left softplus is tiny but not 0
    ),
    Exercise(
        "1.1b",
        _reference_1_1b,
        meaning="Softplus's slope is the sigmoid: smooth everywhere, 1/2 at 0, tending to ReLU's 0 and 1 on either side.",
        hint="differentiate log(u) with u = 1 + e^x (chain rule), then write the result so that large x does not overflow.",
        mistakes=(
            Mistake(lambda e: _reference_1_1a(), "those are softplus's values, not its slope."),
            Mistake(_sigmoid_slope, "that is the sigmoid's slope: you differentiated once too often."),
            Mistake(_sigmoid_mirrored, "check the sign: the slope must rise towards 1 as x grows."),
            Mistake(_relu_step, "that is ReLU's step-shaped slope; softplus has no kink, so its slope changes smoothly."),
        ),
        atol=1e-9,  # room for a careful finite difference
    ),
    Exercise(
        "1.2",
        _reference_1_2,
        meaning=(
            "tanh's slope peaks at four times sigmoid's but falls off twice as fast (tanh'(x) = 4 sigmoid'(2x)): at typical "
            "inputs it keeps far less gradient than the peaks promise, and the wider the inputs spread, the more of its lead it "
            "loses: on these draws it falls behind the sigmoid once the spread passes a value between 2 and 2.2."
        ),
        hint=(
            "for each function take the product of the 10 derivatives along each row (one row, one path), then the median "
            "of the 10,000 products; use the same draws z for both functions, and my_spread * z for the second ratio."
        ),
        mistakes=(
            Mistake(lambda e, spread: [1 / e[0], 1 / e[1]], "the ratios are upside down: tanh's median product divided by sigmoid's."),
            Mistake(
                lambda e, spread: _median_ratios((1.0, float(spread)), "mean"),
                "these are ratios of means; the exercise asks for medians, which the few paths near the bound cannot pull up.",
            ),
            Mistake(lambda e, spread: [e[1], e[0]], "the two ratios are in the wrong order: first the inputs z, then the spread ones."),
            Mistake(
                lambda e, spread: _median_ratios((1.0, float(spread) ** 0.5)),
                "spreading the inputs by a factor s means s * z (standard deviation s); np.sqrt(s) * z has variance s.",
            ),
        ),
        given=("spread",),
        digits=2,
        validate=_validate_1_2,
        quick=False,
    ),
    Exercise(
        "1.3",
        _reference_1_3,
        meaning=(
            "Every run started from the same weights (seed 0), so next to seed 0's shares at learning rates 0.01 and 1.0 "
            "in section 1.6 your share shows what the step size alone does to the number of dead units."
        ),
        hint=(
            "train moons_net(0, \"relu\", my_learning_rate) for 300 full-batch steps as section 1.6 does, then count the "
            "units of both hidden layers whose output is <= 0 on every sample of X_moons, as a share of all 128 (another "
            "training loop, such as model.fit, can differ in round-off and tip a unit that sits on the edge)."
        ),
        mistakes=(
            Mistake(lambda e, learning_rate: 128 * e, "give the share of the 128 hidden units (a number between 0 and 1), not their count."),
            Mistake(lambda e, learning_rate: 100 * e, "give the share as a fraction between 0 and 1, not as a percentage."),
            Mistake(_other_share("untrained"), "that is the share before training; train the network at your rate first."),
            Mistake(_other_share("no gradient"), "that is the share of units whose weights get no gradient; the exercise asks for units that never fire."),
            Mistake(_other_share("first layer"), "that is the first hidden layer alone; count the units of both hidden layers."),
            Mistake(_other_share("second layer"), "that is the second hidden layer alone; count the units of both hidden layers."),
        ),
        given=("learning_rate",),
        rtol=0.0,
        atol=0.5 / 128,  # the exact count: the check trains the same network in the same way
        validate=_validate_1_3,
        quick=False,
    ),
)
