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


from nbsupport.notebook import SUPPORTED_VERSIONS, UnsupportedEnvironment, check_versions  # noqa: E402

GOOD = {"python": "3.11.7", "tensorflow": "2.21.0", "keras": "3.15.1"}


@pytest.mark.parametrize(
    "package, version, message",
    [
        ("keras", "3.4.1", r"needs Keras 3\.5 or newer \(below 4\.0\); this environment has 3\.4\.1: run: pip install --upgrade 'keras>=3\.5'\.$"),
        ("keras", "4.0.0", "needs Keras 3.5 or newer"),
        ("tensorflow", "2.15.1", "needs TensorFlow 2.16 or newer"),
        ("python", "3.9.18", "needs Python 3.10 or newer; this environment has 3.9.18: install Python 3.10"),
    ],
)
def test_unsupported_versions_say_what_to_do(package, version, message):
    with pytest.raises(UnsupportedEnvironment, match=message):
        check_versions({**GOOD, package: version})


def test_the_running_environment_and_the_edges_are_supported():
    check_versions()
    check_versions({"python": "3.10.0", "tensorflow": "2.16.1", "keras": "3.5.0"})
    check_versions({**GOOD, "keras": "3.13.0rc1", "tensorflow": "2.20.0.dev1"})
    assert SUPPORTED_VERSIONS["keras"][0] == (3, 5)
