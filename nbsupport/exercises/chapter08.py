"""Chapter 8's exercises (LSTM and GRU): the answers, hints and what a right answer means.

Both references rerun the chapter's own experiments: the gradient through time at initialisation on the
probe sequences of section 8.3, and the training loop of section 8.4 (fresh blocks of sequences, the test
accuracy every 50 steps, stop at 0.9), written out here again so that nothing comes from the notebook.
"""

from __future__ import annotations

from functools import lru_cache

from nbsupport.exercises import Exercise, Mistake

#: the chapter's settings (sections 8.1, 8.3 and 8.4)
_UNITS = 16
_T_PROBE, _N_PROBE, _PROBE_SEED = 100, 128, 7
_BATCH, _EVAL_EVERY, _BUDGET, _TARGET, _LEARNING_RATE = 100, 50, 500, 0.9, 0.005


# --- helpers: the chapter's experiments, rerun --------------------------------------------------


@lru_cache(maxsize=None)
def _gradient_through_time(cell: str, bias: float | None) -> tuple[float, ...]:
    """|dL/dx_t| at initialisation (seed 0) on section 8.3's 128 probe sequences of length 100."""
    from nbsupport.data import make_sign_sequences
    from nbsupport.diagnostics import timestep_gradient_norms
    from nbsupport.models import build_rnn

    X, y = make_sign_sequences(_N_PROBE, _T_PROBE, seed=_PROBE_SEED)
    start = {} if bias is None else {{"lstm": "forget_bias", "gru": "update_bias"}[cell]: bias}
    model = build_rnn(_T_PROBE, cell=cell, units=_UNITS, seed=0, **start)
    return tuple(float(v) for v in timestep_gradient_norms(model, X, y))


def _first_over_last(cell: str, bias: float | None) -> float:
    g = _gradient_through_time(cell, bias)
    return g[0] / g[-1]


def _per_step_factor(cell: str, bias: float | None) -> float:
    """Section 8.3's per-step factor: a straight-line fit of log |dL/dx_t| over the first half of the steps."""
    import numpy as np

    g = np.asarray(_gradient_through_time(cell, bias))
    half = len(g) // 2
    return float(np.exp(-np.polyfit(np.arange(half), np.log(g[:half]), 1)[0]))


def _bias_alone(bias: float, steps: int) -> float:
    """Section 8.3's reading from the bias alone: the share sigma(b) kept per step, over ``steps`` steps."""
    import math

    return (1.0 / (1.0 + math.exp(-bias))) ** steps


@lru_cache(maxsize=None)
def _steps_to_learn(cell: str, T: int, seed: int, bias: float | None) -> int | None:
    """Section 8.4's run: Adam steps until the test accuracy first reaches 0.9 (None: not within 500 steps)."""
    import numpy as np

    from nbsupport._tensorflow import import_tensorflow_quietly
    from nbsupport.data import make_sign_sequences
    from nbsupport.models import build_rnn
    from nbsupport.training import fit_compiled, reset_model

    tf = import_tensorflow_quietly()
    start = {} if bias is None else {{"lstm": "forget_bias", "gru": "update_bias"}[cell]: bias}
    model = build_rnn(T, cell=cell, units=_UNITS, learning_rate=_LEARNING_RATE, **start)
    predict = tf.function(lambda x: model(x, training=False))
    reset_model(model, seed)
    X_test, y_test = make_sign_sequences(1000, T, seed=1000 + T)
    for block in range(_BUDGET // _EVAL_EVERY):
        X, y = make_sign_sequences(_BATCH * _EVAL_EVERY, T, seed=10_000_000 + 100_000 * seed + block)
        fit_compiled(model, X.astype(np.float32), y.astype(np.float32), epochs=1, batch_size=_BATCH, validation_split=0.0, seed=block)
        accuracy = float(np.mean((predict(X_test.astype(np.float32)).numpy()[:, 0] > 0.5) == y_test))
        if accuracy >= _TARGET:
            return _EVAL_EVERY * (block + 1)
    return None


# --- the references -----------------------------------------------------------------------------


def _reference_8_1() -> float:
    return _first_over_last("gru", 3.0)


def _reference_8_2() -> int:
    steps = _steps_to_learn("lstm", 20, 0, 5.0)
    if steps is None:
        raise RuntimeError("the LSTM with forget bias 5 did not reach 0.9 at T = 20 within 500 steps: the exercise needs a new setting")
    return steps


__all__ = ["EXERCISES"]

EXERCISES = (
    Exercise(
        "8.1",
        _reference_8_1,
        meaning=(
            "The GRU started with update bias 3 keeps about 5 % of the last step's gradient at the first of 100 "
            "steps, several times what the bias alone predicts: the gate is only part of the path back in time, "
            "and only a measurement tells how much gradient reaches the start."
        ),
        hint=(
            "build the GRU of section 8.3 (T = 100, 16 units, seed 0) with update_bias=3.0, measure "
            "timestep_gradient_norms on X_probe, y_probe before any training, and divide the first step's "
            "gradient by the last step's."
        ),
        mistakes=(
            Mistake(lambda e: _bias_alone(3.0, 99), "that is the bias-alone reading of section 8.3, your prediction; the exercise asks for the ratio measured on the network itself."),
            Mistake(lambda e: _bias_alone(3.0, 100), "that is sigma(3) to the power 100, the bias alone; the exercise asks for the ratio measured on the network itself."),
            Mistake(lambda e: 1 / e, "that is the last step over the first; the ratio asked is the first step's gradient over the last step's."),
            Mistake(lambda e: _per_step_factor("gru", 3.0), "that is the per-step factor of section 8.3; the exercise asks for the whole ratio, first step over last step."),
            Mistake(lambda e: _first_over_last("gru", None), "that is the GRU with Keras's default update bias 0: pass update_bias=3.0 when you build it."),
        ),
        digits=1,
        quick=False,
    ),
    Exercise(
        "8.2",
        _reference_8_2,
        meaning=(
            "Started with its forget gate open, the LSTM learns T = 20 on seed 0 well within the budget, where "
            "Keras's default start did not in 500 steps: at this length the gate's starting bias, not the cell, "
            "was what made the default LSTM slow."
        ),
        hint=(
            "train exactly as section 8.4 does (the same fresh blocks, learning rate 0.005, seed 0, T = 20) with "
            "forget_bias=5.0, and count Adam steps up to the first test accuracy of at least 0.9."
        ),
        mistakes=(
            Mistake(lambda e: e / _EVAL_EVERY, "that counts blocks; each block is 50 Adam steps, and the answer is in steps."),
            Mistake(lambda e: e * _BATCH, "that counts sequences; the answer is in Adam steps, one per mini-batch of 100 sequences."),
            Mistake(lambda e: e - _EVAL_EVERY, "the run stops at the first measurement that reaches 0.9, and the steps include that block's 50."),
            Mistake(_BUDGET, "500 is the whole budget: a run stops as soon as it reaches 0.9. Did the forget bias reach the layer (forget_bias=5.0)?"),
        ),
        rtol=0.0,
        quick=False,
    ),
)
