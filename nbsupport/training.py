"""Training many small models quickly: a compiled training loop, and a reset to a seed.

On a few hundred samples ``model.fit`` spends most of its time in per-epoch Python overhead.
:class:`CompiledTrainer` runs the epochs inside a ``tf.function`` instead: the same mini-batch updates
of the model's own optimizer on its own loss, with validation after each epoch, several times faster
(``make bench`` prints both). It hands control back to Python about four times a second, so the stop
button (a ``KeyboardInterrupt``) stops a long run within about a second. :func:`reset_model` puts a
model back where its builder would start it with a given seed, so one trainer (one trace) serves a
whole study over seeds (``nbsupport.study``).

>>> from nbsupport.data import load_breast_cancer_split
>>> from nbsupport.models import build_classifier
>>> split = load_breast_cancer_split()
>>> history = fit_compiled(build_classifier(seed=0), split.X_train, split.y_train, epochs=2)
>>> sorted(history), history["loss"].shape
(['accuracy', 'loss', 'val_accuracy', 'val_loss'], (2,))
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from typing import Any

import numpy as np

from nbsupport import _keras_adapter, _memory
from nbsupport._seeding import reseed_in_place
from nbsupport._tensorflow import import_tensorflow_quietly
from nbsupport._validation import check_array, check_int, check_model, check_scalar, check_seed, check_targets, loss_kind

__all__ = ["MAX_EPOCHS", "CompiledTrainer", "fit_compiled", "reset_model"]

_HISTORY_KEYS = ("loss", "accuracy", "val_loss", "val_accuracy")
MAX_EPOCHS = 1_000_000  # far beyond any course experiment; a learner's extra zeros get an error, not an hour's wait
_SECONDS_PER_CALL = 0.25  # how long one call of the traced loop may run before Python (and the stop button) gets a turn


def reset_model(model: Any, seed: int) -> None:
    """Put a model back in the state its builder gives it with ``seed``: fresh weights, fresh optimizer.

    Every variable (weights, batch-normalization statistics, dropout generators) is set to that of a
    fresh copy of the model re-seeded with ``seed``, which is what ``build_mlp(..., seed=seed)`` returns;
    a built optimizer is put back to no step taken (its settings, learning rate included, kept).
    The model object stays the same, so a :class:`CompiledTrainer` of it needs no new trace.

    Parameters
    ----------
    model : keras.Model
        A flat Sequential or functional model with one input and one output, for instance from
        ``nbsupport.models``.
    seed : int
        In [0, 2**31 - 1].

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model or ``seed`` not an int.
    ValueError
        If ``seed`` is out of range, or the model has several inputs or outputs or holds other models.

    Examples
    --------
    >>> from nbsupport.models import build_classifier
    >>> a, b = build_classifier(seed=5), build_classifier(seed=6)
    >>> reset_model(b, seed=5)
    >>> all((wa == wb).all() for wa, wb in zip(a.get_weights(), b.get_weights()))
    True
    """
    import_tensorflow_quietly()
    check_model(model)
    seed = check_seed(seed)
    reseed_in_place(model, seed)
    optimizer = getattr(model, "optimizer", None)
    if optimizer is not None and optimizer.built:
        _keras_adapter.reset_optimizer(optimizer, model.trainable_variables)


def _task(model: Any, y: np.ndarray) -> tuple[str, float]:
    """What accuracy means for this model and these targets, and the threshold a binary decision uses.

    ``"binary"`` (one output, labels 0/1: output above the threshold means class 1; 0.5 on a probability,
    0 on a logit), ``"multiclass"`` (several outputs, class indices: arg max) or ``"regression"`` (no
    accuracy). Cross-entropy losses decide by their kind; any other loss by the targets.
    """
    units = int(model.outputs[0].shape[-1])
    kind, from_logits = loss_kind(model.loss)
    threshold = 0.0 if from_logits else 0.5
    labels_01 = bool(np.all((y == 0) | (y == 1)))
    if units == 1 and y.ndim == 1 and labels_01 and kind in ("binary_crossentropy", "other"):
        return "binary", threshold
    is_index = bool(np.all((y == np.round(y)) & (y >= 0) & (y < units)))
    if units > 1 and y.ndim == 1 and is_index and kind in ("sparse_categorical_crossentropy", "other"):
        return "multiclass", threshold
    return "regression", threshold


def _check_data(model: Any, X: Any, y: Any, names: tuple[str, str] = ("X", "y")) -> tuple[np.ndarray, np.ndarray]:
    expected = tuple(model.inputs[0].shape[1:])
    X = check_array(X, names[0], min_rows=1)
    if X.shape[1:] != expected:
        raise ValueError(
            f"{names[0]} must have shape (samples, {', '.join(map(str, expected))}) for this model, got {X.shape}: "
            "check the number of feature columns"
        )
    y = check_targets(model, y, model.loss, X.shape[0], names[1])
    return X.astype(np.float32), y.astype(np.float32)


class CompiledTrainer:
    """Trains one compiled model like ``model.fit`` does, with the epochs inside a ``tf.function``.

    What it shares with ``model.fit(X, y, epochs, batch_size, validation_split)``: the last
    ``validation_split`` share of the rows is held out (``fit`` does the same); the rest is reshuffled
    every epoch and cut into mini-batches of ``batch_size`` (the last one smaller); each mini-batch is
    one step of the model's own optimizer on its own compiled loss, with dropout and batch
    normalization in training mode; after each epoch the validation loss (and accuracy) is measured
    in inference mode. The training figures are averages over the epoch's mini-batches, as ``fit``
    reports them. Accuracy is reported for classifiers: one output with labels 0/1 (threshold 0.5 on
    a probability, 0 on a logit), or several outputs with class indices (arg max).

    The loop is traced on the first :meth:`fit` and reused by later ones (with :func:`reset_model`
    between them for a fresh start); each trace costs about a second, so keep one trainer per model.
    The memory of a trace is returned when the trainer and its model are no longer used.

    Parameters
    ----------
    model : keras.Model
        Compiled with an optimizer and a single loss (``model.compile(optimizer=..., loss=...)``).

    Raises
    ------
    TypeError
        If ``model`` is not a Keras model.
    ValueError
        If it is not compiled, has several inputs or outputs, or holds other models.

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

        self.model = check_model(model)
        if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
            raise ValueError("model must be compiled with an optimizer and a loss first: model.compile(optimizer=..., loss=...)")
        if isinstance(model.loss, (list, tuple, dict)):
            raise ValueError(f"model must be compiled with a single loss, got {model.loss!r}")
        self._loss = keras.losses.get(model.loss)
        self._loops: dict[tuple[str, bool, float], Any] = {}

    def _loop(self, task: str, validate: bool, threshold: float) -> Any:
        if (task, validate, threshold) in self._loops:
            return self._loops[(task, validate, threshold)]
        tf = import_tensorflow_quietly()
        model, loss_fn = self.model, self._loss
        optimizer, variables = model.optimizer, model.trainable_variables
        optimizer.build(variables)

        def loss_and_hits(y_true: Any, p: Any) -> tuple[Any, Any]:
            target = tf.reshape(y_true, tf.shape(p)) if task != "multiclass" else y_true
            loss = tf.reduce_mean(loss_fn(target, p))
            if task == "binary":
                hits = tf.reduce_sum(tf.cast(tf.equal(tf.cast(p[:, 0] > threshold, tf.float32), y_true), tf.float32))
            elif task == "multiclass":
                hits = tf.reduce_sum(tf.cast(tf.equal(tf.cast(tf.argmax(p, axis=-1), tf.float32), y_true), tf.float32))
            else:
                hits = tf.constant(0.0)
            return loss, hits

        @tf.function(reduce_retracing=True)
        def run(x_train, y_train, x_val, y_val, first_epoch, epochs, batch_size, seed):
            """Epochs first_epoch .. first_epoch + epochs - 1; epoch e shuffles with the seed (seed, e)."""
            n_train = tf.shape(x_train)[0]
            n_batches = (n_train + batch_size - 1) // batch_size
            history = [tf.TensorArray(tf.float32, size=epochs) for _ in _HISTORY_KEYS]
            for i in tf.range(epochs):
                epoch = first_epoch + i
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
                history = [h.write(i, v) for h, v in zip(history, values)]
            return [h.stack() for h in history]

        self._loops[(task, validate, threshold)] = run
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

        The epochs run in calls of about a quarter of a second each; a ``KeyboardInterrupt`` (Jupyter's
        stop button) between two calls stops training there, the model keeping the steps it took.

        Parameters
        ----------
        X : array-like of shape (n_samples, *input_shape)
            Finite features, shaped for the model's input.
        y : array-like of shape (n_samples,) or (n_samples, n_outputs)
            Finite targets that the model's loss can read: labels 0/1 for binary cross-entropy, class
            indices for sparse categorical cross-entropy, values for regression.
        epochs : int, default=50
            In [1, 1,000,000].
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
            If the data do not fit the model or its loss (checked before any training) or a number is
            out of range.
        """
        X, y = _check_data(self.model, X, y)
        epochs = check_int(epochs, "epochs", 1, MAX_EPOCHS)
        batch_size = check_int(batch_size, "batch_size", 1)
        validation_split = check_scalar(validation_split, "validation_split", min_val=0.0, max_val=1.0, include_boundaries="left")
        seed = check_seed(seed)
        split_at = int(math.floor(X.shape[0] * (1.0 - validation_split)))  # as keras' train_validation_split
        validate = validation_split > 0
        if split_at == 0 or (validate and split_at == X.shape[0]):
            raise ValueError(f"validation_split={validation_split} leaves no rows for training or validation out of {X.shape[0]}")
        task, threshold = _task(self.model, y)
        tf = import_tensorflow_quietly()
        new_trace = (task, validate, threshold) not in self._loops
        loop = self._loop(task, validate, threshold)
        data = (
            tf.constant(X[:split_at]),
            tf.constant(y[:split_at]),
            tf.constant(X[split_at:] if validate else X[:1]),
            tf.constant(y[split_at:] if validate else y[:1]),
        )
        batch, shuffle_seed = tf.constant(batch_size, tf.int32), tf.constant(seed, tf.int32)
        parts: list[list[np.ndarray]] = []
        done, chunk = 0, 1
        while done < epochs:
            n = min(chunk, epochs - done)
            started = time.perf_counter()
            with _keras_adapter.releasing_custom_gradients():
                stacked = loop(*data, tf.constant(done, tf.int32), tf.constant(n, tf.int32), batch, shuffle_seed)
            seconds_per_epoch = (time.perf_counter() - started) / n
            if new_trace:  # tracing left garbage (tens of MB for a deep network) and freed older traces: return it
                _memory.return_freed_memory()
                new_trace = False
            parts.append([value.numpy() for value in stacked])
            done += n
            chunk = max(1, min(4 * chunk, int(_SECONDS_PER_CALL / max(seconds_per_epoch, 1e-9))))
        history = {key: np.concatenate([part[i] for part in parts]).astype(float) for i, key in enumerate(_HISTORY_KEYS)}
        keep = [key for key in _HISTORY_KEYS if (validate or not key.startswith("val_")) and (task != "regression" or "accuracy" not in key)]
        return {key: history[key] for key in keep}


_RECENT_TRAINERS: OrderedDict[int, tuple[CompiledTrainer, Any, Any]] = OrderedDict()  # id: trainer, optimizer, loss
_KEEP_TRAINERS = 1  # the traced loop of the model trained last is kept; an older one is let go, and its memory


def _trainer_for(model: Any) -> CompiledTrainer:
    """The trainer of one of the last few models trained, so training the same model again needs no new trace."""
    compiled_with = (getattr(model, "optimizer", None), getattr(model, "loss", None))
    trainer, *kept_with = _RECENT_TRAINERS.pop(id(model), (None, None, None))
    if trainer is None or trainer.model is not model or any(a is not b for a, b in zip(kept_with, compiled_with)):
        trainer = CompiledTrainer(model)  # a new model, or one compiled again since: a new trace
    _RECENT_TRAINERS[id(model)] = (trainer, *compiled_with)
    if len(_RECENT_TRAINERS) > _KEEP_TRAINERS:
        while len(_RECENT_TRAINERS) > _KEEP_TRAINERS:
            _RECENT_TRAINERS.popitem(last=False)
        _memory.return_freed_memory()  # the dropped trace's graph is cyclic garbage: free it now, not later
    return trainer


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
    """Train a compiled model with a :class:`CompiledTrainer`: ``CompiledTrainer(model).fit(...)``.

    The trainer of the last model trained this way is kept, so training it again (after
    :func:`reset_model`, say) reuses its traced loop; a new model costs a trace (about a second), and
    the previous model's traced loop is let go, its memory returned.

    Parameters
    ----------
    model : keras.Model
        Compiled with an optimizer and a loss.
    X, y : array-like
        Features and targets, as for :meth:`CompiledTrainer.fit`.
    epochs : int, default=50
        In [1, 1,000,000].
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
    return _trainer_for(model).fit(X, y, epochs=epochs, batch_size=batch_size, validation_split=validation_split, seed=seed)
