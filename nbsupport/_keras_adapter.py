"""The one place where nbsupport relies on how Keras works inside, beyond its documented API.

Colab's Keras version moves, so everything here is small, named, and covered by
``tests/test_keras_adapter.py``, which fails with the Keras version in its message when Keras changes
under it. No other module imports ``keras.src``.

- :func:`reset_global_seed_generator`: Keras before 3.13 keeps a global random generator that
  ``keras.utils.set_random_seed`` does not reset (private: ``keras.src``).
- :func:`copy_model_state`: copies every variable of one model into an identically built one, random
  seed generators included (relies on ``model.variables`` listing them in the same order for two
  models built from the same configuration).
- :func:`reset_optimizer`: puts an optimizer back to "no step taken" by copying the variables of a fresh
  optimizer of the same configuration (relies on the same order of ``optimizer.variables``).
"""

from __future__ import annotations

from typing import Any, Sequence


def keras_version() -> str:
    """The installed Keras version, for error messages.

    >>> keras_version().startswith("3.")
    True
    """
    import keras

    return keras.__version__


class KerasChangedError(RuntimeError):
    """Keras no longer behaves as this adapter expects: the course package needs an update."""

    def __init__(self, what: str) -> None:
        super().__init__(
            f"{what} (Keras {keras_version()}). nbsupport's Keras adapter (nbsupport/_keras_adapter.py) "
            "needs an update for this Keras version; please report it."
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
    major, minor = keras_version().split(".")[:2]
    return int(major), int("".join(ch for ch in minor if ch.isdigit()) or 0)


def _copy_variables(sources: Sequence[Any], targets: Sequence[Any], what: str) -> None:
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
    _copy_variables(list(source.variables), list(target.variables), "copying a model's state")


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
    _copy_variables(list(fresh.variables), list(optimizer.variables), "resetting an optimizer")
