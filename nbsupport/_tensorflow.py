"""Importing TensorFlow without the lines it prints: set its quiet environment first, then import.

Importing ``nbsupport`` puts :data:`QUIET_TENSORFLOW_ENV` into the environment (TensorFlow reads it
once, at its own import); every module that needs TensorFlow gets it from
:func:`import_tensorflow_quietly`.
"""

from __future__ import annotations

import contextlib
import os
import sys
from typing import Iterator

# Must be in the environment before TensorFlow is first imported: importing nbsupport sets them.
QUIET_TENSORFLOW_ENV = {
    "TF_CPP_MIN_LOG_LEVEL": "3",  # C++ INFO, WARNING and ERROR lines
    "TF_ENABLE_ONEDNN_OPTS": "0",  # the oneDNN notice, and run-to-run float differences
    "KERAS_BACKEND": "tensorflow",
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
