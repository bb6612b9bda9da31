"""Watching training step by step: how far each layer moves in every step, and what its units do.

Chapters 4 and 5 first measure a network at its start and at its end. :func:`record_training` watches
the steps in between, as Karpathy's lecture on activations and gradients and the CS231n notes do: for
every step and every ``Dense`` kernel, the **update-to-data ratio** ``|W_after - W_before| / |W_before|``
(the actual update, whatever the optimizer; about ``1e-3`` is the usual healthy order of magnitude),
and after every epoch the activation statistics of each hidden layer (mean, sd, spread across the
samples, saturated share). Chapter 4 writes the same loop in a cell and checks it against this one.

>>> from nbsupport.models import build_mlp
>>> X, y = np.random.default_rng(0).normal(size=(64, 2)), np.arange(64) % 2
>>> record = record_training(build_mlp(2, (8, 8), activation="tanh", seed=0), X, y, epochs=2, batch_size=16)
>>> record.update_ratio.shape, record.layers, record.statistics_steps.tolist()
((8, 3), ('dense_1', 'dense_2', 'output'), [0, 4, 8])
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from nbsupport import _keras_adapter, _memory
from nbsupport._tensorflow import import_tensorflow_quietly
from nbsupport._validation import FloatArray, check_choice, check_int, check_model, check_seed
from nbsupport.diagnostics import _common
from nbsupport.diagnostics.layer_outputs import ActivationStatistics, activation_statistics
from nbsupport.training import MAX_EPOCHS, _check_data, _task

__all__ = ["TrainingRecord", "record_training"]

_STATISTICS = ("mean", "sd", "spread", "flat", "dead")
_MAX_PROBE_ROWS = 512  # the statistics are read on at most this many training rows, to keep each reading cheap


@dataclass(frozen=True)
class TrainingRecord:
    """What :func:`record_training` saw.

    Attributes
    ----------
    layers : tuple of str
        The ``Dense`` layers whose kernels are watched, input side first (the output layer last).
    update_ratio : ndarray of shape (steps, layers)
        ``|W_after - W_before| / |W_before|`` of each kernel in each step: the step the optimizer
        actually took, relative to the weights (Frobenius norms).
    gradient_ratio : ndarray of shape (steps, layers)
        ``|dL/dW| / |W_before|`` of each kernel in each step; times the learning rate it is the
        update-to-data ratio plain SGD intends (float32 rounding can make the actual one smaller).
    loss : ndarray of shape (steps,)
        The mini-batch loss at each step, before the update.
    history : dict of str to ndarray
        Per epoch, as :meth:`nbsupport.training.CompiledTrainer.fit` reports it (``loss``, and
        ``accuracy`` for a classifier).
    statistics_steps : ndarray of int
        The step counts at which the activation statistics were read: 0 (before training), then after
        every epoch.
    statistics : tuple of ActivationStatistics
        The readings, one per entry of ``statistics_steps`` (without the outputs themselves).
    """

    layers: tuple[str, ...]
    update_ratio: FloatArray = field(repr=False)
    gradient_ratio: FloatArray = field(repr=False)
    loss: FloatArray = field(repr=False)
    history: dict[str, np.ndarray] = field(repr=False)
    statistics_steps: np.ndarray = field(repr=False)
    statistics: tuple[ActivationStatistics, ...] = field(repr=False)

    def statistic(self, name: str) -> FloatArray:
        """One activation statistic over training: shape (readings, hidden layers).

        Parameters
        ----------
        name : {"mean", "sd", "spread", "flat", "dead"}
            A field of :class:`~nbsupport.diagnostics.ActivationStatistics`.

        Returns
        -------
        ndarray
        """
        name = check_choice(name, "name", _STATISTICS)
        return np.array([getattr(stats, name) for stats in self.statistics])


def _step_function(model: Any, task: str, threshold: float) -> Any:
    """One traced epoch: every mini-batch step, recording the loss, the hits and each kernel's ratios."""
    import keras

    tf = import_tensorflow_quietly()
    loss_fn = keras.losses.get(model.loss)
    optimizer, variables = model.optimizer, model.trainable_variables
    optimizer.build(variables)
    kernels = [layer.kernel for layer in _common.dense_layers(model)]
    kernel_index = {id(v): i for i, v in enumerate(variables)}
    watched = [kernel_index[id(k)] for k in kernels]

    @tf.function(reduce_retracing=True)
    def epoch(x, y, epoch_index, batch_size, seed):
        n = tf.shape(x)[0]
        n_batches = (n + batch_size - 1) // batch_size
        order = tf.random.experimental.stateless_shuffle(tf.range(n), seed=tf.stack([seed, epoch_index]))
        updates, gradients, losses = (tf.TensorArray(tf.float32, size=n_batches) for _ in range(3))
        hit_sum = tf.constant(0.0)
        for b in tf.range(n_batches):
            idx = order[b * batch_size : tf.minimum((b + 1) * batch_size, n)]
            xb, yb = tf.gather(x, idx), tf.gather(y, idx)
            before = [tf.identity(k) for k in kernels]
            with tf.GradientTape() as tape:
                p = model(xb, training=True)
                target = tf.reshape(yb, tf.shape(p)) if task != "multiclass" else yb
                loss = tf.reduce_mean(loss_fn(target, p))
            grads = tape.gradient(loss, variables)
            optimizer.apply_gradients(zip(grads, variables))
            updates = updates.write(b, tf.stack([tf.norm(k - w) / tf.norm(w) for k, w in zip(kernels, before)]))
            gradients = gradients.write(b, tf.stack([tf.norm(grads[i]) / tf.norm(w) for i, w in zip(watched, before)]))
            losses = losses.write(b, loss * tf.cast(tf.shape(idx)[0], tf.float32))
            if task == "binary":
                hit_sum += tf.reduce_sum(tf.cast(tf.equal(tf.cast(p[:, 0] > threshold, tf.float32), yb), tf.float32))
            elif task == "multiclass":
                hit_sum += tf.reduce_sum(tf.cast(tf.equal(tf.cast(tf.argmax(p, axis=-1), tf.float32), yb), tf.float32))
        return updates.stack(), gradients.stack(), losses.stack(), hit_sum

    return epoch


_RECENT_EPOCHS: OrderedDict[int, tuple[Any, ...]] = OrderedDict()  # id: model, optimizer, loss, task, threshold, traced epoch


def _epoch_function_for(model: Any, task: str, threshold: float) -> Any:
    """The traced epoch of the model recorded last, reused when the same model (same optimizer and loss) is recorded
    again, after :func:`~nbsupport.training.reset_model` say; an older model's trace is let go and its memory returned."""
    wanted = (model, model.optimizer, model.loss, task, threshold)
    kept = _RECENT_EPOCHS.pop(id(model), None)
    if kept is None or any(a is not b for a, b in zip(kept[:3], wanted[:3])) or kept[3:5] != wanted[3:]:
        kept = (*wanted, _step_function(model, task, threshold))
    _RECENT_EPOCHS[id(model)] = kept
    if len(_RECENT_EPOCHS) > 1:
        while len(_RECENT_EPOCHS) > 1:
            _RECENT_EPOCHS.popitem(last=False)
        _memory.return_freed_memory()  # the dropped trace's graph (tens of MB for a deep network) is cyclic garbage
    return kept[5]


def record_training(
    model: Any,
    X: Any,
    y: Any,
    *,
    epochs: int,
    batch_size: int = 32,
    seed: int = 0,
    probe: Any = None,
) -> TrainingRecord:
    """Train ``model`` from its current weights, recording every step's update-to-data ratio per layer.

    The training is that of :meth:`nbsupport.training.CompiledTrainer.fit` with ``validation_split=0``:
    every row, reshuffled each epoch with the seed ``(seed, epoch)``, mini-batches of ``batch_size``,
    one step of the model's own optimizer on its own compiled loss per mini-batch. Each step also
    records, for every ``Dense`` kernel, ``|W_after - W_before| / |W_before|`` and
    ``|dL/dW| / |W_before|``. Before the first step and after every epoch the activation statistics of
    the hidden layers are read on ``probe`` (in inference mode).

    Call :func:`~nbsupport.training.reset_model` first for a seeded start: the model is trained from the
    weights (and optimizer state) it has. The traced epoch of the model recorded last is kept, so
    recording the same model again (after a reset) costs no new trace.

    Parameters
    ----------
    model : keras.Model
        Compiled with an optimizer and a single loss; a flat model with one input and one output.
    X, y : array-like
        Training features and targets, as for :meth:`~nbsupport.training.CompiledTrainer.fit`.
    epochs : int
        In [1, 1,000,000].
    batch_size : int, default=32
        Mini-batch size, at least 1.
    seed : int, default=0
        Seed of the shuffles, in [0, 2**31 - 1].
    probe : array-like or None, default=None
        Samples for the activation statistics; None means the first 512 rows of ``X``.

    Returns
    -------
    TrainingRecord

    Raises
    ------
    TypeError, ValueError
        If the model is not compiled or not flat, the data do not fit it, or a number is out of range.

    Examples
    --------
    >>> from nbsupport.models import build_mlp
    >>> X, y = np.random.default_rng(0).normal(size=(64, 2)), np.arange(64) % 2
    >>> record = record_training(build_mlp(2, (8,), activation="sigmoid", seed=0), X, y, epochs=1)
    >>> bool(np.all(record.update_ratio > 0)), record.statistic("flat").shape
    (True, (2, 1))
    """
    tf = import_tensorflow_quietly()
    check_model(model)
    if getattr(model, "optimizer", None) is None or getattr(model, "loss", None) is None:
        raise ValueError("model must be compiled with an optimizer and a loss first: model.compile(optimizer=..., loss=...)")
    if isinstance(model.loss, (list, tuple, dict)):
        raise ValueError(f"model must be compiled with a single loss, got {model.loss!r}")
    X, y = _check_data(model, X, y)
    epochs = check_int(epochs, "epochs", 1, MAX_EPOCHS)
    batch_size = check_int(batch_size, "batch_size", 1)
    seed = check_seed(seed)
    probe = X[:_MAX_PROBE_ROWS] if probe is None else _common.check_x(probe, model, "probe")
    task, threshold = _task(model, y)
    run_epoch = _epoch_function_for(model, task, threshold)

    def read() -> ActivationStatistics:
        return replace(activation_statistics(model, probe), values=())

    statistics, steps_read = [read()], [0]
    updates, gradients, losses, history = [], [], [], {"loss": [], "accuracy": []}
    data = tf.constant(X), tf.constant(y)
    for e in range(epochs):
        with _keras_adapter.releasing_custom_gradients():
            update, gradient, loss, hits = run_epoch(*data, tf.constant(e, tf.int32), tf.constant(batch_size, tf.int32), tf.constant(seed, tf.int32))
        updates.append(update.numpy())
        gradients.append(gradient.numpy())
        batch_losses = loss.numpy()
        sizes = np.minimum(batch_size, X.shape[0] - batch_size * np.arange(len(batch_losses)))
        losses.append(batch_losses / sizes)
        history["loss"].append(float(np.sum(batch_losses, dtype=np.float32)) / X.shape[0])
        history["accuracy"].append(float(hits) / X.shape[0])
        statistics.append(read())
        steps_read.append(steps_read[-1] + len(batch_losses))
    curves = {key: np.array(values) for key, values in history.items() if task != "regression" or key == "loss"}
    return TrainingRecord(
        layers=tuple(layer.name for layer in _common.dense_layers(model)),
        update_ratio=np.concatenate(updates).astype(np.float64),
        gradient_ratio=np.concatenate(gradients).astype(np.float64),
        loss=np.concatenate(losses).astype(np.float64),
        history=curves,
        statistics_steps=np.array(steps_read),
        statistics=tuple(statistics),
    )
