"""Chapter 6's exercises (shortcuts, batch normalization): the answers, hints and what a right answer means."""

from __future__ import annotations

import functools

from nbsupport.exercises import Exercise, Mistake

# --- 6.1: the scalar chain of chapter 4 with a shortcut around every layer ----------------------------


def _chain_gradient(weight: float, n_layers: int = 20, shortcut: bool = True) -> float:
    """d z_L / d z_0 of z_k = [z_{k-1} +] weight * (sigmoid(z_{k-1}) - 1/2), started at z_0 = 0: the chain rule, step by step."""
    from nbsupport import activations

    z, gradient = 0.0, 1.0
    for _ in range(n_layers):
        branch_slope = weight * float(activations.sigmoid_derivative(z))
        gradient *= (1.0 + branch_slope) if shortcut else branch_slope
        z = (z if shortcut else 0.0) + weight * (float(activations.sigmoid(z)) - 0.5)
    return gradient


def _reference_6_1a() -> float:
    return _chain_gradient(1.0)


def _reference_6_1b() -> float:
    return _chain_gradient(-2.0)


def _chain_mistakes(weight: float) -> tuple[Mistake, ...]:
    mistakes = [
        Mistake(lambda expected, **_: _chain_gradient(weight, 19), "count the blocks: z_20 is 20 blocks after z_0, so 20 factors multiply, not 19."),
        Mistake(lambda expected, **_: _chain_gradient(weight, 21), "count the blocks: z_20 is 20 blocks after z_0, so 20 factors multiply, not 21."),
        Mistake(1.0, "1 is what the identity path alone passes back; the tape also follows the branch, so every block's derivative is 1 plus the branch's slope, and 20 of them multiply."),
        Mistake(0.0, "0 is z_20 itself (started at 0, the chain stays at 0); the exercise asks for the derivative d z_20 / d z_0."),
        Mistake(lambda expected, **_: _chain_gradient(-weight), "that is the chain with the opposite sign of w: check the sign of the weight in your chain."),
    ]
    plain = _chain_gradient(weight, shortcut=False)
    if abs(plain - _chain_gradient(weight)) > 1e-3 * abs(plain):  # at w = -2 the plain chain's gradient has the same value
        mistakes.insert(0, Mistake(lambda expected, **_: _chain_gradient(weight, shortcut=False),
                                   "that is the chain without shortcuts: each block adds its input to the branch, z_k = z_{k-1} + w (sigmoid(z_{k-1}) - 1/2)."))
    return tuple(mistakes)


# --- 6.2: section 6.1's networks at depth 20 ------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _moons_norms(depth: int, residual: bool) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """|dL/dz| and |dL/dW| of every Dense layer (the output layer last) of build_moons_net(depth, seed=0) on the moons."""
    import gc

    from nbsupport.data import load_moons
    from nbsupport.diagnostics import gradient_profile
    from nbsupport.models import build_moons_net

    X, y = load_moons(1000)
    profile = gradient_profile(build_moons_net(depth, residual=residual, seed=0), X, y)
    norms = tuple(float(n) for n in profile.preactivation_norms), tuple(float(n) for n in profile.weight_norms)
    del profile
    gc.collect()  # the network holds reference cycles
    return norms


def _ratio(depth: int, residual: bool, which: int = 0, last: int | None = None) -> float:
    """Layer 1's norm over the last hidden layer's (``last``: another layer, 1-based); which=0 for dL/dz, 1 for dL/dW."""
    norms = _moons_norms(depth, residual)[which]
    return norms[0] / norms[(last or depth) - 1]


def _reference_6_2a() -> float:
    return _ratio(20, True)


def _reference_6_2b() -> float:
    return _ratio(20, False)


def _depth_mistakes(residual: bool) -> tuple[Mistake, ...]:
    other = "without" if residual else "with"
    return (
        Mistake(lambda expected, **_: 1 / expected, "the ratio is the first hidden layer's norm over the last hidden layer's (dense_1 over dense_20), not the other way round."),
        Mistake(lambda expected, **_: _ratio(10, residual), "that is the 10-layer network's ratio from section 6.1; build the network with depth=20."),
        Mistake(lambda expected, **_: _ratio(20, not residual), f"that is the ratio of the network {other} shortcuts: check which of your two networks has residual=True."),
        Mistake(lambda expected, **_: _ratio(20, residual, which=1), "that is the ratio of the weight gradients dL/dW; the exercise asks for the back-propagated gradient dL/dz (preactivation_norms, the profile's default ratio)."),
        Mistake(lambda expected, **_: _ratio(20, residual, last=21), "that divides by the output layer (the 21st Dense layer); the last hidden layer is dense_20."),
    )


# --- 6.3: the BN network of section 6.2 after training, in inference mode -------------------------------

_BN_LAYERS = tuple(name for k in range(1, 11) for name in (f"dense_{k}", f"batch_norm_{k}", f"sigmoid_{k}")) + ("output", "output_sigmoid")
_LAST_BN_RUN: dict[int, dict[str, float]] = {}  # the numbers of the network trained last, for the mistakes' hints


def _validate_6_3(bn_net) -> str | None:
    import keras
    import numpy as np

    wrong = "bn_net must be section 6.2's network, built with moons_net(batch_norm='before'): 10 sigmoid layers of 64 units with BN before the activation, Glorot weights, plain SGD with step 0.1"
    if not isinstance(bn_net, keras.Model) or tuple(layer.name for layer in bn_net.layers) != _BN_LAYERS:
        return wrong
    hidden = [bn_net.get_layer(f"dense_{k}") for k in range(1, 11)]
    optimizer = getattr(bn_net, "optimizer", None)
    if (any(layer.units != 64 or type(layer.kernel_initializer).__name__ != "GlorotUniform" for layer in hidden)
            or type(optimizer).__name__ != "SGD" or not np.isclose(float(optimizer.learning_rate), 0.1)
            or float(optimizer.momentum) != 0.0):
        return wrong
    return None


def _bn_trained(bn_net) -> dict[str, float]:
    """Train ``bn_net`` as train_runs does (reset to seed 0, 15 epochs) and measure it on the training points.

    The learner's network is trained again rather than a new one built, so that its compiled loop, traced
    when the learner trained it, serves again. It ends in the state the learner's own training left it in.
    """
    import numpy as np

    from nbsupport.data import load_moons
    from nbsupport.evaluation import predict_proba
    from nbsupport.study import seed_study

    X, y = load_moons(1000)

    def accuracy(model):
        return float(np.mean((predict_proba(model, X) > 0.5) == y))

    run = seed_study(bn_net, X, y, [0], epochs=15, before=accuracy)[0]
    measured = {"inference": accuracy(bn_net), "curve": run.final_accuracy, "untrained": run.before}
    trained = bn_net.get_weights()  # a training-mode call moves the moving averages: put them back after it
    measured["training mode"] = float(np.mean((bn_net(X, training=True).numpy()[:, 0] > 0.5) == y))
    bn_net.set_weights(trained)
    _LAST_BN_RUN.clear()
    _LAST_BN_RUN[id(bn_net)] = measured
    return measured


def _bn_measured(bn_net) -> dict[str, float]:
    return _LAST_BN_RUN.get(id(bn_net)) or _bn_trained(bn_net)


def _reference_6_3(bn_net) -> float:
    return _bn_trained(bn_net)["inference"]


__all__ = ["EXERCISES"]

EXERCISES = (
    Exercise(
        "6.1a",
        _reference_6_1a,
        meaning="With w = 1 each block passes the gradient back times 1 + 1/4, so over 20 blocks it grows about 87-fold, where the plain chain shrinks it to 0.25^20.",
        hint="build the chain as the prompt writes it, z = z + w * (sigmoid(z) - 1/2), 20 times, starting at 0, and let tape_gradient differentiate z_20 with respect to z_0.",
        mistakes=_chain_mistakes(1.0),
        digits=3,
    ),
    Exercise(
        "6.1b",
        _reference_6_1b,
        meaning="With w = -2 the branch's slope -1/2 cancels half of the identity in every block, so the gradient shrinks as fast as in the plain chain: a shortcut adds a path, it does not guarantee a large gradient.",
        hint="use the same chain as for w = 1 with the weight -2, 20 blocks from z_0 = 0, and read the derivative off the tape.",
        mistakes=_chain_mistakes(-2.0),
        digits=3,
    ),
    Exercise(
        "6.2a",
        _reference_6_2a,
        meaning="With shortcuts the first layer still gets a gradient of the same order as the last hidden layer's at twice the depth: the identity path does not shrink from layer to layer as the plain path does.",
        hint="measure at initialisation (no training) on all 1,000 moons points, with moons_net(depth=20, residual=True), and divide the norm of dL/dz at dense_1 by that at dense_20.",
        mistakes=_depth_mistakes(True),
        quick=False,
        digits=2,
    ),
    Exercise(
        "6.2b",
        _reference_6_2b,
        meaning="Without shortcuts every extra sigmoid layer multiplies the gradient by about the same 0.24 again, so twice the depth roughly squares the ratio: a few millionths become about a millionth of a millionth.",
        hint="measure at initialisation (no training) on all 1,000 moons points, with moons_net(depth=20), and divide the norm of dL/dz at dense_1 by that at dense_20.",
        mistakes=_depth_mistakes(False),
        quick=False,
        digits=2,
    ),
    Exercise(
        "6.3",
        _reference_6_3,
        meaning="Inference mode normalises with the moving averages, which trail the batch statistics while the weights still change quickly, so the trained BN network classifies far fewer points correctly than its training curve says: measure a BN network in the mode it will be used in.",
        hint="train bn_net with seed_study for 15 epochs from seed 0 (it resets the network first), then call predict_proba (inference mode) on the 1,000 training points and count the share on the right side of 0.5, with no training-mode call in between.",
        mistakes=(
            Mistake(lambda expected, bn_net: _bn_measured(bn_net)["curve"], "that is the training curve's last value, measured in training mode with each mini-batch's statistics while the weights changed; the exercise asks what predict_proba, in inference mode, gets right."),
            Mistake(lambda expected, bn_net: _bn_measured(bn_net)["training mode"], "that is the trained network in training mode, normalised with the 1,000 points' own statistics; the exercise asks for inference mode (predict_proba), which uses the moving averages."),
            Mistake(lambda expected, bn_net: _bn_measured(bn_net)["untrained"], "that is what the network scores before training: measure it after seed_study has trained it for 15 epochs."),
            Mistake(lambda expected, **_: 1 - expected, "that is the share of points classified wrongly; the exercise asks for the share classified correctly."),
            Mistake(lambda expected, **_: 100 * expected, "that is a percent; give the share as a fraction between 0 and 1."),
        ),
        given=("bn_net",),
        validate=_validate_6_3,
        quick=False,
        digits=2,
    ),
)
