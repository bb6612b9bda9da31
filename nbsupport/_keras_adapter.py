"""The one place where nbsupport relies on how Keras works inside, beyond its documented API.

Colab's Keras version moves, so everything here is small, named, and covered by
``tests/test_keras_adapter.py``, which fails with the Keras version in its message when Keras changes
under it. No other module imports ``keras.src``.

- :func:`reset_global_seed_generator`: Keras before 3.13 keeps a global random generator that
  ``keras.utils.set_random_seed`` does not reset (private: ``keras.src``).
- :func:`copy_variables`: assigns one list of variables to another after checking that they line up.
- :func:`copy_model_state`: copies every variable of one model into an identically built one, random
  seed generators included (relies on ``model.variables`` listing them in the same order for two
  models built from the same configuration).
- :func:`reset_optimizer`: puts an optimizer back to "no step taken" by copying the variables of a fresh
  optimizer of the same configuration (relies on the same order of ``optimizer.variables``).
- :func:`reseeded_config`: a layer's configuration with every random part given a new seed (relies on
  how Keras lays out a layer's config: a ``seed`` entry, and initializers serialised as
  ``{"class_name": ..., "config": {"seed": ...}}``).
- :data:`LSTM_GATES` and :func:`lstm_gate_slice`: the order of an LSTM's four gates in its bias and
  kernels (input, forget, cell, output).
- :data:`GRU_GATES` and :func:`gru_gate_slice`: the order of a GRU's three blocks in its biases and
  kernels (update, reset, candidate); with ``reset_after=True`` (Keras's default) the bias has two
  rows, one added to the input's part and one to the state's part, and a gate sees their sum.
- :func:`output_and_logits`: the output of a layer with a sigmoid or softmax activation computed so
  that the gradient reaches its logits: Keras's cross-entropies read the logits that its sigmoid and
  softmax keep beside their output, not the output itself.
- :func:`releasing_custom_gradients`: TensorFlow registers a gradient function in a global registry
  each time Keras's ``optimizer.apply_gradients`` is traced inside a ``tf.function`` (through the
  distribution strategy's ``all_reduce``), and never removes it: the entry keeps the whole traced
  training graph alive, several MB per trace (private: ``tensorflow.python.framework.ops``).
"""

from __future__ import annotations

import contextlib
from typing import Any, Callable, Iterator, Sequence


def keras_version() -> str:
    """The installed Keras version, for error messages.

    >>> keras_version().startswith("3.")
    True
    """
    import keras

    return keras.__version__


def tensorflow_version() -> str:
    """The installed TensorFlow version, for error messages.

    >>> tensorflow_version().startswith("2.")
    True
    """
    import tensorflow as tf

    return tf.__version__


class KerasChangedError(RuntimeError):
    """Keras no longer behaves as this adapter expects: the course package needs an update."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} (Keras {keras_version()}, TensorFlow {tensorflow_version()}). nbsupport's Keras adapter "
            "(nbsupport/_keras_adapter.py) needs an update for this version; please report it."
        )


def reset_global_seed_generator() -> None:
    """Drop Keras's global random generator, so unseeded draws repeat after ``keras.utils.set_random_seed``.

    Keras 3.13 and later do this inside ``set_random_seed``; older Keras 3 (the last for Python 3.10
    is 3.12) keeps the generator, so a second ``setup_notebook()`` would not repeat unseeded draws.

    >>> reset_global_seed_generator()
    """
    try:
        from keras.src.backend.common import global_state
    except ImportError:
        if _version_tuple() < (3, 13):
            raise KerasChangedError("keras.src.backend.common.global_state is gone") from None
        return  # newer Keras resets the generator itself
    global_state.set_global_attribute("global_seed_generator", None)


def _version_tuple() -> tuple[int, int]:
    from nbsupport._validation import version_tuple

    return version_tuple(keras_version())


def copy_variables(sources: Sequence[Any], targets: Sequence[Any], what: str) -> None:
    """Assign each of ``sources`` to the variable in the same place of ``targets``, after checking all line up.

    Raises
    ------
    KerasChangedError
        If the two lists differ in length, or a pair in shape or dtype (nothing is assigned then).
    """
    if len(sources) != len(targets):
        raise KerasChangedError(f"{what}: {len(targets)} variables to fill but {len(sources)} in the fresh copy")
    for source, target in zip(sources, targets):
        if tuple(source.shape) != tuple(target.shape) or source.dtype != target.dtype:
            raise KerasChangedError(
                f"{what}: variable {target.path} {tuple(target.shape)} {target.dtype} does not line up with "
                f"{source.path} {tuple(source.shape)} {source.dtype} of the fresh copy"
            )
    for source, target in zip(sources, targets):
        target.assign(source)


def copy_model_state(source: Any, target: Any) -> None:
    """Copy every variable of ``source`` into ``target`` (weights, normalisation statistics, seed generators).

    Both models must come from the same configuration (``keras.models.clone_model`` of one another).
    ``model.variables`` lists the seed generators' states too, which ``get_weights`` leaves out.

    Raises
    ------
    KerasChangedError
        If the two lists of variables do not line up.
    """
    copy_variables(list(source.variables), list(target.variables), "copying a model's state")


def reset_optimizer(optimizer: Any, variables: Sequence[Any]) -> None:
    """Put a built optimizer back in its state before any step: zero step count, fresh slots, same settings.

    A new optimizer of the same class and configuration (the learning rate included) is built for the
    same ``variables`` and its state copied over, so optimizers whose slots start at non-zero values
    (Adagrad's accumulators, for one) are reset right. The optimizer object itself is kept, so a
    ``tf.function`` that uses it needs no new trace.

    Raises
    ------
    KerasChangedError
        If the fresh optimizer's variables do not line up with the old ones.
    """
    fresh = type(optimizer).from_config(optimizer.get_config())
    fresh.build(list(variables))
    copy_variables(list(fresh.variables), list(optimizer.variables), "resetting an optimizer")


# --- seeds in a layer's configuration ------------------------------------------------------------


def random_parts(config: dict) -> list[str]:
    """The keys of a layer's config that hold a seed: ``seed`` itself, and every seeded initializer, sorted.

    >>> import keras
    >>> random_parts(keras.layers.LSTM(2).get_config())
    ['kernel_initializer', 'recurrent_initializer', 'seed']
    >>> random_parts(keras.layers.Dropout(0.5).get_config())
    ['seed']
    """
    return sorted(
        key
        for key, value in config.items()
        if key == "seed" or (key.endswith("_initializer") and isinstance(value, dict) and "seed" in value.get("config", {}))
    )


def reseeded_config(layer: Any, seed_of_slot: Callable[[int], int]) -> dict:
    """``layer.get_config()`` with the seed of random part number ``slot`` (in :func:`random_parts` order) set to ``seed_of_slot(slot)``.

    ``tests/test_keras_adapter.py`` checks, for every kind of layer the builders use, that a layer
    rebuilt from this config draws the same weights twice and other weights with other seeds.
    """
    config = layer.get_config()
    for slot, key in enumerate(random_parts(config)):
        value = int(seed_of_slot(slot))
        if key == "seed":
            config["seed"] = value
        else:
            config[key] = {**config[key], "config": {**config[key]["config"], "seed": value}}
    return config


# --- an LSTM's gates ---------------------------------------------------------------------------

LSTM_GATES = ("input", "forget", "cell", "output")  # Keras's order in an LSTM's bias and kernels


def lstm_gate_slice(units: int, gate: str) -> slice:
    """Where one gate's entries sit in an LSTM's bias (and kernel columns): ``units`` entries per gate, in :data:`LSTM_GATES` order.

    >>> lstm_gate_slice(16, "forget")
    slice(16, 32, None)
    """
    i = LSTM_GATES.index(gate)
    return slice(i * units, (i + 1) * units)


GRU_GATES = ("update", "reset", "candidate")  # Keras's order in a GRU's biases and kernels


def gru_gate_slice(units: int, gate: str) -> slice:
    """Where one block's entries sit in a GRU's bias (each row of it) and kernel columns: ``units`` entries per block, in :data:`GRU_GATES` order.

    >>> gru_gate_slice(16, "update")
    slice(0, 16, None)
    """
    i = GRU_GATES.index(gate)
    return slice(i * units, (i + 1) * units)


# --- the logits beside a sigmoid or softmax output ---------------------------------------------------


def output_and_logits(layer: Any, layer_input: Any) -> tuple[Any, Any]:
    """``(z, f(z))`` for a Dense layer with activation ``f``, computed afresh from its input (inside a tape).

    Keras's sigmoid and softmax keep their input, the logits, beside their output, and its
    cross-entropies compute the loss from those logits (for accuracy at large ``|z|``). A gradient
    taken with respect to the layer's output then comes back empty; one taken with respect to the
    ``z`` returned here is the back-propagated gradient dL/dz. Computing ``f(z)`` from ``z`` on the
    tape makes both paths, through the logits or through the output, run through ``z``.
    """
    import tensorflow as tf

    z = tf.matmul(layer_input, layer.kernel)
    if layer.use_bias:
        z = z + layer.bias
    return z, layer.activation(z)


# --- TensorFlow's registry of custom gradients -------------------------------------------------------

_CUSTOM_GRADIENT_PREFIX = "CustomGradient-"


def _gradient_registry() -> dict:
    try:
        from tensorflow.python.framework import ops

        registry = ops._gradient_registry._registry
    except (ImportError, AttributeError):
        raise KerasChangedError("tensorflow.python.framework.ops._gradient_registry._registry is gone") from None
    if not isinstance(registry, dict):
        raise KerasChangedError(f"TensorFlow's gradient registry is a {type(registry).__name__}, not a dict")
    return registry


@contextlib.contextmanager
def releasing_custom_gradients() -> Iterator[None]:
    """Remove the custom gradients registered while the block traces a training step, so the trace can be freed.

    Tracing ``optimizer.apply_gradients`` in a ``tf.function`` registers one gradient function per
    trace (``CustomGradient-<n>``) whose closure holds tensors of the traced graph; TensorFlow never
    removes it, so every trained model's graph stays in memory (about 5 MB for a 10-layer MLP). Those
    functions would only be needed to differentiate through the optimizer's step, which nothing does.
    """
    registry = _gradient_registry()
    before = set(registry)
    try:
        yield
    finally:
        for name in set(registry) - before:
            if name.startswith(_CUSTOM_GRADIENT_PREFIX):
                del registry[name]
