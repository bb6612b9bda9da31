import os
import random

import numpy as np
import pytest

from nbsupport import setup_notebook
from nbsupport.notebook import PLOT_STYLE, import_tensorflow_quietly, quiet_tensorflow_env


def test_setup_seeds_every_generator():
    import keras

    setup_notebook(seed=7)
    first = (random.random(), np.random.rand(), float(keras.random.uniform(())))
    setup_notebook(seed=7)
    second = (random.random(), np.random.rand(), float(keras.random.uniform(())))
    assert first == second


def test_setup_quiets_tensorflow_and_styles_plots():
    import matplotlib as mpl

    setup_notebook(seed=0)
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "3"
    assert mpl.rcParams["axes.spines.top"] is PLOT_STYLE["axes.spines.top"]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"seed": -1}, ValueError, r"seed must be an int in \[0, 2147483647\], got -1"),
        ({"seed": 2**40}, ValueError, r"seed must be an int in \[0, 2147483647\], got 1099511627776"),
        ({"seed": 1.5}, TypeError, "seed must be an int in .*, got float 1.5"),
        ({"seed": True}, TypeError, "seed must be an int in .*, got bool True"),
        ({"deterministic": "yes"}, TypeError, "deterministic must be True or False"),
        ({"plots": 1}, TypeError, "plots must be True or False"),
    ],
)
def test_setup_rejects_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        setup_notebook(**kwargs)


def test_quiet_environment_keeps_what_the_user_set(monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")
    quiet_tensorflow_env()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1"


def test_tensorflow_is_imported_once():
    assert import_tensorflow_quietly() is import_tensorflow_quietly()
