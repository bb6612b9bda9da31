"""Chapter 9's exercises (choosing the output layer and the loss): the answers, hints and what a right answer means.

Every reference retrains the chapter's networks on the chapter's data, both rebuilt here as the notebook
builds them: ReLU hidden layers with He-normal weights, Adam at 0.001, mini-batches of 32, seed 0; the
digits split of section 9.1 (pixels / 16, a stratified quarter for testing) and its diabetes split
(inputs and target standardised with the training rows).
"""

from __future__ import annotations

from functools import lru_cache

from nbsupport.exercises import Exercise, Mistake

#: the chapter's settings (section 9.1)
_EPOCHS_DIGITS, _EPOCHS_DIABETES = 30, 100


# --- helpers: the chapter's data and networks, rebuilt ------------------------------------------


@lru_cache(maxsize=None)
def _digits() -> tuple:
    """Section 9.1's digits: training and test pixels (divided by 16) and labels."""
    import numpy as np
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    X = (digits.data / 16.0).astype(np.float32)
    return tuple(train_test_split(X, digits.target, test_size=0.25, random_state=0, stratify=digits.target))


@lru_cache(maxsize=None)
def _diabetes() -> tuple:
    """Section 9.1's diabetes data: standardised inputs and targets (training rows' scaler, mean and sd)."""
    import numpy as np
    from sklearn.datasets import load_diabetes
    from sklearn.model_selection import train_test_split
    from sklearn.preprocessing import StandardScaler

    data = load_diabetes()
    X_train, X_test, t_train, t_test = train_test_split(data.data, data.target, test_size=0.25, random_state=0)
    scaler = StandardScaler().fit(X_train)
    mean, sd = t_train.mean(), t_train.std()
    return (scaler.transform(X_train).astype(np.float32), scaler.transform(X_test).astype(np.float32),
            (t_train - mean) / sd, (t_test - mean) / sd)


def _two_questions(labels):
    """Section 9.3's targets: per image, [is the digit even, is it greater than 4], as 0/1."""
    import numpy as np

    return np.stack([labels % 2 == 0, labels > 4], axis=1).astype(np.float32)


def _trained_outputs(n_inputs, output_units, output_activation, loss, hidden, X, y, epochs, X_test):
    """The chapter's ``network`` (seed 0), trained like its ``train``, and its outputs on ``X_test``."""
    import numpy as np

    from nbsupport.models import build_mlp
    from nbsupport.training import CompiledTrainer

    model = build_mlp(n_inputs, hidden, activation="relu", initializer="he_normal", output_units=output_units,
                      output_activation=output_activation, loss=loss, seed=0)
    CompiledTrainer(model).fit(X, y, epochs=epochs, batch_size=32, validation_split=0.0, seed=0)
    return np.asarray(model(X_test), dtype=float)


@lru_cache(maxsize=None)
def _two_question_answers(output_activation: str) -> dict:
    """The two-question network with this output (binary cross-entropy, 30 epochs): shares on the test images."""
    import numpy as np

    X_train, X_test, y_train, y_test = _digits()
    answers = _trained_outputs(64, 2, output_activation, "binary_crossentropy", (64, 32), X_train,
                               _two_questions(y_train), _EPOCHS_DIGITS, X_test) > 0.5
    truth = _two_questions(y_test) == 1
    return {
        "both yes": float(np.mean(answers.all(axis=1))),
        "both right": float(np.mean((answers == truth).all(axis=1))),
        "mean per question": float(np.mean(answers == truth)),
        "truly both yes": float(np.mean(truth.all(axis=1))),
        "truly one yes": float(np.mean(truth.sum(axis=1) == 1)),
    }


@lru_cache(maxsize=None)
def _regression_predictions(output_activation: str, shifted: bool) -> tuple:
    """Section 9.2's regression network (16 ReLU units, MSE, 100 epochs) with this output: its test predictions.

    With ``shifted``, trained on the targets minus the smallest training target (exercise 9.3).
    """
    X_train, X_test, y_train, _ = _diabetes()
    shift = y_train.min() if shifted else 0.0
    pred = _trained_outputs(10, 1, output_activation, "mse", (16,), X_train, y_train - shift, _EPOCHS_DIABETES, X_test)
    return tuple(float(v) for v in pred[:, 0])


def _test_mse(output_activation: str, shifted: bool, against_shifted: bool | None = None) -> float:
    """The test MSE of those predictions, against the test targets shifted the same way (or as asked)."""
    import numpy as np

    _, _, y_train, y_test = _diabetes()
    against_shifted = shifted if against_shifted is None else against_shifted
    target = y_test - (y_train.min() if against_shifted else 0.0)
    return float(np.mean((np.asarray(_regression_predictions(output_activation, shifted)) - target) ** 2))


def _share(output_activation: str, shifted: bool, where: str) -> float:
    import numpy as np

    pred = np.asarray(_regression_predictions(output_activation, shifted))
    return float(np.mean(pred == 0 if where == "at 0" else pred < 0))


def _share_of_targets_below_0() -> float:
    import numpy as np

    return float(np.mean(_diabetes()[3] < 0))


# --- the references -----------------------------------------------------------------------------


def _reference_9_1a() -> float:
    return _two_question_answers("softmax")["both yes"]


def _reference_9_1b() -> float:
    return _two_question_answers("softmax")["both right"]


def _reference_9_2a() -> float:
    return _share("leaky_relu", False, "below 0")


def _reference_9_2b() -> float:
    return _test_mse("leaky_relu", False)


def _reference_9_3a() -> float:
    return _share("relu", True, "at 0")


def _reference_9_3b() -> float:
    return _test_mse("relu", True)


_PERCENT = "give a share between 0 and 1, not a percentage."

__all__ = ["EXERCISES"]

EXERCISES = (
    Exercise(
        "9.1a",
        _reference_9_1a,
        meaning=(
            "Two softmax outputs sum to 1, so at most one of them can exceed 0.5: a softmax can never answer "
            "\"yes\" to both questions, whatever it learned."
        ),
        hint=(
            "count the test images on which both outputs of the softmax network exceed 0.5, and divide by the "
            "number of test images."
        ),
        mistakes=(
            Mistake(lambda e: _two_question_answers("sigmoid")["both yes"], "that is the sigmoid network of section 9.3; the exercise asks about the network with a softmax output."),
            Mistake(lambda e: _two_question_answers("softmax")["truly both yes"], "that is the share of test images whose true answers are both yes; the exercise asks what the softmax network answers."),
        ),
        atol=1e-9,
        quick=False,
    ),
    Exercise(
        "9.1b",
        _reference_9_1b,
        meaning=(
            "The softmax network gets both answers right only on images with exactly one \"yes\", and the images "
            "that are both or neither (about 40 % here) it must get wrong: the output layer, not the training, "
            "sets that ceiling."
        ),
        hint=(
            "an image counts only when both of its answers (output > 0.5) equal the truth of two_questions(yd_test); "
            "divide the count by the number of test images."
        ),
        mistakes=(
            Mistake(lambda e: 100 * e, _PERCENT),
            Mistake(lambda e: _two_question_answers("softmax")["mean per question"], "that is the mean of the two questions' accuracies; the exercise asks for the images on which both answers are right at once."),
            Mistake(lambda e: _two_question_answers("softmax")["truly one yes"], "that is the share of test images with exactly one true \"yes\", the softmax's ceiling; measure how many images the network actually gets right."),
            Mistake(lambda e: _two_question_answers("sigmoid")["both right"], "that is the sigmoid network of section 9.3; the exercise asks about the network with a softmax output."),
        ),
        digits=3,
        quick=False,
    ),
    Exercise(
        "9.2a",
        _reference_9_2a,
        meaning=(
            "With a slope below 0 the output reaches negative values again, so the patients below the mean are "
            "no longer pinned at 0."
        ),
        hint="count the test predictions that are below 0 (strictly), and divide by the number of test patients.",
        mistakes=(
            Mistake(lambda e: 100 * e, _PERCENT),
            Mistake(lambda e: _share_of_targets_below_0(), "that is the share of the test targets below 0; the exercise asks about the predictions."),
            Mistake(lambda e: _share("linear", False, "below 0"), "that is the linear output of section 9.1; build the network with \"leaky_relu\" as its output activation."),
            Mistake(0.0, "no prediction below 0 is what a ReLU output gives; build the network with \"leaky_relu\" as its output activation."),
        ),
        atol=0.005,
        quick=False,
    ),
    Exercise(
        "9.2b",
        _reference_9_2b,
        meaning=(
            "A Leaky ReLU output keeps a gradient for every row, so the rows below 0 can still learn, and the test "
            "error falls most of the way from the ReLU output's to the linear output's."
        ),
        hint=(
            "train network(10, 1, \"leaky_relu\", \"mse\", hidden=(16,)) with seed 0 for 100 epochs on the "
            "standardised targets, and score its test predictions against yr_test with mean_squared_error."
        ),
        mistakes=(
            Mistake(lambda e: _test_mse("relu", False), "that is the ReLU output of section 9.2; build the network with \"leaky_relu\" as its output activation."),
            Mistake(lambda e: _test_mse("linear", False), "that is the linear output of section 9.1; build the network with \"leaky_relu\" as its output activation."),
            Mistake(lambda e: e**0.5, "that is the root of the mean squared error; the exercise asks for the MSE itself."),
        ),
        digits=2,
        quick=False,
    ),
    Exercise(
        "9.3a",
        _reference_9_3a,
        meaning=(
            "Once no training target is negative, a ReLU output can reach every target, and hardly any "
            "prediction is stuck at 0: a ReLU output is harmless where the targets never need its flat side."
        ),
        hint="count the test predictions that are exactly 0 and divide by the number of test patients.",
        mistakes=(
            Mistake(lambda e: 100 * e, _PERCENT),
            Mistake(lambda e: _share("relu", False, "at 0"), "that is section 9.2's network, trained on the targets as they were; train on the shifted targets."),
        ),
        atol=0.005,
        quick=False,
    ),
    Exercise(
        "9.3b",
        _reference_9_3b,
        meaning=(
            "On the shifted targets the ReLU output's test error is lower than on the centred ones, as almost every "
            "row now sends back a gradient; moving the targets' mean away from 0 has a cost of its own, for the "
            "linear output too."
        ),
        hint="score the predictions against the test targets shifted by the same amount as the training targets.",
        mistakes=(
            Mistake(lambda e: _test_mse("relu", True, against_shifted=False), "the predictions were scored against the unshifted test targets; subtract the same shift from them."),
            Mistake(lambda e: _test_mse("relu", False), "that is section 9.2's network, trained on the targets as they were; train on the shifted targets."),
            Mistake(lambda e: e**0.5, "that is the root of the mean squared error; the exercise asks for the MSE itself."),
        ),
        digits=2,
        quick=False,
    ),
)
