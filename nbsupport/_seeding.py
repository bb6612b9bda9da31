"""One rule for the seeds of a model's random parts, so that building with a seed and resetting to it agree.

``build_mlp(..., seed=s)`` returns :func:`reseeded_copy` ``(model, s)``, and
``nbsupport.training.reset_model(model, s)`` puts the same variables into a trained model with
:func:`reseed_in_place`: both give every initializer and every dropout layer the seed
:func:`component_seed` derives from ``s``, the layer's position and the part's slot. Where a seed sits in a layer's configuration is the
Keras adapter's to know (``_keras_adapter.reseeded_config``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from nbsupport import _keras_adapter
from nbsupport._tensorflow import import_tensorflow_quietly
from nbsupport._validation import SEED_MAX, check_int, check_model, check_seed


def component_seed(seed: int, position: int, slot: int = 0) -> int:
    """The seed of one random part of a model: derived from the model's seed, the layer's position and a slot.

    ``numpy.random.SeedSequence`` mixes the three numbers, so neighbouring model seeds (0, 1, 2, ...) give
    unrelated weights, and two initializers of one layer (an LSTM's kernel and recurrent kernel) get
    different seeds.

    Parameters
    ----------
    seed : int
        The model's seed, in [0, 2**31 - 1].
    position : int
        The layer's index in ``model.layers``, >= 0.
    slot : int, default=0
        Which random part of the layer (its initializers and dropout in alphabetical order), >= 0.

    Returns
    -------
    int
        A seed in [0, 2**31 - 1].

    Examples
    --------
    >>> component_seed(0, 1) == component_seed(0, 1), component_seed(0, 1) == component_seed(1, 1)
    (True, False)
    """
    seed = check_seed(seed)
    position = check_int(position, "position", 0)
    slot = check_int(slot, "slot", 0)
    state = np.random.SeedSequence([seed, position, slot]).generate_state(1)[0]
    return int(state) % (SEED_MAX + 1)


def reseeded_copy(model: Any, seed: int) -> Any:
    """A new, uncompiled copy of ``model`` whose every initializer and dropout layer is seeded by :func:`component_seed`.

    The copy has the same layers and names, freshly initialised.

    Parameters
    ----------
    model : keras.Model
        A flat Sequential or functional model (not a subclassed one, none nested inside).
    seed : int
        In [0, 2**31 - 1].

    Returns
    -------
    keras.Model

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model or ``seed`` not an int.
    ValueError
        If ``seed`` is out of range, or the model holds other models (their layers would keep their seeds).

    Examples
    --------
    >>> from nbsupport.models import build_mlp
    >>> model = build_mlp(4, (8,), seed=None)
    >>> a, b = reseeded_copy(model, 3), reseeded_copy(model, 3)
    >>> all((wa == wb).all() for wa, wb in zip(a.get_weights(), b.get_weights()))
    True
    """
    import_tensorflow_quietly()
    import keras

    check_model(model)
    seed = check_seed(seed)
    positions = {id(layer): i for i, layer in enumerate(model.layers)}

    def clone_layer(layer: Any) -> Any:
        position = positions.get(id(layer))
        if position is None:
            return layer.__class__.from_config(layer.get_config())
        return layer.__class__.from_config(_keras_adapter.reseeded_config(layer, lambda slot: component_seed(seed, position, slot)))

    try:
        return keras.models.clone_model(model, clone_function=clone_layer)
    except ValueError as error:
        raise ValueError(f"model must be a Sequential or functional keras.Model to be re-seeded: {error}") from None


def reseed_in_place(model: Any, seed: int) -> None:
    """Set every variable of ``model`` to its value in :func:`reseeded_copy` ``(model, seed)``, without building a model.

    Each layer that holds variables is rebuilt alone from its re-seeded configuration, for the input
    shape it has in ``model``, and its fresh variables are copied into the layer: the same initializers
    with the same seeds, so the same values, at about half the cost of cloning the whole model. Where
    the layers' variables are not all of the model's, the whole copy is made instead.

    Parameters
    ----------
    model : keras.Model
        A flat Sequential or functional model (not a subclassed one, none nested inside).
    seed : int
        In [0, 2**31 - 1].

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model or ``seed`` not an int.
    ValueError
        If ``seed`` is out of range, or the model holds other models.

    Examples
    --------
    >>> from nbsupport.models import build_mlp
    >>> model, fresh = build_mlp(4, (8,), seed=1), build_mlp(4, (8,), seed=3)
    >>> reseed_in_place(model, 3)
    >>> all((a == b).all() for a, b in zip(model.get_weights(), fresh.get_weights()))
    True
    """
    import_tensorflow_quietly()
    check_model(model)
    seed = check_seed(seed)
    pairs = []
    try:
        for position, layer in enumerate(model.layers):
            if not layer.variables:
                continue
            config = _keras_adapter.reseeded_config(layer, lambda slot, position=position: component_seed(seed, position, slot))
            fresh = layer.__class__.from_config(config)
            if not fresh.built:
                inputs = layer.input
                fresh.build([t.shape for t in inputs] if isinstance(inputs, (list, tuple)) else inputs.shape)
            pairs.append((list(fresh.variables), list(layer.variables)))
    except (AttributeError, ValueError, TypeError, NotImplementedError):
        pairs = []  # a layer that cannot be rebuilt alone (several inputs nodes, a lazy build): copy the whole model
    if not pairs or sum(len(target) for _, target in pairs) != len(model.variables):
        _keras_adapter.copy_model_state(reseeded_copy(model, seed), model)
        return
    for source, target in pairs:
        _keras_adapter.copy_variables(source, target, f"resetting layer {target[0].path.rsplit('/', 1)[0]}")
