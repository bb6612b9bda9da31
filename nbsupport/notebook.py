"""The one set-up call every notebook makes: quiet TensorFlow, seed everything, set plot defaults.

>>> from nbsupport import setup_notebook
>>> setup_notebook(seed=0)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import os
import random
import sys
from typing import Iterator

import numpy as np

from nbsupport._validation import check_bool, check_seed

__all__ = [
    "PLOT_STYLE",
    "QUIET_TENSORFLOW_ENV",
    "SUPPORTED_VERSIONS",
    "UnsupportedEnvironment",
    "check_versions",
    "import_tensorflow_quietly",
    "quiet_tensorflow_env",
    "setup_notebook",
    "silenced_stderr_fd",
]

# The oldest versions the course is tested with (Keras 3.0 to 3.4 fail: int(optimizer.iterations) raises),
# and the first major versions it does not support.
SUPPORTED_VERSIONS = {"python": ((3, 10), None), "tensorflow": ((2, 16), (3, 0)), "keras": ((3, 5), (4, 0))}
_UPGRADE = {
    "python": "install Python 3.10 or newer and make the course's environment with it (make lab PYTHON=python3.12)",
    "tensorflow": "run: pip install --upgrade 'tensorflow>=2.16'",
    "keras": "run: pip install --upgrade 'keras>=3.5'",
}

# Must be in the environment before TensorFlow is first imported: importing nbsupport sets them.
QUIET_TENSORFLOW_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # C++ INFO, WARNING and ERROR lines
    "TF_ENABLE_ONEDNN_OPTS": "0",  # the oneDNN notice, and run-to-run float differences
    "KERAS_BACKEND": "tensorflow",
}

PLOT_STYLE = {
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "figure.constrained_layout.use": True,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 12,
    "axes.labelsize": 11,
    "legend.fontsize": 10,
    "legend.framealpha": 0.9,
    "lines.linewidth": 2.0,
}


def quiet_tensorflow_env() -> None:
    """Put the variables that quiet TensorFlow's import into ``os.environ`` (keeping any already set).

    >>> quiet_tensorflow_env(); os.environ["TF_CPP_MIN_LOG_LEVEL"]
    '3'
    """
    for key, value in QUIET_TENSORFLOW_ENV.items():
        os.environ.setdefault(key, value)


@contextlib.contextmanager
def silenced_stderr_fd() -> Iterator[None]:
    """Point file descriptor 2 at /dev/null for the block.

    Some of TensorFlow's C++ start-up lines (absl's "All log messages before InitializeLog",
    "Could not find cuda drivers") ignore ``TF_CPP_MIN_LOG_LEVEL`` and go straight to fd 2, which
    Jupyter shows as red stderr. Python-level errors still raise normally.
    """
    try:
        fd = sys.__stderr__.fileno() if sys.__stderr__ is not None else 2
    except (AttributeError, OSError, ValueError):
        fd = 2
    saved = os.dup(fd)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), fd)
            yield
    finally:
        os.dup2(saved, fd)
        os.close(saved)


def import_tensorflow_quietly():
    """Import and return ``tensorflow`` without its start-up log lines.

    >>> tf = import_tensorflow_quietly()  # doctest: +SKIP
    """
    quiet_tensorflow_env()
    if "tensorflow" in sys.modules:
        return sys.modules["tensorflow"]
    with silenced_stderr_fd():
        import tensorflow as tf

        tf.config.list_physical_devices()  # device discovery logs on first use: do it now, silenced
    tf.get_logger().setLevel("ERROR")
    return tf


class UnsupportedEnvironment(RuntimeError):
    """Python, TensorFlow or Keras is outside the versions the course supports."""


def _version_tuple(version: str) -> tuple[int, int]:
    parts = (version.split(".") + ["0"])[:2]
    return tuple(int("".join(ch for ch in part if ch.isdigit()) or 0) for part in parts)  # type: ignore[return-value]


def check_versions(versions: dict[str, str] | None = None) -> None:
    """Raise :class:`UnsupportedEnvironment`, saying what to do in one sentence, unless the versions are supported.

    Parameters
    ----------
    versions : dict or None, default=None
        ``{"python": ..., "tensorflow": ..., "keras": ...}`` version strings; None reads the running ones.

    Raises
    ------
    UnsupportedEnvironment
        If a version is below the oldest supported one or at the next major version (``SUPPORTED_VERSIONS``).

    Examples
    --------
    >>> check_versions({"python": "3.12.1", "tensorflow": "2.20.0", "keras": "3.13.1"})
    >>> check_versions({"python": "3.12.1", "tensorflow": "2.20.0", "keras": "3.4.1"})
    Traceback (most recent call last):
    ...
    nbsupport.notebook.UnsupportedEnvironment: This course needs Keras 3.5 or newer (below 4.0); this environment has 3.4.1: run: pip install --upgrade 'keras>=3.5'.
    """
    if versions is None:
        import keras

        tf = import_tensorflow_quietly()
        versions = {"python": ".".join(map(str, sys.version_info[:3])), "tensorflow": tf.__version__, "keras": keras.__version__}
    names = {"python": "Python", "tensorflow": "TensorFlow", "keras": "Keras"}
    for package, (oldest, first_unsupported) in SUPPORTED_VERSIONS.items():
        found = _version_tuple(versions[package])
        if found < oldest or (first_unsupported is not None and found >= first_unsupported):
            below = f" (below {first_unsupported[0]}.{first_unsupported[1]})" if first_unsupported else ""
            raise UnsupportedEnvironment(
                f"This course needs {names[package]} {oldest[0]}.{oldest[1]} or newer{below}; this environment has "
                f"{versions[package]}: {_UPGRADE[package]}."
            )


def setup_notebook(seed: int = 0, *, deterministic: bool = True, plots: bool = True) -> None:
    """Prepare a notebook: check the versions, quiet TensorFlow, seed Python, numpy and TensorFlow, set plot defaults.

    Parameters
    ----------
    seed : int, default=0
        Seed for Python's ``random``, numpy and TensorFlow/Keras, in [0, 2**31 - 1].
    deterministic : bool, default=True
        Also turn on TensorFlow's deterministic ops, so a re-run gives the same numbers.
    plots : bool, default=True
        Apply the course's matplotlib style (``PLOT_STYLE``).

    Raises
    ------
    TypeError
        If ``seed`` is not an int or a flag is not a bool.
    ValueError
        If ``seed`` is out of range.
    UnsupportedEnvironment
        If Python, TensorFlow or Keras is outside the supported versions (:func:`check_versions`).

    Examples
    --------
    >>> setup_notebook(seed=42)  # doctest: +SKIP
    """
    seed = check_seed(seed)
    deterministic = check_bool(deterministic, "deterministic")
    plots = check_bool(plots, "plots")

    tf = import_tensorflow_quietly()
    import keras

    from nbsupport import _keras_adapter

    check_versions()
    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)  # Python, numpy and TensorFlow generators
    _keras_adapter.reset_global_seed_generator()
    if deterministic:
        tf.config.experimental.enable_op_determinism()
    if plots:
        import matplotlib as mpl

        mpl.rcParams.update(PLOT_STYLE)
