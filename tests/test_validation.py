"""The shared argument checks: one rule (TypeError for a type, ValueError for a value), tested against scikit-learn's."""

import numbers

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.utils import check_scalar as sklearn_check_scalar

from nbsupport import _validation as V

BOUNDS = [(None, None, "both"), (0, None, "both"), (0, None, "neither"), (0, 1, "left"), (0, 1, "right"), (1, 10, "both")]


def _decision(check, *args, **kwargs):
    try:
        check(*args, **kwargs)
    except TypeError:
        return "type"
    except ValueError:
        return "value"
    return "ok"


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(st.integers(-20, 20), st.floats(-20, 20, allow_nan=False, allow_infinity=False), st.text(max_size=2)),
    st.sampled_from(BOUNDS),
    st.sampled_from([numbers.Real, numbers.Integral]),
)
def test_check_scalar_decides_like_scikit_learn(x, bounds, target_type):
    """Same accept/reject decision and exception type as sklearn.utils.check_scalar on ordinary values."""
    min_val, max_val, boundaries = bounds
    kwargs = {"min_val": min_val, "max_val": max_val, "include_boundaries": boundaries}
    if min_val is None and max_val is None:
        kwargs["include_boundaries"] = "both"
    ours = _decision(V.check_scalar, x, "x", target_type, **kwargs)
    theirs = _decision(sklearn_check_scalar, x, "x", target_type, **kwargs)
    assert ours == theirs


@pytest.mark.parametrize("bad", [True, np.bool_(False)])
def test_booleans_are_not_numbers(bad):
    """Where scikit-learn lets True pass as 1, the course refuses it."""
    with pytest.raises(TypeError, match="x must be an int"):
        V.check_scalar(bad, "x", numbers.Integral)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_nan_and_infinity_are_refused(bad):
    with pytest.raises(ValueError, match="x must be a finite number"):
        V.check_scalar(bad, "x")


def test_messages_name_the_argument_the_value_and_the_interval():
    with pytest.raises(ValueError, match=r"^alpha must be a finite number in \(0, 1\], got 1.5$"):
        V.check_scalar(1.5, "alpha", min_val=0, max_val=1, include_boundaries="right")
    with pytest.raises(TypeError, match=r"^epochs must be an int in \[1, inf\), got str '3'$"):
        V.check_scalar("3", "epochs", numbers.Integral, min_val=1)
    with pytest.raises(ValueError, match="include_boundaries must be one of"):
        V.check_scalar(1, "x", include_boundaries="all")


def test_returns_plain_python_numbers():
    assert type(V.check_scalar(np.int64(3), "n", numbers.Integral)) is int
    assert type(V.check_scalar(np.float32(0.5), "a")) is float


def test_seeds_and_counts():
    assert V.check_seed(V.SEED_MAX) == 2**31 - 1
    with pytest.raises(ValueError, match=r"seed must be an int in \[0, 2147483647\], got 2147483648"):
        V.check_seed(2**31)
    with pytest.raises(ValueError, match=r"epochs must be an int in \[1, 2147483647\]"):
        V.check_int(2**32 + 1, "epochs", 1)


def test_choices_strings_bools_callables_sequences():
    assert V.check_choice("a", "mode", ("a", "b")) == "a"
    with pytest.raises(ValueError, match=r"mode must be one of \('a', 'b'\), got 'c'"):
        V.check_choice("c", "mode", ("a", "b"))
    with pytest.raises(TypeError, match="mode must be one of"):
        V.check_choice(None, "mode", ("a", "b"))
    with pytest.raises(TypeError, match="flag must be True or False, got int 1"):
        V.check_bool(1, "flag")
    with pytest.raises(TypeError, match="f must be a function, got int 3"):
        V.check_callable(3, "f")
    with pytest.raises(TypeError, match="seeds must be a list of seeds, got str"):
        V.check_sequence("012", "seeds", what="seeds")
    with pytest.raises(ValueError, match="seeds must hold at least 1 seeds, got 0"):
        V.check_sequence([], "seeds", what="seeds")
    assert V.check_sequence(np.array([1, 2]), "seeds") == [1, 2]


def test_arrays():
    assert V.check_array([[1, 2]], "X", ndim=2).dtype == np.float64
    with pytest.raises(ValueError, match=r"X must be a 2-D array \(samples, features\), got shape \(3,\)"):
        V.check_array([1, 2, 3], "X", ndim=2, shape_hint="(samples, features)")
    with pytest.raises(ValueError, match="X must hold at least 1 row"):
        V.check_array(np.zeros((0, 3)), "X", min_rows=1)
    with pytest.raises(ValueError, match="X must hold finite numbers only; it has 2 NaN or infinite value"):
        V.check_array([np.nan, np.inf, 1.0], "X")
    assert np.isnan(V.check_array([np.nan], "X", finite=False)[0])
    for bad in ["1.0", [1, "a"], np.array([1 + 2j]), np.array([True]), [[1, 2], [3]]]:
        with pytest.raises(TypeError, match="X must be a real number or an array of real numbers"):
            V.as_float_array(bad, "X")
    with pytest.raises(ValueError, match=r"y must hold the labels 0 and 1 only, got values \[0.0, 2.0\]"):
        V.check_binary_labels([0, 2], "y", 2)
