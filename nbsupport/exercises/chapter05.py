"""Chapter 5's exercises: the answers, hints and what a right answer means.

Both measure the breast-cancer network of section 5.2 at initialisation, 20 hidden layers of 100
units on the standardised training data, with weights drawn as the notebook's ``draw_weights`` draws
them (every kernel from a Keras initializer seeded ``1000 * seed + i`` for the i-th Dense layer, the
hidden kernels times a factor, every bias 0). The references draw the same kernels and run the forward
pass in numpy, which costs a fraction of building the Keras network.
"""

from __future__ import annotations

from functools import lru_cache

from nbsupport.exercises import Exercise, Mistake

_DEPTH, _WIDTH, _SEED, _SLOPE = 20, 100, 0, 0.3


@lru_cache(maxsize=None)
def _kernels(initializer: str) -> tuple:
    """The hidden kernels ``draw_weights(model, initializer, seed=0)`` gives the 20-layer network (before any factor)."""
    import keras

    initializer_class = type(keras.initializers.get(initializer))
    widths = [30] + [_WIDTH] * _DEPTH
    return tuple(keras.ops.convert_to_numpy(initializer_class(seed=1000 * _SEED + i)(shape))
                 for i, shape in enumerate(zip(widths[:-1], widths[1:])))


@lru_cache(maxsize=None)
def _layer_sds(activation: str, initializer: str, scale: float = 1.0, slope: float = _SLOPE) -> tuple[float, ...]:
    """The sd of each hidden layer's outputs (pooled over samples and units), as ``activation_statistics`` reports it."""
    import numpy as np

    from nbsupport import activations
    from nbsupport.data import load_breast_cancer_split

    functions = {"leaky_relu": lambda z: activations.leaky_relu(z, slope), "selu": activations.selu, "relu": activations.relu}
    f = functions[activation]
    a, sds = load_breast_cancer_split().X_train.astype(np.float32), []
    for kernel in _kernels(initializer):
        a = f(a @ (kernel * np.float32(scale))).astype(np.float32)
        sds.append(float(a.std(dtype=np.float64)))
    return tuple(sds)


def _growth(activation: str, initializer: str, scale: float = 1.0, slope: float = _SLOPE) -> float:
    """sd of the 20th hidden layer's outputs / sd of the first's."""
    sds = _layer_sds(activation, initializer, float(scale), slope)
    return sds[-1] / sds[0]


# --- 5.1: He's weights under Leaky ReLU ---------------------------------------------------------------

def _reference_5_1() -> float:
    return _growth("leaky_relu", "he_normal")


# --- 5.2: SELU with He's weights ----------------------------------------------------------------------

def _reference_5_2() -> float:
    return _layer_sds("selu", "he_normal")[-1]


__all__ = ["EXERCISES"]

EXERCISES = (
    Exercise(
        "5.1",
        _reference_5_1,
        meaning="He's weights make up for the half of the signal ReLU sets to 0; Leaky ReLU keeps part of that half, so "
        "He's weights give it more than it loses, and over 19 layers the excess compounds into a ratio above 1: the "
        "rule n_in Var(W) E[f(z)^2] = Var(z) asks for a variance of its own for every activation.",
        hint="the ratio is the 20th hidden layer's standard deviation over the first's, read from activation_statistics "
        "on X, in the network built with negative_slope=0.3 and He's weights drawn with seed 0.",
        mistakes=(
            Mistake(lambda expected: 1 / expected, "that is layer 1 over layer 20; the exercise asks for layer 20 / layer 1."),
            Mistake(lambda expected: expected**2, "that is a ratio of variances; the exercise asks for standard deviations."),
            Mistake(lambda expected: (1 + _SLOPE**2) ** 9.5, "that is the algebra's prediction; the exercise asks what this "
                    "network measures, and one network of 100-unit layers strays from it."),
            Mistake(lambda expected: _growth("leaky_relu", "he_normal", slope=0.01), "that is Leaky ReLU with slope 0.01, "
                    "build_mlp's default; pass negative_slope=0.3."),
            Mistake(lambda expected: _growth("relu", "he_normal"), "that is plain ReLU's ratio; build the network with "
                    "activation=\"leaky_relu\" and negative_slope=0.3."),
            Mistake(lambda expected: _layer_sds("leaky_relu", "he_normal")[-1], "that is the 20th layer's sd alone; divide it "
                    "by the first layer's."),
        ),
        digits=3,
        quick=False,
    ),
    Exercise(
        "5.2",
        _reference_5_2,
        meaning="With twice LeCun's variance, mean 0 and variance 1 is no longer SELU's fixed point: the layers push the "
        "standard deviation up to several times 1 by layer 20, so self-normalisation does not make up for the wrong "
        "initialiser.",
        hint="the network is section 5.4's (20 hidden SELU layers of 100 units) with he_normal weights drawn with seed 0; "
        "the exercise asks for the standard deviation of the last hidden layer's outputs on X.",
        mistakes=(
            Mistake(lambda expected: _layer_sds("selu", "lecun_normal")[-1], "that is with LeCun-normal weights, section "
                    "5.4's start; draw he_normal ones."),
            Mistake(lambda expected: _layer_sds("selu", "he_normal")[0], "that is the first hidden layer; the exercise "
                    "asks for the 20th."),
            Mistake(lambda expected: expected**2, "that is a variance; the exercise asks for the standard deviation."),
        ),
        digits=2,
        quick=False,
    ),
)
