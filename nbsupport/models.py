"""The article's breast-cancer network in Keras 3 style, and a compiled training loop for repeated runs.

``build_classifier`` makes the network 30 -> 128 -> 64 -> 1 (ReLU, He-normal weights, dropout 0.5,
sigmoid output; Adam, binary cross-entropy, accuracy), with every choice an argument.
``fit_compiled`` trains such a model like ``model.fit(..., validation_split=...)`` does, but runs all
epochs inside one ``tf.function``: on 455 samples ``fit`` spends most of its time in per-epoch Python
overhead, so the compiled loop is several times faster for the many runs a seed study needs.

>>> model = build_classifier()
>>> model.count_params(), [layer.name for layer in model.layers]
(12289, ['hidden_1', 'dropout_1', 'hidden_2', 'dropout_2', 'output'])
"""

from __future__ import annotations

import math
import numbers
from typing import Sequence

import numpy as np

from nbsupport._validation import check_int as _check_int
from nbsupport.notebook import import_tensorflow_quietly

HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")


def _check_fraction(value: object, name: str, *, low_open: bool) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    ok = (0 < value < 1) if low_open else (0 <= value < 1)
    if not ok:
        interval = "(0, 1)" if low_open else "[0, 1)"
        raise ValueError(f"{name} must be a number in {interval}, got {value!r}")
    return float(value)


def _check_hidden(hidden: object) -> tuple[int, ...]:
    if isinstance(hidden, (str, bytes)) or not isinstance(hidden, Sequence):
        raise TypeError(f"hidden must be a sequence of layer widths such as (128, 64), got {type(hidden).__name__} {hidden!r}")
    return tuple(_check_int(width, "each width in hidden", 1) for width in hidden)


def dense_parameter_counts(n_features: int = 30, hidden: Sequence[int] = (128, 64), n_outputs: int = 1) -> list[int]:
    """Parameters of each Dense layer of an MLP: ``n_in * n_out`` weights plus ``n_out`` biases.

    Dropout and activation layers have no parameters, so the sum is the model's total.

    Parameters
    ----------
    n_features : number of inputs, at least 1.
    hidden : widths of the hidden layers, each at least 1 (may be empty).
    n_outputs : width of the output layer, at least 1.

    Examples
    --------
    >>> dense_parameter_counts(30, (128, 64), 1)
    [3968, 8256, 65]
    """
    widths = [_check_int(n_features, "n_features", 1), *_check_hidden(hidden), _check_int(n_outputs, "n_outputs", 1)]
    return [n_in * n_out + n_out for n_in, n_out in zip(widths[:-1], widths[1:])]


def build_classifier(
    n_features: int = 30,
    hidden: Sequence[int] = (128, 64),
    *,
    dropout: float = 0.5,
    initializer: str = "he_normal",
    activation: str = "relu",
    learning_rate: float = 1e-3,
    seed: int | None = None,
    name: str = "breast_cancer_mlp",
):
    """The article's binary classifier as a compiled ``keras.Sequential`` (Keras 3 style).

    Layers are named ``hidden_1``, ``dropout_1``, ..., ``output``, so ``model.summary()`` prints the
    same table however many models were built before. ``dropout=0`` leaves the Dropout layers out.

    Parameters
    ----------
    n_features : number of input features, at least 1 (30 for the breast-cancer data).
    hidden : widths of the hidden Dense layers, each at least 1.
    dropout : rate of the Dropout layer after each hidden layer, in [0, 1).
    initializer : a Keras initializer name for the Dense kernels (``"he_normal"``, ``"glorot_uniform"``, ...).
    activation : a Keras activation name for the hidden layers.
    learning_rate : Adam's step size, positive.
    seed : when given, seeds the initializers and the dropout masks (otherwise Keras's global seed).
    name : the model's name.

    Examples
    --------
    >>> model = build_classifier(hidden=(8,), dropout=0.0)
    >>> model.count_params() == sum(dense_parameter_counts(30, (8,)))
    True
    """
    import_tensorflow_quietly()
    import keras

    n_features = _check_int(n_features, "n_features", 1)
    widths = _check_hidden(hidden)
    dropout = _check_fraction(dropout, "dropout", low_open=False)
    if isinstance(learning_rate, bool) or not isinstance(learning_rate, numbers.Real) or not learning_rate > 0:
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate!r}")
    if seed is not None:
        seed = _check_int(seed, "seed", 0)
    try:
        keras.initializers.get(initializer)
    except (ValueError, TypeError):
        raise ValueError(f"initializer must be a Keras initializer name such as 'he_normal', got {initializer!r}") from None
    try:
        keras.activations.get(activation)
    except (ValueError, TypeError):
        raise ValueError(f"activation must be a Keras activation name such as 'relu', got {activation!r}") from None

    def init(offset: int):
        config = {"class_name": initializer, "config": {} if seed is None else {"seed": seed + offset}}
        return keras.initializers.get(config)

    layers: list = [keras.Input(shape=(n_features,), name="features")]
    for i, width in enumerate(widths, start=1):
        layers.append(keras.layers.Dense(width, activation=activation, kernel_initializer=init(i), name=f"hidden_{i}"))
        if dropout > 0:
            layers.append(keras.layers.Dropout(dropout, seed=None if seed is None else seed + 100 + i, name=f"dropout_{i}"))
    layers.append(keras.layers.Dense(1, activation="sigmoid", kernel_initializer=init(0), name="output"))
    model = keras.Sequential(layers, name=name)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=float(learning_rate)),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return model


def _check_xy(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y, dtype=np.float32)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D array (samples, features), got shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must be a 1-D array with one label per row of X ({X.shape[0]}), got shape {y.shape}")
    if not np.isin(y, (0.0, 1.0)).all():
        raise ValueError("y must hold binary labels 0 and 1 only")
    return X, y


def reset_classifier(model, seed: int) -> None:
    """Put a ``build_classifier`` model back in the state ``build_classifier(..., seed=seed)`` starts in.

    New initial weights from the same initializers with the seeds ``build_classifier`` uses, zero
    biases, fresh dropout generators, and an optimizer with no steps taken (its learning rate kept).
    Reusing one model this way lets ``fit_compiled`` reuse its compiled loop: every new model costs a
    new trace, and the memory of each trace is not returned.

    Parameters
    ----------
    model : a model made by ``build_classifier``.
    seed : non-negative int.

    Examples
    --------
    >>> a, b = build_classifier(seed=5), build_classifier(seed=6)
    >>> reset_classifier(b, seed=5)
    >>> all((wa == wb).all() for wa, wb in zip(a.get_weights(), b.get_weights()))
    True
    """
    import_tensorflow_quietly()
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model made by build_classifier, got {type(model).__name__}")
    seed = _check_int(seed, "seed", 0)
    for layer in model.layers:
        if layer.name.startswith(("hidden_", "dropout_")) and layer.name.split("_")[-1].isdigit():
            offset = int(layer.name.split("_")[-1])
        elif layer.name == "output":
            offset = 0
        else:
            raise ValueError(f"model must come from build_classifier; it has a layer named {layer.name!r}")
        if isinstance(layer, keras.layers.Dense):
            init = layer.kernel_initializer
            fresh = keras.initializers.get({"class_name": type(init).__name__, "config": {**init.get_config(), "seed": seed + offset}})
            layer.kernel.assign(fresh(layer.kernel.shape, dtype=layer.kernel.dtype))
            layer.bias.assign(keras.ops.zeros_like(layer.bias))
        elif isinstance(layer, keras.layers.Dropout):
            state = layer.seed_generator.state
            state.assign(keras.ops.cast(keras.ops.convert_to_tensor([seed + 100 + offset, 0]), state.dtype))
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and optimizer.built:
        for variable in optimizer.variables:
            if not variable.path.endswith("learning_rate"):
                variable.assign(keras.ops.zeros_like(variable))


def _compiled_loop(model):
    """The training loop of ``fit_compiled`` for one model, traced once and kept on the model."""
    cached = getattr(model, "_nbsupport_compiled_loop", None)
    if cached is not None:
        return cached
    tf = import_tensorflow_quietly()
    import keras

    optimizer = model.optimizer
    variables = model.trainable_variables
    optimizer.build(variables)

    def loss_and_hits(y_true, p):
        loss = tf.reduce_mean(keras.losses.binary_crossentropy(y_true, p))
        hits = tf.reduce_sum(tf.cast(tf.equal(tf.cast(p > 0.5, tf.float32), y_true), tf.float32))
        return loss, hits

    @tf.function(reduce_retracing=True)
    def run(x_train, y_train, x_val, y_val, epochs, batch_size, seed):
        n_train = tf.shape(x_train)[0]
        n_batches = (n_train + batch_size - 1) // batch_size
        n_train_f = tf.cast(n_train, tf.float32)
        history = [tf.TensorArray(tf.float32, size=epochs) for _ in HISTORY_KEYS]
        for epoch in tf.range(epochs):
            order = tf.random.experimental.stateless_shuffle(tf.range(n_train), seed=tf.stack([seed, epoch]))
            loss_sum = tf.constant(0.0)
            hit_sum = tf.constant(0.0)
            for b in tf.range(n_batches):
                idx = order[b * batch_size : tf.minimum((b + 1) * batch_size, n_train)]
                xb, yb = tf.gather(x_train, idx), tf.gather(y_train, idx)
                with tf.GradientTape() as tape:
                    p = model(xb, training=True)
                    loss, hits = loss_and_hits(yb, p)
                grads = tape.gradient(loss, variables)
                optimizer.apply_gradients(zip(grads, variables))
                loss_sum += loss * tf.cast(tf.shape(idx)[0], tf.float32)
                hit_sum += hits
            val_loss, val_hits = loss_and_hits(y_val, model(x_val, training=False))
            values = (loss_sum / n_train_f, hit_sum / n_train_f, val_loss, val_hits / tf.cast(tf.shape(y_val)[0], tf.float32))
            history = [h.write(epoch, v) for h, v in zip(history, values)]
        return [h.stack() for h in history]

    model._nbsupport_compiled_loop = run
    return run


def fit_compiled(
    model,
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int = 50,
    batch_size: int = 32,
    validation_split: float = 0.2,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Train a compiled binary classifier like ``model.fit``, with all epochs inside one ``tf.function``.

    What it shares with ``model.fit(X, y, epochs, batch_size, validation_split)``: the last
    ``validation_split`` share of the rows is held out for validation (``fit`` does the same); the rest
    is reshuffled every epoch and cut into mini-batches of ``batch_size`` (the last one smaller);
    each mini-batch is one step of the model's own optimizer on binary cross-entropy, with dropout
    active; after each epoch the validation loss and accuracy are measured with dropout off.
    The training loss and accuracy are averages over the epoch's mini-batches, as ``fit`` reports them.
    The loop is traced once per model and reused by later calls (see ``reset_classifier``).

    Parameters
    ----------
    model : a Keras model compiled with an optimizer, one sigmoid output (as ``build_classifier`` makes).
    X, y : training features (2-D) and labels 0/1 (1-D).
    epochs, batch_size : at least 1.
    validation_split : share of rows held out, in (0, 1).
    seed : non-negative int for the per-epoch shuffles.

    Returns
    -------
    dict with ``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``: one value per epoch (numpy),
    the same keys as ``model.fit(...).history``.

    Examples
    --------
    >>> from nbsupport.data import load_breast_cancer_split
    >>> split = load_breast_cancer_split()
    >>> history = fit_compiled(build_classifier(seed=0), split.X_train, split.y_train, epochs=3)
    >>> sorted(history), history["val_accuracy"].shape
    (['accuracy', 'loss', 'val_accuracy', 'val_loss'], (3,))
    """
    tf = import_tensorflow_quietly()
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if getattr(model, "optimizer", None) is None:
        raise ValueError("model must be compiled with an optimizer first (model.compile(optimizer=...))")
    X, y = _check_xy(X, y)
    epochs = _check_int(epochs, "epochs", 1)
    batch_size = _check_int(batch_size, "batch_size", 1)
    validation_split = _check_fraction(validation_split, "validation_split", low_open=True)
    seed = _check_int(seed, "seed", 0)
    split_at = int(math.floor(X.shape[0] * (1.0 - validation_split)))  # as keras' train_validation_split
    if split_at == 0 or split_at == X.shape[0]:
        raise ValueError(f"validation_split={validation_split} leaves no rows for training or validation out of {X.shape[0]}")
    if model.outputs is not None and tuple(model.outputs[0].shape[1:]) != (1,):
        raise ValueError(f"model must have one sigmoid output unit, got output shape {tuple(model.outputs[0].shape)}")

    run = _compiled_loop(model)
    stacked = run(
        tf.constant(X[:split_at]),
        tf.constant(y[:split_at, None]),
        tf.constant(X[split_at:]),
        tf.constant(y[split_at:, None]),
        tf.constant(epochs, tf.int32),
        tf.constant(batch_size, tf.int32),
        tf.constant(seed, tf.int32),
    )
    return {key: value.numpy().astype(float) for key, value in zip(HISTORY_KEYS, stacked)}
