"""Chapter 4's exercises (the vanishing-gradient problem, measured): the answers, hints and what a right answer means.

Each exercise changes one of the chapter's experiments and asks for what it measures:

- 4.1 starts section 4.1's chain of sigmoids, ``z_k = w (sigmoid(z_{k-1}) - 1/2)`` with ``w = 6``, at
  ``z_0 = 0.1`` instead of 0: (a) the gradient ``d z_20 / d z_0``, (b) where the chain ends, ``z_20``;
- 4.2 gives section 4.2's 10-layer sigmoid network He-normal weights: the first/last hidden-layer ratio
  of ``|dL/dz|`` on the breast-cancer training data;
- 4.3 trains section 4.4's deep sigmoid network on the moons with plain SGD at ten times the learning
  rate (1.0): (a) its training accuracy after 30 epochs, (b) how far its first layer moved.

The references of 4.2 and 4.3 build and train the same networks as the notebook (same builders, seeds and
data), once per session.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from nbsupport.exercises import Exercise, Mistake

# ---- 4.1: section 4.1's chain, started off-centre ---------------------------------------------------

_CHAIN_START = 0.1
_CHAIN_WEIGHT = 6.0
_CHAIN_LAYERS = 20


def _chain(z0: float = _CHAIN_START, weight: float = _CHAIN_WEIGHT, n_layers: int = _CHAIN_LAYERS) -> list[float]:
    """The chain's pre-activations z_0 ... z_L, in float64."""
    from nbsupport import activations

    z = [float(z0)]
    for _ in range(n_layers):
        z.append(weight * (float(activations.sigmoid(z[-1])) - 0.5))
    return z


def _chain_factors(z0: float = _CHAIN_START, weight: float = _CHAIN_WEIGHT, n_layers: int = _CHAIN_LAYERS) -> list[float]:
    """What layer k multiplies the gradient by: ``weight * sigmoid'(z_{k-1})``, k = 1 ... L."""
    from nbsupport import activations

    return [weight * float(activations.sigmoid_derivative(z)) for z in _chain(z0, weight, n_layers)[:-1]]


def _product(values: list[float]) -> float:
    import math

    return float(math.prod(values))


def _reference_4_1a() -> float:
    """d z_20 / d z_0 from z_0 = 0.1, w = 6: the chain rule's product of the layers' factors (GradientTape agrees to 1e-12)."""
    return _product(_chain_factors())


def _reference_4_1b() -> float:
    """z_20, where the chain started at z_0 = 0.1 with w = 6 ends."""
    return _chain()[-1]


def _slopes_only(expected: float, **_: Any) -> float:
    """The product of the sigmoid slopes alone, without the weights."""
    return expected / _CHAIN_WEIGHT**_CHAIN_LAYERS


def _factors_one_layer_late(expected: float, **_: Any) -> float:
    """The product of w sigmoid'(z_k) for k = 1 ... 20: each slope taken at the layer's output, not its input."""
    from nbsupport import activations

    return _product([_CHAIN_WEIGHT * float(activations.sigmoid_derivative(z)) for z in _chain()[1:]])


def _sigmoid_of(expected: float, **_: Any) -> float:
    """sigmoid(z_20), the unit's output, for a learner who gives a_20 instead of z_20."""
    from nbsupport import activations

    return float(activations.sigmoid(expected))


# ---- 4.2: the sigmoid network of section 4.2 with He-normal weights ------------------------------------


@lru_cache(maxsize=None)
def _breast_cancer_norms(initializer: str, seed: int = 0) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """|dL/dz| and |dL/dW| of every Dense layer (dense_1 ... dense_10, output) of section 4.2's sigmoid network."""
    from nbsupport.data import load_breast_cancer_split
    from nbsupport.diagnostics import gradient_profile
    from nbsupport.models import build_mlp

    split = load_breast_cancer_split()
    model = build_mlp(split.X_train.shape[1], (100,) * 10, activation="sigmoid", initializer=initializer, seed=seed)
    profile = gradient_profile(model, split.X_train, split.y_train)
    return tuple(float(v) for v in profile.preactivation_norms), tuple(float(v) for v in profile.weight_norms)


def _first_over_last(initializer: str = "he_normal", which: int = 0, last: int = 9) -> float:
    """dense_1's norm over layer ``last``'s (9 = dense_10, the last hidden layer; 10 = the output layer)."""
    norms = _breast_cancer_norms(initializer)[which]
    return norms[0] / norms[last]


def _reference_4_2() -> float:
    """|dL/dz| of dense_1 over that of dense_10, sigmoid units, He-normal weights, seed 0, at initialisation."""
    return _first_over_last()


# ---- 4.3: section 4.4's deep sigmoid network, plain SGD at learning rate 1.0 ---------------------------


@lru_cache(maxsize=None)
def _moons_run(learning_rate: float, seed: int = 0) -> dict[str, Any]:
    """Section 4.4's run, as its ``train_runs`` does it: the deep sigmoid moons network, plain SGD, 30 epochs."""
    from nbsupport.data import load_moons
    from nbsupport.diagnostics import kernel_snapshot, weight_change
    from nbsupport.models import build_moons_net
    from nbsupport.training import fit_compiled, reset_model

    X, y = load_moons(1000)
    model = build_moons_net(10, activation="sigmoid", initializer="glorot_uniform", optimizer="sgd", learning_rate=learning_rate, seed=seed)
    reset_model(model, seed)
    start = kernel_snapshot(model)
    history = fit_compiled(model, X, y, epochs=30, batch_size=32, validation_split=0.0, seed=seed)
    change = weight_change(model, start)
    first = start["dense_1"]
    return {
        "accuracy": float(history["accuracy"][-1]),
        "loss": float(history["loss"][-1]),
        "change": {layer: float(value) for layer, value in change.items()},
        "start_norm": float((first.astype("float64") ** 2).sum() ** 0.5),
    }


def _reference_4_3a() -> float:
    """Training accuracy after 30 epochs of plain SGD at rate 1.0, seed 0."""
    return _moons_run(1.0)["accuracy"]


def _reference_4_3b() -> float:
    """|W_end - W_start| / |W_start| of dense_1 in that run."""
    return _moons_run(1.0)["change"]["dense_1"]


__all__ = ["EXERCISES"]

EXERCISES = (
    Exercise(
        "4.1a",
        _reference_4_1a,
        meaning=(
            "From z_0 = 0.1 the chain does not stay near 0: it runs to where the sigmoid's slope is about a quarter of its "
            "peak, and there each layer shrinks the gradient; the weight that grows it at z = 0 does so only on that knife edge."
        ),
        hint=(
            "start the chain at z_0 = 0.1 with w = 6, apply the map 20 times, and let GradientTape differentiate "
            "z_20 with respect to z_0, as chain_gradient does from 0."
        ),
        mistakes=(
            Mistake((_CHAIN_WEIGHT / 4) ** _CHAIN_LAYERS,
                    "that is the gradient from z_0 = 0, where every z stays at 0; start the chain at z_0 = 0.1."),
            Mistake(lambda expected, **_: _product(_chain_factors(n_layers=_CHAIN_LAYERS - 1)),
                    "that is the gradient through 19 layers: count the layers, 20 applications of the map take z_0 to z_20."),
            Mistake(lambda expected, **_: _product(_chain_factors(n_layers=_CHAIN_LAYERS + 1)),
                    "that is the gradient through 21 layers: count the layers, 20 applications of the map take z_0 to z_20."),
            Mistake(_factors_one_layer_late,
                    "layer k's factor is the slope at its input, z_{k-1}: the slopes run from z_0 to z_19, not from z_1 to z_20."),
            Mistake(_slopes_only,
                    "each layer's factor is the weight times the sigmoid's slope; the product of the slopes alone leaves out w."),
            Mistake(lambda expected, **_: _reference_4_1b(),
                    "that is where the chain ends, z_20; (a) asks for the gradient d z_20 / d z_0."),
        ),
        digits=2,
    ),
    Exercise(
        "4.1b",
        _reference_4_1b,
        meaning=(
            "From z_0 = 0.5, 1 or 2 the chain ends at the same z_20 (to 3 digits): it forgets where it started, and a chain "
            "that forgets its input passes back almost no gradient (the forward signal and the gradient fade together, "
            "as in section 4.2)."
        ),
        hint="z_20 is the pre-activation after 20 applications of z -> w (sigmoid(z) - 1/2), starting from z_0 = 0.1 with w = 6.",
        mistakes=(
            Mistake(0.0, "from z_0 = 0 the chain stays at 0; start it at z_0 = 0.1."),
            Mistake(lambda expected, **_: _reference_4_1a(),
                    "that is the gradient, part (a); (b) asks where the chain ends, the pre-activation z_20."),
            Mistake(_sigmoid_of,
                    "that is the unit's output sigmoid(z_20); (b) asks for the pre-activation z_20 itself."),
            Mistake(lambda expected, **_: expected / _CHAIN_WEIGHT,
                    "that is sigmoid(z_19) - 1/2: multiply by the weight w = 6 to get z_20."),
        ),
        digits=3,
    ),
    Exercise(
        "4.2",
        _reference_4_2,
        meaning=(
            "He's weights make each layer lose less (about 0.3 per layer instead of about 0.24 with Glorot's), but the "
            "first hidden layer still gets a few hundred-thousandths of the last one's gradient: twice the variance "
            "does not undo a slope of at most 0.25."
        ),
        hint=(
            "build section 4.2's network with activation 'sigmoid' and initializer 'he_normal', seed 0, and divide "
            "dense_1's |dL/dz| by dense_10's, on the training data X, y, before any training."
        ),
        mistakes=(
            Mistake(lambda expected, **_: 1.0 / expected,
                    "the ratio is first over last: dense_1's gradient divided by dense_10's, not the other way round."),
            Mistake(lambda expected, **_: _first_over_last(last=10),
                    "the last hidden layer is dense_10; the output layer is not a hidden layer."),
            Mistake(lambda expected, **_: _first_over_last(which=1),
                    "that is the ratio of the weight gradients dL/dW; the exercise asks for the back-propagated gradient "
                    "dL/dz (the profile's default, 'preactivation')."),
            Mistake(lambda expected, **_: _first_over_last("glorot_uniform"),
                    "that is section 4.2's network with Glorot's weights; build it with initializer 'he_normal'."),
        ),
        digits=2,
        quick=False,
    ),
    Exercise(
        "4.3a",
        _reference_4_3a,
        meaning="Ten times the step leaves the deep sigmoid network at chance after 30 epochs: a longer step is not what it lacks.",
        hint=(
            "train a network built for learning rate 1.0 (a network keeps the rate it was built with; train_runs builds "
            "one per setting) from seed 0's start, 30 epochs in batches of 32, and give the last epoch's training accuracy."
        ),
        mistakes=(
            Mistake(lambda expected, **_: 100 * expected, "give the accuracy as a fraction between 0 and 1, not a percentage."),
            Mistake(lambda expected, **_: _moons_run(1.0)["loss"], "that is the training loss; (a) asks for the training accuracy."),
        ),
        digits=2,
        quick=False,
    ),
    Exercise(
        "4.3b",
        _reference_4_3b,
        meaning=(
            "Layer 1 still barely moves: a learning rate lengthens every layer's step alike, so the gap between the layers' "
            "gradients, about a factor of 4 per layer, stays; Adam, which scales each weight's step to that weight's own "
            "gradient, moved layer 1 in section 4.4."
        ),
        hint=(
            "measure dense_1, the layer on the input side, in the run at rate 1.0, relative to its own starting weights: "
            "|W_end - W_start| / |W_start| (train_runs records it as run['change'])."
        ),
        mistakes=(
            Mistake(lambda expected, **_: 100 * expected, "give the movement as a fraction of the starting weights, not a percentage."),
            Mistake(lambda expected, **_: _moons_run(1.0)["change"]["dense_10"],
                    "that is layer 10 (dense_10); layer 1 is dense_1, on the input side."),
            Mistake(lambda expected, **_: _moons_run(1.0)["change"]["output"],
                    "that is the output layer; layer 1 is dense_1, on the input side."),
            Mistake(lambda expected, **_: expected / _moons_run(1.0)["change"]["dense_10"],
                    "that compares layer 1 with layer 10; (b) asks how far layer 1 moved relative to its own starting weights."),
            Mistake(lambda expected, **_: expected * _moons_run(1.0)["start_norm"],
                    "that is the distance |W_end - W_start| itself; divide it by the size of the starting weights, |W_start|."),
            Mistake(lambda expected, **_: _moons_run(0.1)["change"]["dense_1"],
                    "that is section 4.4's run at learning rate 0.1; train again with rate 1.0."),
        ),
        digits=2,
        quick=False,
    ),
)
