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

__all__ = ["PLOT_STYLE", "QUIET_TENSORFLOW_ENV", "import_tensorflow_quietly", "quiet_tensorflow_env", "setup_notebook", "silenced_stderr_fd"]

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


def setup_notebook(seed: int = 0, *, deterministic: bool = True, plots: bool = True) -> None:
    """Prepare a notebook: quiet TensorFlow, seed Python, numpy and TensorFlow, set plot defaults.

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

    random.seed(seed)
    np.random.seed(seed)
    keras.utils.set_random_seed(seed)  # Python, numpy and TensorFlow generators
    _keras_adapter.reset_global_seed_generator()
    if deterministic:
        tf.config.experimental.enable_op_determinism()
    if plots:
        import matplotlib as mpl

        mpl.rcParams.update(PLOT_STYLE)
