"""Network builders: a general multilayer perceptron, a recurrent network, and the article's classifier.

Every builder returns a compiled Keras model whose layers have readable names, one layer per idea:
``dense_1`` (the weighted sum, whose output is the pre-activation), ``relu_1`` (the activation),
``batch_norm_1``, ``dropout_1``, ``residual_1`` (the shortcut ``x + F(x)``), ..., then ``output`` and its
activation (``output_sigmoid``). Keeping the activation in a layer of its own, as the article's model
does, makes each layer's pre-activation something you can measure.

Seeds: with ``seed=s`` every random part of the model (each initializer, each dropout layer) gets its
own seed, derived from ``s``, the layer's position and the part (``nbsupport._seeding``). Building with
``seed=s`` and resetting a trained model to ``s`` (``nbsupport.training.reset_model``) both go through
that one rule, so they give the same starting point.

>>> model = build_classifier()
>>> model.count_params(), [layer.name for layer in model.layers][:3]
(12289, ['dense_1', 'relu_1', 'dropout_1'])
"""

from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from nbsupport import _keras_adapter
from nbsupport._seeding import reseeded_copy
from nbsupport._tensorflow import import_tensorflow_quietly
from nbsupport._validation import check_bool, check_choice, check_int, check_scalar, check_seed, check_sequence, check_str

__all__ = ["build_classifier", "build_mlp", "build_moons_net", "build_rnn", "dense_parameter_counts"]

_RECURRENT_CELLS = {"simple_rnn": "SimpleRNN", "lstm": "LSTM", "gru": "GRU"}


# --- argument checks --------------------------------------------------------------------------


def _check_widths(hidden: Any) -> tuple[int, ...]:
    widths = check_sequence(hidden, "hidden", min_len=0, what="layer widths such as (128, 64)")
    return tuple(check_int(width, "each width in hidden", 1) for width in widths)


def _check_keras_name(value: Any, name: str, kind: str, example: str) -> str:
    """A string that Keras's ``keras.<kind>s.get`` knows (an activation, initializer, loss or optimizer)."""
    import keras

    if not isinstance(value, str):
        raise TypeError(f"{name} must be the name of a Keras {kind} such as {example!r}, got {type(value).__name__} {value!r}")
    if kind == "activation" and value == "prelu":
        return value  # a layer with a learned slope, not a function
    try:
        {"activation": keras.activations, "initializer": keras.initializers, "loss": keras.losses,
         "optimizer": keras.optimizers}[kind].get(value)
    except (ValueError, TypeError):
        raise ValueError(f"{name} must be the name of a Keras {kind} such as {example!r}, got {value!r}") from None
    return value


def _check_compile_args(loss: Any, optimizer: Any, learning_rate: Any) -> tuple[str, str, float]:
    loss = _check_keras_name(loss, "loss", "loss", "binary_crossentropy")
    optimizer = _check_keras_name(optimizer, "optimizer", "optimizer", "adam")
    learning_rate = check_scalar(learning_rate, "learning_rate", min_val=0.0, include_boundaries="neither")
    return loss, optimizer, learning_rate


def _compile(model: Any, loss: str, optimizer: str, learning_rate: float) -> Any:
    import keras

    classification = loss in ("binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy")
    model.compile(
        optimizer=keras.optimizers.get({"class_name": optimizer, "config": {"learning_rate": learning_rate}}),
        loss=loss,
        metrics=["accuracy"] if classification else [],
    )
    return model


def _activation_layer(activation: str, name: str, negative_slope: float) -> Any:
    import keras

    if activation == "leaky_relu":
        return keras.layers.LeakyReLU(negative_slope=negative_slope, name=name)
    if activation == "prelu":
        return keras.layers.PReLU(name=name)
    return keras.layers.Activation(activation, name=name)


# --- builders ---------------------------------------------------------------------------------


def _forget_gate_bias_class() -> type:
    """``ForgetGateBias``, defined on first use so that importing this module does not import Keras."""
    global _FORGET_GATE_BIAS
    if _FORGET_GATE_BIAS is None:
        import keras

        @keras.saving.register_keras_serializable(package="nbsupport")
        class ForgetGateBias(keras.initializers.Initializer):
            """An LSTM bias initializer: ``value`` for the forget gate, 0 for the other three gates.

            Where the forget gate sits in the bias is the adapter's to know (``_keras_adapter.LSTM_GATES``).
            Serialisable, so re-seeding and ``reset_model`` keep it.
            """

            def __init__(self, value: float = 1.0) -> None:
                self.value = float(value)

            def __call__(self, shape: Any, dtype: Any = None) -> Any:
                bias = np.zeros(int(shape[0]), dtype="float32")
                bias[_keras_adapter.lstm_gate_slice(int(shape[0]) // 4, "forget")] = self.value
                return keras.ops.convert_to_tensor(bias, dtype=dtype or "float32")

            def get_config(self) -> dict:
                return {"value": self.value}

        _FORGET_GATE_BIAS = ForgetGateBias
    return _FORGET_GATE_BIAS


_FORGET_GATE_BIAS: type | None = None


def _update_gate_bias_class() -> type:
    """``UpdateGateBias``, defined on first use so that importing this module does not import Keras."""
    global _UPDATE_GATE_BIAS
    if _UPDATE_GATE_BIAS is None:
        import keras

        @keras.saving.register_keras_serializable(package="nbsupport")
        class UpdateGateBias(keras.initializers.Initializer):
            """A GRU bias initializer: ``value`` for the update gate, 0 for the reset gate and the candidate.

            Keras's default GRU (``reset_after=True``) has a bias of two rows, one for the input's part and
            one for the state's part, and a gate sees their sum: ``value`` goes in the input row only, so the
            gate's total starting bias is ``value``. Where the update gate sits is the adapter's to know
            (``_keras_adapter.GRU_GATES``). Serialisable, so re-seeding and ``reset_model`` keep it.
            """

            def __init__(self, value: float = 0.0) -> None:
                self.value = float(value)

            def __call__(self, shape: Any, dtype: Any = None) -> Any:
                shape = tuple(int(n) for n in shape)
                bias = np.zeros(shape, dtype="float32")
                update = _keras_adapter.gru_gate_slice(shape[-1] // 3, "update")
                if len(shape) == 2:
                    bias[0, update] = self.value  # the input row; the state's row stays 0
                else:
                    bias[update] = self.value
                return keras.ops.convert_to_tensor(bias, dtype=dtype or "float32")

            def get_config(self) -> dict:
                return {"value": self.value}

        _UPDATE_GATE_BIAS = UpdateGateBias
    return _UPDATE_GATE_BIAS


_UPDATE_GATE_BIAS: type | None = None


def build_mlp(
    n_inputs: int,
    hidden: Sequence[int] = (100,) * 10,
    *,
    activation: str = "relu",
    initializer: str = "glorot_uniform",
    batch_norm: str | None = None,
    residual: bool = False,
    dropout: float = 0.0,
    negative_slope: float = 0.01,
    output_units: int = 1,
    output_activation: str = "sigmoid",
    loss: str = "binary_crossentropy",
    optimizer: str = "adam",
    learning_rate: float = 1e-3,
    seed: int | None = None,
    name: str = "mlp",
) -> Any:
    """A compiled multilayer perceptron with a chosen depth, width, activation, initializer and remedies.

    Each hidden layer ``i`` is ``dense_i`` (weighted sum, no activation) then the activation layer
    (``relu_i``, ``sigmoid_i``, ...), with batch normalization before or after it when asked, and
    dropout last. With ``residual=True`` every hidden layer after the first adds its input to its
    output (``residual_i``: ``h + F(h)``), so all hidden widths must be equal.

    Parameters
    ----------
    n_inputs : int
        Number of input features, >= 1.
    hidden : sequence of int, default=(100,) * 10
        Widths of the hidden layers (each >= 1); may be empty (logistic or linear regression).
    activation : str, default="relu"
        A Keras activation name for the hidden layers (``"relu"``, ``"sigmoid"``, ``"tanh"``, ``"selu"``,
        ``"linear"`` for none, ...); ``"leaky_relu"`` uses ``negative_slope``, ``"prelu"`` a learned slope.
    initializer : str, default="glorot_uniform"
        A Keras initializer name for every kernel (``"glorot_uniform"``, ``"he_normal"``, ``"lecun_normal"``, ...).
    batch_norm : {None, "before", "after"}, default=None
        Batch normalization before or after each hidden activation, or none.
    residual : bool, default=False
        Shortcut connections ``h + F(h)`` around every hidden layer after the first.
    dropout : float, default=0.0
        Rate of a Dropout layer after each hidden layer, in [0, 1); 0 leaves them out.
    negative_slope : float, default=0.01
        Leaky ReLU's slope for ``x < 0`` (Keras's own default, 0.2 or 0.3, is set explicitly away), >= 0.
    output_units : int, default=1
        Width of the output layer, >= 1.
    output_activation : str, default="sigmoid"
        A Keras activation name for the output (``"sigmoid"``, ``"softmax"``, ``"linear"``).
    loss : str, default="binary_crossentropy"
        A Keras loss name; the model reports accuracy for the three cross-entropies.
    optimizer : str, default="adam"
        A Keras optimizer name (``"adam"``, ``"sgd"``, ``"rmsprop"``, ...).
    learning_rate : float, default=1e-3
        The optimizer's step size, a finite number > 0.
    seed : int or None, default=None
        Seeds every initializer and dropout layer (one seed each, derived from this one); None leaves Keras's global seed.
    name : str, default="mlp"
        The model's name.

    Returns
    -------
    keras.Model
        Compiled; a ``keras.Sequential`` unless ``residual=True``.

    Raises
    ------
    TypeError
        If an argument has the wrong type (a name that is not a str, ``activation=None``, ...).
    ValueError
        If a value is not allowed (an unknown Keras name, a width < 1, unequal widths with ``residual``, ...).

    Examples
    --------
    >>> model = build_mlp(2, (16, 16), activation="tanh", batch_norm="before", seed=0)
    >>> [layer.name for layer in model.layers]
    ['dense_1', 'batch_norm_1', 'tanh_1', 'dense_2', 'batch_norm_2', 'tanh_2', 'output', 'output_sigmoid']
    """
    import_tensorflow_quietly()
    import keras

    n_inputs = check_int(n_inputs, "n_inputs", 1)
    widths = _check_widths(hidden)
    activation = _check_keras_name(activation, "activation", "activation", "relu")
    initializer = _check_keras_name(initializer, "initializer", "initializer", "glorot_uniform")
    batch_norm = None if batch_norm is None else check_choice(batch_norm, "batch_norm", ("before", "after"))
    residual = check_bool(residual, "residual")
    dropout = check_scalar(dropout, "dropout", min_val=0.0, max_val=1.0, include_boundaries="left")
    negative_slope = check_scalar(negative_slope, "negative_slope", min_val=0.0)
    output_units = check_int(output_units, "output_units", 1)
    output_activation = _check_keras_name(output_activation, "output_activation", "activation", "sigmoid")
    loss, optimizer, learning_rate = _check_compile_args(loss, optimizer, learning_rate)
    seed = None if seed is None else check_seed(seed)
    name = check_str(name, "name")
    if residual and len(set(widths)) > 1:
        raise ValueError(f"residual=True adds each hidden layer's input to its output, so all widths must be equal; got hidden={widths}")

    def hidden_layer(i: int, width: int) -> list:
        """Dense, then the activation, with batch normalization before or after it."""
        layers = [keras.layers.Dense(width, kernel_initializer=initializer, name=f"dense_{i}")]
        norm = [keras.layers.BatchNormalization(name=f"batch_norm_{i}")] if batch_norm else []
        act = [_activation_layer(activation, f"{activation}_{i}", negative_slope)]
        return layers + (norm + act if batch_norm == "before" else act + norm)

    def dropout_layer(i: int) -> list:
        return [keras.layers.Dropout(dropout, name=f"dropout_{i}")] if dropout > 0 else []

    output = [
        keras.layers.Dense(output_units, kernel_initializer=initializer, name="output"),
        keras.layers.Activation(output_activation, name=f"output_{output_activation}"),
    ]
    inputs = keras.Input(shape=(n_inputs,), name="features")
    if not residual:
        layers = [inputs]
        for i, width in enumerate(widths, start=1):
            layers += hidden_layer(i, width) + dropout_layer(i)
        model = keras.Sequential(layers + output, name=name)
    else:
        h = inputs
        for i, width in enumerate(widths, start=1):
            block_input = h
            for layer in hidden_layer(i, width):
                h = layer(h)
            if i > 1:
                h = keras.layers.Add(name=f"residual_{i}")([block_input, h])
            for layer in dropout_layer(i):
                h = layer(h)
        for layer in output:
            h = layer(h)
        model = keras.Model(inputs, h, name=name)
    if seed is not None:
        model = reseeded_copy(model, seed)
    return _compile(model, loss, optimizer, learning_rate)


def build_moons_net(
    depth: int = 10,
    *,
    width: int = 64,
    activation: str = "sigmoid",
    initializer: str = "glorot_uniform",
    optimizer: str = "sgd",
    learning_rate: float = 0.1,
    seed: int | None = None,
    **options: Any,
) -> Any:
    """The deep network of chapters 4 to 7 for the two moons (``nbsupport.data.load_moons``).

    2 inputs, ``depth`` hidden layers of ``width`` units, a sigmoid output, binary cross-entropy: by
    default sigmoid units with Glorot's weights trained by plain SGD with step 0.1, the setting in which
    chapter 4 shows the gradient vanish. :func:`build_mlp` with these defaults; every other option
    (``batch_norm``, ``residual``, ``dropout``, ``negative_slope``, ...) is passed on to it.

    Parameters
    ----------
    depth : int, default=10
        Number of hidden layers, >= 1.
    width : int, default=64
        Units per hidden layer, >= 1.
    activation, initializer, optimizer : str
        As for :func:`build_mlp`.
    learning_rate : float, default=0.1
        The optimizer's step size, a finite number > 0.
    seed : int or None, default=None
        As for :func:`build_mlp`.
    **options
        Any other keyword of :func:`build_mlp` except ``n_inputs`` and ``hidden``.

    Returns
    -------
    keras.Sequential or keras.Model
        Compiled.

    Raises
    ------
    TypeError, ValueError
        As :func:`build_mlp`, and for a ``depth`` or ``width`` that is not an int >= 1.

    Examples
    --------
    >>> model = build_moons_net(3, seed=0)
    >>> [layer.name for layer in model.layers][:2], model.input_shape, type(model.optimizer).__name__
    (['dense_1', 'sigmoid_1'], (None, 2), 'SGD')
    """
    depth = check_int(depth, "depth", 1, 1000)
    width = check_int(width, "width", 1, 100_000)
    for fixed in ("n_inputs", "hidden"):
        if fixed in options:
            raise TypeError(f"build_moons_net sets {fixed} itself (2 inputs, depth x width); got {fixed}={options[fixed]!r}")
    return build_mlp(2, (width,) * depth, activation=activation, initializer=initializer, optimizer=optimizer,
                     learning_rate=learning_rate, seed=seed, **options)


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
) -> Any:
    """The article's breast-cancer network, in Keras 3 style: :func:`build_mlp` with the article's settings.

    30 -> 128 -> 64 -> 1: He-normal weights, ReLU, dropout 0.5 after each hidden layer, a sigmoid
    output, Adam with learning rate 0.001 and binary cross-entropy, accuracy reported.

    Parameters
    ----------
    n_features : int, default=30
        Number of input features, >= 1.
    hidden : sequence of int, default=(128, 64)
        Widths of the hidden layers, each >= 1.
    dropout : float, default=0.5
        Rate of the Dropout layer after each hidden layer, in [0, 1); 0 leaves them out.
    initializer : str, default="he_normal"
        A Keras initializer name for every kernel (the output's too, as in the article).
    activation : str, default="relu"
        A Keras activation name for the hidden layers.
    learning_rate : float, default=1e-3
        Adam's step size, a finite number > 0.
    seed : int or None, default=None
        Seeds the initializers and dropout masks; None leaves Keras's global seed.
    name : str, default="breast_cancer_mlp"
        The model's name.

    Returns
    -------
    keras.Sequential
        Compiled.

    Raises
    ------
    TypeError, ValueError
        As :func:`build_mlp`.

    Examples
    --------
    >>> model = build_classifier(hidden=(8,), dropout=0.0)
    >>> model.count_params() == sum(dense_parameter_counts(30, (8,)))
    True
    """
    return build_mlp(
        n_features,
        hidden,
        activation=activation,
        initializer=initializer,
        dropout=dropout,
        output_units=1,
        output_activation="sigmoid",
        loss="binary_crossentropy",
        optimizer="adam",
        learning_rate=learning_rate,
        seed=seed,
        name=name,
    )


def build_rnn(
    n_steps: int,
    n_features: int = 1,
    *,
    cell: str = "simple_rnn",
    units: int = 32,
    output_units: int = 1,
    output_activation: str = "sigmoid",
    loss: str = "binary_crossentropy",
    optimizer: str = "adam",
    learning_rate: float = 1e-3,
    forget_bias: float | None = None,
    update_bias: float | None = None,
    seed: int | None = None,
    name: str = "rnn",
) -> Any:
    """A compiled recurrent network: one recurrent layer reads the sequence, a Dense layer reads its last state.

    Layers: ``simple_rnn`` / ``lstm`` / ``gru`` (Keras's defaults: tanh, Glorot-uniform input weights,
    orthogonal recurrent weights, LSTM forget-gate bias 1, every other bias 0), then ``output`` and its
    activation. ``forget_bias`` (LSTM) and ``update_bias`` (GRU) change where the gate that keeps the
    state starts: at ``sigmoid(bias)``, the share of the old state kept per step at the start.

    Parameters
    ----------
    n_steps : int
        Length of each input sequence, >= 1.
    n_features : int, default=1
        Values per time step, >= 1.
    cell : {"simple_rnn", "lstm", "gru"}, default="simple_rnn"
        The recurrent layer.
    units : int, default=32
        Size of its state, >= 1.
    output_units : int, default=1
        Width of the output layer, >= 1.
    output_activation : str, default="sigmoid"
        A Keras activation name for the output.
    loss : str, default="binary_crossentropy"
        A Keras loss name.
    optimizer : str, default="adam"
        A Keras optimizer name.
    learning_rate : float, default=1e-3
        A finite number > 0.
    forget_bias : float or None, default=None
        LSTM only: the starting bias of the forget gate (Keras's default is 1; the other gates' biases start at 0).
        A larger bias makes the gate start close to 1, keeping the state, and the gradient, for longer.
    update_bias : float or None, default=None
        GRU only: the starting bias of the update gate ``z`` (Keras's default is 0, so ``z`` starts near 0.5;
        the reset gate's and the candidate's biases stay 0). In Keras's GRU ``h_t = z * h_{t-1} + (1 - z) * h~_t``,
        so a larger bias makes ``z`` start close to 1, keeping the state, as the LSTM's forget gate does.
    seed : int or None, default=None
        Seeds every initializer (one seed each, derived from this one); None leaves Keras's global seed.
    name : str, default="rnn"
        The model's name.

    Returns
    -------
    keras.Sequential
        Compiled; its input has shape ``(batch, n_steps, n_features)``.

    Raises
    ------
    TypeError, ValueError
        For an argument of the wrong type or value.

    Examples
    --------
    >>> model = build_rnn(20, cell="lstm", units=8, seed=0)
    >>> [layer.name for layer in model.layers], model.input_shape
    (['lstm', 'output', 'output_sigmoid'], (None, 20, 1))
    >>> build_rnn(20, cell="lstm", units=2, forget_bias=5.0).get_layer("lstm").get_weights()[2].tolist()
    [0.0, 0.0, 5.0, 5.0, 0.0, 0.0, 0.0, 0.0]
    >>> build_rnn(20, cell="gru", units=2, update_bias=3.0).get_layer("gru").get_weights()[2].tolist()
    [[3.0, 3.0, 0.0, 0.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]
    """
    import_tensorflow_quietly()
    import keras

    n_steps = check_int(n_steps, "n_steps", 1)
    n_features = check_int(n_features, "n_features", 1)
    cell = check_choice(cell, "cell", tuple(_RECURRENT_CELLS))
    units = check_int(units, "units", 1)
    output_units = check_int(output_units, "output_units", 1)
    output_activation = _check_keras_name(output_activation, "output_activation", "activation", "sigmoid")
    loss, optimizer, learning_rate = _check_compile_args(loss, optimizer, learning_rate)
    if forget_bias is not None:
        forget_bias = check_scalar(forget_bias, "forget_bias")
        if cell != "lstm":
            raise ValueError(
                f"forget_bias applies to cell='lstm' only (SimpleRNN and GRU have no forget gate; the GRU's update gate "
                f"is update_bias), got cell={cell!r}"
            )
    if update_bias is not None:
        update_bias = check_scalar(update_bias, "update_bias")
        if cell != "gru":
            raise ValueError(
                f"update_bias applies to cell='gru' only (SimpleRNN has no gate; the LSTM's forget gate is forget_bias), got cell={cell!r}"
            )
    seed = None if seed is None else check_seed(seed)
    name = check_str(name, "name")

    recurrent = getattr(keras.layers, _RECURRENT_CELLS[cell])
    options: dict[str, Any] = {}
    if forget_bias is not None:
        options = {"unit_forget_bias": False, "bias_initializer": _forget_gate_bias_class()(forget_bias)}
    if update_bias is not None:
        options = {"bias_initializer": _update_gate_bias_class()(update_bias)}
    model = keras.Sequential(
        [
            keras.Input(shape=(n_steps, n_features), name="sequence"),
            recurrent(units, name=cell, **options),
            keras.layers.Dense(output_units, name="output"),
            keras.layers.Activation(output_activation, name=f"output_{output_activation}"),
        ],
        name=name,
    )
    if seed is not None:
        model = reseeded_copy(model, seed)
    return _compile(model, loss, optimizer, learning_rate)


def dense_parameter_counts(n_features: int = 30, hidden: Sequence[int] = (128, 64), n_outputs: int = 1) -> list[int]:
    """Parameters of each Dense layer of an MLP: ``n_in * n_out`` weights plus ``n_out`` biases.

    Activation and dropout layers have no parameters, so the sum is the model's total.

    Parameters
    ----------
    n_features : int, default=30
        Number of inputs, >= 1.
    hidden : sequence of int, default=(128, 64)
        Widths of the hidden layers, each >= 1 (may be empty).
    n_outputs : int, default=1
        Width of the output layer, >= 1.

    Returns
    -------
    list of int
        One count per Dense layer, input side first.

    Examples
    --------
    >>> dense_parameter_counts(30, (128, 64), 1)
    [3968, 8256, 65]
    """
    widths = [check_int(n_features, "n_features", 1), *_check_widths(hidden), check_int(n_outputs, "n_outputs", 1)]
    return [n_in * n_out + n_out for n_in, n_out in zip(widths[:-1], widths[1:])]
