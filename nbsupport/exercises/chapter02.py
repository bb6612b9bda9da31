"""Chapter 2's exercises (the breast-cancer classifier): the answers, hints and what a right answer means.

2.1 counts the weight updates of a training run with other batches and epochs; 2.2 moves the decision
threshold until the network finds (nearly) every cancer; 2.3 corrupts 30 % of the training rows and
measures what robust scaling still protects; 2.4 fits the logistic-regression baseline with a strong
penalty. 2.2 and 2.3 are computed from the notebook's values (its test probabilities, the rows the
learner corrupted); 2.1 and 2.4 from the article's split alone.
"""

from __future__ import annotations

from functools import lru_cache

from nbsupport.exercises import Exercise, Mistake

# --- 2.1: weight updates with batches of 50 for 5 epochs ------------------------------------------

_ROWS = 455  # training rows of the article's split (80 % of 569)
_VALIDATION_SPLIT = 0.2
_EPOCHS_2_1 = 5
_BATCH_2_1 = 50


def _updates(rows: int, batch_size: int, epochs: int, *, partial_batch: bool = True) -> int:
    """Updates of ``fit(..., validation_split=0.2)``: Keras trains on the first floor(80 %) rows."""
    import math

    fit_rows = math.floor(rows * (1 - _VALIDATION_SPLIT))
    per_epoch = math.ceil(fit_rows / batch_size) if partial_batch else fit_rows // batch_size
    return epochs * per_epoch


def _reference_2_1() -> int:
    return _updates(_ROWS, _BATCH_2_1, _EPOCHS_2_1)


# --- 2.2: the threshold for a recall of 0.98 ------------------------------------------------------

_TARGET_RECALL = 0.98


def _check_probabilities(y_test, p_test) -> str | None:
    import numpy as np

    y, p = np.asarray(y_test), np.asarray(p_test)
    if y.ndim != 1 or p.shape != y.shape:
        return f"y_test and p_test must be two 1-D arrays of the same length, got shapes {y.shape} and {p.shape}"
    if not np.isin(y, (0, 1)).all() or y.sum() == 0:
        return "y_test must hold the test labels, 0 (benign) and 1 (malignant)"
    if not (np.isfinite(p).all() and (p >= 0).all() and (p <= 1).all()):
        return "p_test must hold the network's test probabilities, numbers in [0, 1]"
    return None


def _validate_2_2(y_test, p_test) -> str | None:
    return _check_probabilities(y_test, p_test)


def _threshold_counts(y_test, p_test, recall: float) -> tuple[int, int, int, int]:
    """(tp, fp, fn, tn) at the highest threshold whose recall (malignant = 1) reaches ``recall``.

    Sorting the cancers' probabilities from the top, the threshold must let through the first
    ceil(recall * n_cancers) of them; every tumour scoring at least the last of those is flagged.
    """
    import math

    import numpy as np

    y, p = np.asarray(y_test).astype(int), np.asarray(p_test, dtype=float)
    cancers = np.sort(p[y == 1])[::-1]
    needed = math.ceil(recall * len(cancers) - 1e-12)
    lowest = cancers[max(needed, 1) - 1]
    flagged = p >= lowest
    tp, fp = int(np.sum(flagged & (y == 1))), int(np.sum(flagged & (y == 0)))
    return tp, fp, int(np.sum(y == 1)) - tp, int(np.sum(y == 0)) - fp


def _precision_at(y_test, p_test, recall: float) -> float:
    tp, fp, _, _ = _threshold_counts(y_test, p_test, recall)
    return tp / (tp + fp)


def _reference_2_2(y_test, p_test) -> float:
    """Precision at the highest threshold with recall >= 0.98, from scikit-learn's precision-recall curve."""
    import numpy as np
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(np.asarray(y_test), np.asarray(p_test, dtype=float))
    reaching = recall[:-1] >= _TARGET_RECALL
    return float(precision[:-1][reaching][np.argmax(thresholds[reaching])])


def _precision_at_half(y_test, p_test) -> float:
    from nbsupport.evaluation import binary_scores

    return binary_scores(y_test, p_test)["precision"]


def _one_cancer_short(y_test, p_test) -> float:
    import math

    import numpy as np

    n = int(np.sum(np.asarray(y_test) == 1))
    needed = math.ceil(_TARGET_RECALL * n - 1e-12)
    return _precision_at(y_test, p_test, (needed - 1) / n)


def _recall_there(y_test, p_test) -> float:
    tp, _, fn, _ = _threshold_counts(y_test, p_test, _TARGET_RECALL)
    return tp / (tp + fn)


# --- 2.3: robust scaling with 30 % of the training rows corrupted ---------------------------------

_SHARE_2_3 = 0.3
_FACTOR = 100.0  # the unit mix-up of section 2.6


@lru_cache(maxsize=1)
def _raw_training_rows():
    from nbsupport.data import load_breast_cancer_split

    X = load_breast_cancer_split(scaling="none").X_train
    X.setflags(write=False)
    return X


def _rows_tuple(corrupted_rows) -> tuple[int, ...]:
    import numpy as np

    return tuple(int(i) for i in np.asarray(corrupted_rows).ravel())


def _validate_2_3(corrupted_rows) -> str | None:
    import numpy as np

    if corrupted_rows is None:
        return "set corrupted_rows to the indices of the training rows you multiplied by 100"
    rows = np.asarray(corrupted_rows)
    if rows.ndim != 1 or rows.size == 0 or rows.dtype.kind not in "iu":
        return "corrupted_rows must be a 1-D array of row indices (integers), as rng.choice returns"
    if rows.min() < 0 or rows.max() >= _ROWS or len(np.unique(rows)) != rows.size:
        return f"corrupted_rows must be distinct row indices of the {_ROWS} training rows, from 0 to {_ROWS - 1}"
    share = rows.size / _ROWS
    if abs(share - _SHARE_2_3) > 0.01:
        return f"the exercise corrupts 30 % of the {_ROWS} training rows; corrupted_rows holds {rows.size} ({share:.1%})"
    return None


@lru_cache(maxsize=16)
def _typical_iqr_after(rows: tuple[int, ...], scaler: str) -> float:
    """Median over the features of the IQR of the uncorrupted rows, after fitting ``scaler`` on the corrupted data."""
    import numpy as np
    from sklearn.preprocessing import RobustScaler, StandardScaler

    X = _raw_training_rows().copy()
    X[list(rows)] *= _FACTOR
    fitted = {"robust": RobustScaler(), "robust_z": RobustScaler(unit_variance=True), "standard": StandardScaler()}[scaler]
    scaled = fitted.fit_transform(X)
    keep = np.setdiff1d(np.arange(len(X)), rows)
    q75, q25 = np.percentile(scaled[keep], [75, 25], axis=0)
    return float(np.median(q75 - q25))


def _reference_2_3(corrupted_rows) -> float:
    return _typical_iqr_after(_rows_tuple(corrupted_rows), "robust")


def _section_rows() -> tuple[int, ...]:
    """The 5 % of section 2.6: ``default_rng(0).choice(455, size=23, replace=False)``."""
    import numpy as np

    return _rows_tuple(np.random.default_rng(0).choice(_ROWS, size=round(0.05 * _ROWS), replace=False))


# --- 2.4: logistic regression with a 1,000 times stronger penalty ----------------------------------

_C_2_4 = 0.001


@lru_cache(maxsize=4)
def _logreg_scores(C: float) -> tuple[float, float]:
    from sklearn.linear_model import LogisticRegression

    from nbsupport.data import load_breast_cancer_split

    split = load_breast_cancer_split()
    fitted = LogisticRegression(C=C, max_iter=5000).fit(split.X_train, split.y_train)
    return float(fitted.score(split.X_train, split.y_train)), float(fitted.score(split.X_test, split.y_test))


def _scores_at(C: float):
    import numpy as np

    return np.array(_logreg_scores(C))


def _reference_2_4():
    return _scores_at(_C_2_4)


__all__ = ["EXERCISES"]

EXERCISES = (
    Exercise(
        "2.1",
        _reference_2_1,
        meaning=(
            "fit trains on the 364 rows left after the validation split, in batches of 50 with a last, partial "
            "batch of 14: 8 updates an epoch; the optimizer counts updates, not rows or epochs."
        ),
        hint="count what one epoch does: which rows fit trains on once validation_split has taken its share, and how many batches of 50 they make.",
        mistakes=(
            Mistake(lambda expected, **_: _updates(_ROWS, _BATCH_2_1, 1),
                    "that is one epoch's updates; the optimizer keeps counting over all 5 epochs."),
            Mistake(_EPOCHS_2_1, "that is the number of epochs; every epoch makes several updates, one per mini-batch."),
            Mistake(lambda expected, **_: _updates(_ROWS, _BATCH_2_1, _EPOCHS_2_1, partial_batch=False),
                    "the last mini-batch of an epoch is smaller than 50, but it is still a batch and still an update."),
            Mistake(lambda expected, **_: _EPOCHS_2_1 * _ROWS * (1 - _VALIDATION_SPLIT) / _BATCH_2_1,
                    "an update uses a whole mini-batch, so the number of batches per epoch is a whole number: round up."),
            Mistake(lambda expected, **_: _EPOCHS_2_1 * -(-_ROWS // _BATCH_2_1),
                    "validation_split=0.2 holds 91 of the 455 rows out of training: fit never updates on them."),
        ),
        rtol=0.0,
    ),
    Exercise(
        "2.2",
        _reference_2_2,
        meaning=(
            "A lower threshold can only raise recall, and it pays in precision as soon as a benign tumour scores "
            "above it: where to put the threshold is a decision about what a missed cancer and a false alarm cost, "
            "not a property of the network."
        ),
        hint=(
            "sort the cancers' probabilities from the highest: the threshold has to let through as many of them as a "
            "recall of 0.98 needs, and then count every tumour, benign or not, that scores above it."
        ),
        mistakes=(
            Mistake(lambda expected, **g: _precision_at_half(**g),
                    "that is the precision at the threshold 0.5, where the network starts; lower the threshold first."),
            Mistake(lambda expected, **g: _one_cancer_short(**g),
                    "at that threshold one cancer is still missed: with 43 cancers, 42 found is a recall of 0.977, short of 0.98."),
            Mistake(lambda expected, **g: _recall_there(**g),
                    "that is the recall at the new threshold; the question is what it costs in precision there."),
            Mistake(lambda expected, **g: 1 - expected,
                    "that is the share of false alarms among the tumours flagged; precision is the share of flagged tumours that are cancers."),
        ),
        given=("y_test", "p_test"),
        digits=3,
        validate=_validate_2_2,
        quick=False,
    ),
    Exercise(
        "2.3",
        _reference_2_3,
        meaning=(
            "With 30 % of the rows corrupted, a feature's 75th percentile lies among the inflated values, so the IQR "
            "grows with the outliers as the standard deviation did and the ordinary rows are squeezed about as much "
            "as by standard scaling: the quartiles resist outliers only while they are fewer than a quarter of the rows."
        ),
        hint=(
            "corrupt the rows as section 2.6 does (a copy of raw_split.X_train, the chosen rows times 100), fit "
            "RobustScaler on all 455 rows, then measure typical_iqr on the rows you did not corrupt."
        ),
        mistakes=(
            Mistake(1.0, "RobustScaler makes every feature's IQR exactly 1 over the rows it was fitted on, corrupted ones "
                         "included; measure only the rows you did not corrupt."),
            Mistake(lambda expected, corrupted_rows: _typical_iqr_after(_section_rows(), "robust"),
                    "that is the 5 % corruption of section 2.6 (bad_rows); this exercise corrupts 30 % of the rows."),
            Mistake(lambda expected, corrupted_rows: _typical_iqr_after(_rows_tuple(corrupted_rows), "standard"),
                    "that is what StandardScaler does to these rows; the question is about RobustScaler."),
            Mistake(lambda expected, corrupted_rows: _typical_iqr_after(_rows_tuple(corrupted_rows), "robust_z"),
                    "that is the robust Z-score (IQR / 1.349); use RobustScaler's default, which divides by the IQR itself."),
        ),
        given=("corrupted_rows",),
        digits=2,
        validate=_validate_2_3,
        quick=False,
    ),
    Exercise(
        "2.4",
        _reference_2_4,
        meaning=(
            "A penalty 1,000 times stronger keeps the weights so short that the model fits even its training rows "
            "worse: both accuracies fall, which is underfitting, the counterpart of stopping after too few epochs."
        ),
        hint="fit LogisticRegression(C=0.001, max_iter=5000) on X_train, y_train and score it on both parts, training first.",
        mistakes=(
            Mistake(lambda expected, **_: _scores_at(1.0),
                    "those are the scores of scikit-learn's default, C = 1; the exercise sets C = 0.001."),
            Mistake(lambda expected, **_: _scores_at(1000.0),
                    "C is the inverse of the penalty's strength: a larger C is a weaker penalty. 1,000 times stronger is C = 0.001."),
            Mistake(lambda expected, **_: expected[::-1], "the order is (training accuracy, test accuracy)."),
            Mistake(lambda expected, **_: 100 * expected, "give accuracies as fractions between 0 and 1, as .score returns them, not percentages."),
        ),
        digits=3,
    ),
)
