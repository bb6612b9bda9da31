"""Training many small models quickly: a compiled training loop, a reset to a seed, and repeated runs.

On a few hundred samples ``model.fit`` spends most of its time in per-epoch Python overhead.
:class:`CompiledTrainer` runs all epochs inside one ``tf.function`` instead: the same mini-batch updates
of the model's own optimizer on its own loss, with validation after each epoch, several times faster
(``make bench`` prints both). :func:`reset_model` puts a model back where its builder would start it
with a given seed, so one trainer (one trace) serves a whole study over seeds, and :func:`repeat_runs`
does exactly that.

>>> from nbsupport.data import load_breast_cancer_split
>>> from nbsupport.models import build_classifier
>>> split = load_breast_cancer_split()
>>> history = fit_compiled(build_classifier(seed=0), split.X_train, split.y_train, epochs=2)
>>> sorted(history), history["loss"].shape
(['accuracy', 'loss', 'val_accuracy', 'val_loss'], (2,))
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from nbsupport import _keras_adapter
from nbsupport._validation import check_array, check_int, check_scalar, check_seed, check_sequence
from nbsupport.evaluation import binary_scores, predict_proba
from nbsupport.models import reseeded_copy
from nbsupport.notebook import import_tensorflow_quietly

__all__ = ["HISTORY_KEYS", "CompiledTrainer", "Run", "as_history", "fit_compiled", "repeat_runs", "reset_model"]

HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")


def _check_model(model: Any) -> Any:
    import keras

    if not isinstance(model, keras.Model):
        raise TypeError(f"model must be a keras.Model, got {type(model).__name__}")
    if not getattr(model, "inputs", None) or len(model.inputs) != 1 or len(model.outputs) != 1:
        raise ValueError("model must have one input (start it with keras.Input(shape=...)) and one output")
    return model


def reset_model(model: Any, seed: int) -> None:
    """Put a model back in the state its builder gives it with ``seed``: fresh weights, fresh optimizer.

    Every variable (weights, batch-normalization statistics, dropout generators) is set to that of
    :func:`nbsupport.models.reseeded_copy` ``(model, seed)``, which is what ``build_mlp(..., seed=seed)``
    returns; a built optimizer is put back to no step taken (its settings, learning rate included, kept).
    The model object stays the same, so a :class:`CompiledTrainer` of it needs no new trace.

    Parameters
    ----------
    model : keras.Model
        A Sequential or functional model, for instance from ``nbsupport.models``.
    seed : int
        In [0, 2**31 - 1].

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model or ``seed`` not an int.
    ValueError
        If ``seed`` is out of range.

    Examples
    --------
    >>> from nbsupport.models import build_classifier
    >>> a, b = build_classifier(seed=5), build_classifier(seed=6)
    >>> reset_model(b, seed=5)
    >>> all((wa == wb).all() for wa, wb in zip(a.get_weights(), b.get_weights()))
    True
    """
    import_tensorflow_quietly()
    _check_model(model)
    seed = check_seed(seed)
    _keras_adapter.copy_model_state(reseeded_copy(model, seed), model)
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and optimizer.built:
        _keras_adapter.reset_optimizer(optimizer, model.trainable_variables)


def _task(model: Any, y: np.ndarray) -> str:
    """``"binary"`` (one output, labels 0/1), ``"multiclass"`` (several outputs, class indices) or ``"regression"``."""
    units = int(model.outputs[0].shape[-1])
    is_int = bool(np.all(y == np.round(y)))
    if units == 1 and y.ndim == 1 and np.all((y == 0) | (y == 1)):
        return "binary"
    if units > 1 and y.ndim == 1 and is_int and np.all((y >= 0) & (y < units)):
        return "multiclass"
    return "regression"


def _check_data(model: Any, X: Any, y: Any, names: tuple[str, str] = ("X", "y")) -> tuple[np.ndarray, np.ndarray]:
    expected = tuple(model.inputs[0].shape[1:])
    X = check_array(X, names[0], min_rows=1)
    if X.shape[1:] != expected:
        raise ValueError(
            f"{names[0]} must have shape (samples, {', '.join(map(str, expected))}) for this model, got {X.shape}: "
            "check the number of feature columns"
        )
    y = check_array(y, names[1], min_rows=1)
    if y.shape[0] != X.shape[0]:
        raise ValueError(f"{names[1]} must have one target per row of {names[0]} ({X.shape[0]}), got shape {y.shape}")
    units = int(model.outputs[0].shape[-1])
    if y.ndim == 2 and y.shape[1] == units == 1:
        y = y[:, 0]
    if y.ndim != 1 and y.shape[1:] != (units,):
        raise ValueError(f"{names[1]} must have shape ({X.shape[0]},) or ({X.shape[0]}, {units}) for this model, got {y.shape}")
    return X.astype(np.float32), y.astype(np.float32)


class CompiledTrainer:
    """Trains one compiled model like ``model.fit`` does, with all epochs inside one ``tf.function``.

    What it shares with ``model.fit(X, y, epochs, batch_size, validation_split)``: the last
    ``validation_split`` share of the rows is held out (``fit`` does the same); the rest is reshuffled
    every epoch and cut into mini-batches of ``batch_size`` (the last one smaller); each mini-batch is
    one step of the model's own optimizer on its own compiled loss, with dropout and batch
    normalization in training mode; after each epoch the validation loss (and accuracy) is measured
    in inference mode. The training figures are averages over the epoch's mini-batches, as ``fit``
    reports them. Accuracy is reported for classifiers: one output with labels 0/1 (threshold 0.5 on
    a probability), or several outputs with class indices (arg max).

    The loop is traced on the first :meth:`fit` and reused by later ones (with :func:`reset_model`
    between them for a fresh start); each trace costs time and memory, so keep one trainer per model.

    Parameters
    ----------
    model : keras.Model
        Compiled with an optimizer and a single loss (``model.compile(optimizer=..., loss=...)``).

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model.
    ValueError
        If it is not compiled, or has several inputs or outputs.

    Examples
    --------
    >>> from nbsupport.models import build_mlp
    >>> X, y = np.random.default_rng(0).normal(size=(40, 3)), np.arange(40) % 2
    >>> trainer = CompiledTrainer(build_mlp(3, (4,), seed=0))
    >>> history = trainer.fit(X, y, epochs=3, batch_size=8, validation_split=0.0)
    >>> sorted(history), int(trainer.model.optimizer.iterations)
    (['accuracy', 'loss'], 15)
    """

    def __init__(self, model: Any) -> None:
        import keras

        self.model = _check_model(model)
        if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
            raise ValueError("model must be compiled with an optimizer and a loss first: model.compile(optimizer=..., loss=...)")
        if isinstance(model.loss, (list, tuple, dict)):
            raise ValueError(f"model must be compiled with a single loss, got {model.loss!r}")
        self._loss = keras.losses.get(model.loss)
        self._loops: dict[tuple[str, bool], Any] = {}

    def _loop(self, task: str, validate: bool) -> Any:
        if (task, validate) in self._loops:
            return self._loops[(task, validate)]
        tf = import_tensorflow_quietly()
        model, loss_fn = self.model, self._loss
        optimizer, variables = model.optimizer, model.trainable_variables
        optimizer.build(variables)

        def loss_and_hits(y_true: Any, p: Any) -> tuple[Any, Any]:
            target = tf.reshape(y_true, tf.shape(p)) if task != "multiclass" else y_true
            loss = tf.reduce_mean(loss_fn(target, p))
            if task == "binary":
                hits = tf.reduce_sum(tf.cast(tf.equal(tf.cast(p[:, 0] > 0.5, tf.float32), y_true), tf.float32))
            elif task == "multiclass":
                hits = tf.reduce_sum(tf.cast(tf.equal(tf.cast(tf.argmax(p, axis=-1), tf.float32), y_true), tf.float32))
            else:
                hits = tf.constant(0.0)
            return loss, hits

        @tf.function(reduce_retracing=True)
        def run(x_train, y_train, x_val, y_val, epochs, batch_size, seed):
            n_train = tf.shape(x_train)[0]
            n_batches = (n_train + batch_size - 1) // batch_size
            history = [tf.TensorArray(tf.float32, size=epochs) for _ in HISTORY_KEYS]
            for epoch in tf.range(epochs):
                order = tf.random.experimental.stateless_shuffle(tf.range(n_train), seed=tf.stack([seed, epoch]))
                loss_sum, hit_sum = tf.constant(0.0), tf.constant(0.0)
                for b in tf.range(n_batches):
                    idx = order[b * batch_size : tf.minimum((b + 1) * batch_size, n_train)]
                    xb, yb = tf.gather(x_train, idx), tf.gather(y_train, idx)
                    with tf.GradientTape() as tape:
                        loss, hits = loss_and_hits(yb, model(xb, training=True))
                    optimizer.apply_gradients(zip(tape.gradient(loss, variables), variables))
                    loss_sum += loss * tf.cast(tf.shape(idx)[0], tf.float32)
                    hit_sum += hits
                n = tf.cast(n_train, tf.float32)
                if validate:
                    val_loss, val_hits = loss_and_hits(y_val, model(x_val, training=False))
                    val_accuracy = val_hits / tf.cast(tf.shape(x_val)[0], tf.float32)
                else:
                    val_loss, val_accuracy = tf.constant(0.0), tf.constant(0.0)
                values = (loss_sum / n, hit_sum / n, val_loss, val_accuracy)
                history = [h.write(epoch, v) for h, v in zip(history, values)]
            return [h.stack() for h in history]

        self._loops[(task, validate)] = run
        return run

    def fit(
        self,
        X: Any,
        y: Any,
        *,
        epochs: int = 50,
        batch_size: int = 32,
        validation_split: float = 0.2,
        seed: int = 0,
    ) -> dict[str, np.ndarray]:
        """Train for ``epochs`` epochs and return the learning curves.

        Parameters
        ----------
        X : array-like of shape (n_samples, *input_shape)
            Finite features, shaped for the model's input.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Finite targets: labels 0/1, class indices, or values for regression.
        epochs : int, default=50
            In [1, 2**31 - 1].
        batch_size : int, default=32
            In [1, 2**31 - 1].
        validation_split : float, default=0.2
            Share of rows held out at the end, in [0, 1); 0 trains on every row and reports no
            validation curves.
        seed : int, default=0
            Seed of the per-epoch shuffles, in [0, 2**31 - 1] (the weights' seed is the builder's).

        Returns
        -------
        dict
            ``loss`` (and ``accuracy`` for a classifier), plus ``val_loss`` (and ``val_accuracy``) when
            rows are held out: one value per epoch, as numpy arrays, the keys of ``model.fit(...).history``.

        Raises
        ------
        TypeError
            If an argument has the wrong type.
        ValueError
            If the data do not fit the model (checked before any training) or a number is out of range.
        """
        X, y = _check_data(self.model, X, y)
        epochs = check_int(epochs, "epochs", 1)
        batch_size = check_int(batch_size, "batch_size", 1)
        validation_split = check_scalar(validation_split, "validation_split", min_val=0.0, max_val=1.0, include_boundaries="left")
        seed = check_seed(seed)
        split_at = int(math.floor(X.shape[0] * (1.0 - validation_split)))  # as keras' train_validation_split
        validate = validation_split > 0
        if split_at == 0 or (validate and split_at == X.shape[0]):
            raise ValueError(f"validation_split={validation_split} leaves no rows for training or validation out of {X.shape[0]}")
        task = _task(self.model, y)
        tf = import_tensorflow_quietly()
        stacked = self._loop(task, validate)(
            tf.constant(X[:split_at]),
            tf.constant(y[:split_at]),
            tf.constant(X[split_at:] if validate else X[:1]),
            tf.constant(y[split_at:] if validate else y[:1]),
            tf.constant(epochs, tf.int32),
            tf.constant(batch_size, tf.int32),
            tf.constant(seed, tf.int32),
        )
        history = {key: value.numpy().astype(float) for key, value in zip(HISTORY_KEYS, stacked)}
        keep = [key for key in HISTORY_KEYS if (validate or not key.startswith("val_")) and (task != "regression" or "accuracy" not in key)]
        return {key: history[key] for key in keep}


def fit_compiled(
    model: Any,
    X: Any,
    y: Any,
    *,
    epochs: int = 50,
    batch_size: int = 32,
    validation_split: float = 0.2,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    """Train a compiled model once with :class:`CompiledTrainer`: ``CompiledTrainer(model).fit(...)``.

    Each call traces the loop anew; to train one model several times, keep a trainer.

    Parameters
    ----------
    model : keras.Model
        Compiled with an optimizer and a loss.
    X, y : array-like
        Features and targets, as for :meth:`CompiledTrainer.fit`.
    epochs : int, default=50
        In [1, 2**31 - 1].
    batch_size : int, default=32
        In [1, 2**31 - 1].
    validation_split : float, default=0.2
        Share of rows held out at the end, in [0, 1).
    seed : int, default=0
        Seed of the per-epoch shuffles.

    Returns
    -------
    dict
        The learning curves, as :meth:`CompiledTrainer.fit` returns them.

    Raises
    ------
    TypeError, ValueError
        As :class:`CompiledTrainer` and its ``fit``.
    """
    trainer = CompiledTrainer(model)
    return trainer.fit(X, y, epochs=epochs, batch_size=batch_size, validation_split=validation_split, seed=seed)


def as_history(history: Any) -> dict[str, np.ndarray]:
    """The per-epoch curves of a ``keras.callbacks.History`` (what ``fit`` returns) or of a dict, as numpy arrays.

    Parameters
    ----------
    history : keras.callbacks.History or dict
        Curves with a ``loss`` entry, all 1-D of one length >= 1.

    Returns
    -------
    dict of str to ndarray

    Raises
    ------
    TypeError
        If ``history`` is neither.
    ValueError
        If ``loss`` is missing or the curves have different or empty shapes.

    Examples
    --------
    >>> as_history({"loss": [0.5, 0.3], "val_loss": [0.6, 0.4]})["loss"].tolist()
    [0.5, 0.3]
    """
    curves = getattr(history, "history", history)
    if not isinstance(curves, Mapping):
        raise TypeError(f"history must be a keras History or a dict of per-epoch lists, got {type(history).__name__}")
    out = {str(k): check_array(v, f"history[{k!r}]", ndim=1, finite=False) for k, v in curves.items()}
    if "loss" not in out:
        raise ValueError(f"history must have a 'loss' curve, got keys {sorted(out)}")
    lengths = {v.shape[0] for v in out.values()}
    if len(lengths) != 1 or 0 in lengths:
        raise ValueError(f"history curves must hold one value per epoch and be of equal length, got lengths {sorted(lengths)}")
    return out


@dataclass(frozen=True)
class Run:
    """One trained model's result: its seed, learning curves and test scores."""

    seed: int
    history: dict[str, np.ndarray] = field(repr=False)
    scores: dict[str, float]

    @property
    def test_accuracy(self) -> float:
        """Accuracy on the test part (classifiers only)."""
        if "accuracy" not in self.scores:
            raise ValueError(f"this run has no accuracy (a regression model); its scores are {sorted(self.scores)}")
        return self.scores["accuracy"]


def _test_scores(model: Any, X: np.ndarray, y: np.ndarray, task: str) -> dict[str, float]:
    if task == "binary":
        return binary_scores(y, predict_proba(model, X))
    p = np.asarray(model(X, training=False), dtype=float)
    if task == "multiclass":
        return {"accuracy": float(np.mean(p.argmax(axis=-1) == y))}
    return {"mse": float(np.mean((p.reshape(y.shape) - y) ** 2))}


def repeat_runs(
    model: Any,
    X_train: Any,
    y_train: Any,
    X_test: Any,
    y_test: Any,
    seeds: Sequence[int],
    *,
    epochs: int = 50,
    batch_size: int = 32,
    validation_split: float = 0.2,
) -> list[Run]:
    """Train and score one compiled model once per seed, each run from that seed's fresh start.

    For every seed the model is reset (:func:`reset_model`: the weights and dropout masks its builder
    gives it with that seed), trained with one :class:`CompiledTrainer` (so the loop is traced once)
    with that seed's shuffles, and scored on the test part: :func:`~nbsupport.evaluation.binary_scores`
    for a binary classifier, accuracy for several classes, mean squared error for regression.
    All data are checked before the first run.

    Parameters
    ----------
    model : keras.Model
        A compiled model from ``nbsupport.models`` (or any Sequential/functional model).
    X_train, y_train, X_test, y_test : array-like
        The split.
    seeds : sequence of int
        Distinct seeds in [0, 2**31 - 1], at least one.
    epochs : int, default=50
        Epochs per run.
    batch_size : int, default=32
        Mini-batch size.
    validation_split : float, default=0.2
        As for ``model.fit``.

    Returns
    -------
    list of Run
        One per seed, in order.

    Raises
    ------
    TypeError, ValueError
        For bad seeds, or data that do not fit the model.

    Examples
    --------
    >>> from nbsupport.data import load_breast_cancer_split
    >>> from nbsupport.models import build_classifier
    >>> s = load_breast_cancer_split()
    >>> runs = repeat_runs(build_classifier(), s.X_train, s.y_train, s.X_test, s.y_test, seeds=[0], epochs=2)
    >>> runs[0].seed, sorted(runs[0].scores)
    (0, ['accuracy', 'f1', 'precision', 'recall', 'roc_auc'])
    """
    trainer = CompiledTrainer(model)
    seeds = [check_seed(s, "each seed") for s in check_sequence(seeds, "seeds", what="seeds")]
    if len(set(seeds)) != len(seeds):
        raise ValueError(f"seeds must be distinct, got {seeds}")
    X_train, y_train = _check_data(model, X_train, y_train, ("X_train", "y_train"))
    X_test, y_test = _check_data(model, X_test, y_test, ("X_test", "y_test"))
    task = _task(model, y_train)
    runs = []
    for seed in seeds:
        reset_model(model, seed)
        history = trainer.fit(X_train, y_train, epochs=epochs, batch_size=batch_size, validation_split=validation_split, seed=seed)
        runs.append(Run(seed, history, _test_scores(model, X_test, y_test, task)))
    return runs
