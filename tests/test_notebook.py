import json
import logging
import os
import random
import subprocess
import sys
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pytest

from nbsupport import setup_notebook

# The TensorFlow helpers, imported here only: re-point this line (the subprocess test follows it) if they move.
from nbsupport._tensorflow import QUIET_TENSORFLOW_ENV, import_tensorflow_quietly, quiet_tensorflow_env, silenced_stderr_fd
from nbsupport.notebook import _PLOT_STYLE as PLOT_STYLE

ROOT = Path(__file__).resolve().parents[1]


def test_setup_seeds_every_generator():
    import keras

    def draws():
        return random.random(), np.random.rand(), float(keras.random.uniform(()))

    setup_notebook(seed=7)
    first = draws()
    setup_notebook(seed=7)
    second = draws()
    setup_notebook(seed=8)
    other = draws()
    assert first == second
    assert all(a != b for a, b in zip(first, other))  # the seed is used, not a fixed one


def test_setup_puts_back_the_quiet_environment(monkeypatch):
    # importing nbsupport (and conftest.py) already set these: take them away, or the test proves nothing
    for key in QUIET_TENSORFLOW_ENV:
        monkeypatch.delenv(key, raising=False)
    setup_notebook(seed=0, plots=False)
    assert {key: os.environ.get(key) for key in QUIET_TENSORFLOW_ENV} == QUIET_TENSORFLOW_ENV


def test_setup_styles_plots_only_when_asked():
    expected = mpl.RcParams(PLOT_STYLE)  # validated the way rcParams stores them ((6.4, 4.0) becomes a list)
    with mpl.rc_context():
        mpl.rcdefaults()  # the state before the test must not be the style already
        defaults = {key: mpl.rcParams[key] for key in PLOT_STYLE}
        assert sum(defaults[key] != expected[key] for key in PLOT_STYLE) >= 10
        setup_notebook(seed=0, plots=False)
        assert {key: mpl.rcParams[key] for key in PLOT_STYLE} == defaults
        setup_notebook(seed=0)
        assert {key: mpl.rcParams[key] for key in PLOT_STYLE} == {key: expected[key] for key in PLOT_STYLE}


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


# --- quieting TensorFlow ------------------------------------------------------------------------


def test_quiet_environment_sets_what_is_missing(monkeypatch):
    for key in QUIET_TENSORFLOW_ENV:
        monkeypatch.delenv(key, raising=False)
    quiet_tensorflow_env()
    assert {key: os.environ.get(key) for key in QUIET_TENSORFLOW_ENV} == QUIET_TENSORFLOW_ENV


def test_quiet_environment_keeps_what_the_user_set(monkeypatch):
    monkeypatch.setenv("TF_CPP_MIN_LOG_LEVEL", "1")
    quiet_tensorflow_env()
    assert os.environ["TF_CPP_MIN_LOG_LEVEL"] == "1"


def test_silenced_stderr_fd_hides_what_reaches_fd_2_and_restores_it(capfd):
    os.write(2, b"before\n")
    with silenced_stderr_fd():
        os.write(2, b"hidden\n")
    with pytest.raises(RuntimeError, match="still raised"):
        with silenced_stderr_fd():
            os.write(2, b"hidden too\n")
            raise RuntimeError("still raised")
    os.write(2, b"after\n")
    assert capfd.readouterr().err == "before\nafter\n"


# Run in a fresh interpreter: in this one TensorFlow is imported already (conftest.py), so a call
# here could only return sys.modules["tensorflow"]. A finder on sys.meta_path sees the moment the
# import starts: it records the environment then, and writes a line to fd 2, which must be silenced.
FRESH_IMPORT = """
import importlib.abc, json, os, sys
from {module} import QUIET_TENSORFLOW_ENV, import_tensorflow_quietly
for key in QUIET_TENSORFLOW_ENV:
    os.environ.pop(key, None)  # importing nbsupport set them: import_tensorflow_quietly must set them itself
seen = []
class Spy(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "tensorflow":
            seen.append({{key: os.environ.get(key) for key in QUIET_TENSORFLOW_ENV}})
            os.write(2, b"fd 2 is open while tensorflow is imported\\n")
        return None
sys.meta_path.insert(0, Spy())
assert "tensorflow" not in sys.modules, "something imported tensorflow before the call"
tf = import_tensorflow_quietly()
again = import_tensorflow_quietly()
print(json.dumps({{"seen": seen, "same": tf is again is sys.modules["tensorflow"], "level": tf.get_logger().level}}))
"""


def test_tensorflow_is_imported_once_quietly_with_the_environment_set_first():
    code = FRESH_IMPORT.format(module=import_tensorflow_quietly.__module__)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # nothing on fd 2: not TensorFlow's C++ start-up lines, not the spy's line
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["seen"] == [QUIET_TENSORFLOW_ENV]  # imported once, after the environment was set
    assert report["same"] and report["level"] == logging.ERROR


# --- supported versions ---------------------------------------------------------------------------


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
    check_versions({**GOOD, "keras": "3.5"})
    assert SUPPORTED_VERSIONS["keras"][0] == (3, 5)


KEYS = r"'python', 'tensorflow', 'keras'"


@pytest.mark.parametrize(
    "versions, error, message",
    [
        ({"python": "3.11.7", "tensorflow": "2.21.0"}, ValueError, rf"^versions must have exactly the keys {KEYS}; missing \['keras'\], unexpected \[\]$"),
        ({**GOOD, "numpy": "2.0"}, ValueError, r"missing \[\], unexpected \['numpy'\]$"),
        ({"python": "3.11.7", "tensorflow": "2.21.0", "Keras": "3.15.1"}, ValueError, r"missing \['keras'\], unexpected \['Keras'\]$"),
        ({}, ValueError, r"missing \['python', 'tensorflow', 'keras'\]"),
        (["3.11.7", "2.21.0", "3.15.1"], TypeError, rf"^versions must be a dict with the keys {KEYS} \(version strings such as '3\.13\.1'\), or None for the running versions; got list \["),
        ("3.11.7", TypeError, rf"^versions must be a dict with the keys {KEYS}.*; got str '3\.11\.7'$"),
        ({**GOOD, "keras": 3.15}, TypeError, r"^versions\['keras'\] must be a version string such as '3\.13\.1', got float 3\.15$"),
        ({**GOOD, "tensorflow": (2, 21)}, TypeError, r"^versions\['tensorflow'\] must be a version string such as '3\.13\.1', got tuple \(2, 21\)$"),
        ({**GOOD, "keras": None}, TypeError, r"^versions\['keras'\] must be a version string"),
        ({**GOOD, "keras": "latest"}, ValueError, r"^versions\['keras'\] must be a version string that starts with its numbers, such as '3\.13\.1', got 'latest'$"),
        ({**GOOD, "python": ""}, ValueError, r"^versions\['python'\] must be a version string that starts with its numbers"),
        ({**GOOD, "keras": "v3.15.1"}, ValueError, r"^versions\['keras'\] must be a version string that starts with its numbers"),
    ],
    ids=["missing", "extra", "misspelt", "empty", "list", "str", "float", "tuple", "none", "word", "empty-str", "v-prefix"],
)
def test_check_versions_refuses_bad_input(versions, error, message):
    with pytest.raises(error, match=message):
        check_versions(versions)
