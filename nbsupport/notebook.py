"""The one set-up call every notebook makes: quiet TensorFlow, seed everything, set plot defaults.

>>> from nbsupport import setup_notebook
>>> setup_notebook(seed=0)  # doctest: +SKIP
"""

from __future__ import annotations

import random
import re
import sys
from collections.abc import Mapping
from typing import Any

import numpy as np

from nbsupport._tensorflow import import_tensorflow_quietly
from nbsupport._validation import check_bool, check_seed, version_tuple

__all__ = [
    "SUPPORTED_VERSIONS",
    "UnsupportedEnvironment",
    "check_versions",
    "setup_notebook",
]

# The oldest versions the course is tested with (Keras 3.0 to 3.4 fail: int(optimizer.iterations) raises),
# and the first major versions it does not support.
SUPPORTED_VERSIONS = {"python": ((3, 10), None), "tensorflow": ((2, 16), (3, 0)), "keras": ((3, 5), (4, 0))}
_UPGRADE = {
    "python": "install Python 3.10 or newer and make the course's environment with it (make lab PYTHON=python3.12)",
    "tensorflow": "run: pip install --upgrade 'tensorflow>=2.16'",
    "keras": "run: pip install --upgrade 'keras>=3.5'",
}

_PLOT_STYLE = {
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


class UnsupportedEnvironment(RuntimeError):
    """Python, TensorFlow or Keras is outside the versions the course supports."""


def _check_version_dict(versions: Any) -> Mapping[str, str]:
    """``versions`` as :func:`check_versions` reads it: exactly the keys of ``SUPPORTED_VERSIONS``, each a version string."""
    keys = ", ".join(repr(key) for key in SUPPORTED_VERSIONS)
    if not isinstance(versions, Mapping):
        raise TypeError(
            f"versions must be a dict with the keys {keys} (version strings such as '3.13.1'), or None for the "
            f"running versions; got {type(versions).__name__} {versions!r}"
        )
    missing = [key for key in SUPPORTED_VERSIONS if key not in versions]
    unexpected = [key for key in versions if key not in SUPPORTED_VERSIONS]
    if missing or unexpected:
        raise ValueError(f"versions must have exactly the keys {keys}; missing {missing}, unexpected {unexpected}")
    for key in SUPPORTED_VERSIONS:
        version = versions[key]
        if not isinstance(version, str):
            raise TypeError(f"versions[{key!r}] must be a version string such as '3.13.1', got {type(version).__name__} {version!r}")
        if not re.match(r"\d+(\.|$)", version):
            raise ValueError(f"versions[{key!r}] must be a version string that starts with its numbers, such as '3.13.1', got {version!r}")
    return versions


def check_versions(versions: dict[str, str] | None = None) -> None:
    """Raise :class:`UnsupportedEnvironment`, saying what to do in one sentence, unless the versions are supported.

    Parameters
    ----------
    versions : dict or None, default=None
        ``{"python": ..., "tensorflow": ..., "keras": ...}``, exactly these keys, each a version string
        that starts with its numbers (``"3.13.1"``, ``"2.20.0.dev1"``); None reads the running ones.

    Raises
    ------
    TypeError
        If ``versions`` is not a dict (or None), or a version is not a string.
    ValueError
        If a key is missing or unexpected, or a version does not start with its numbers.
    UnsupportedEnvironment
        If a version is below the oldest supported one or at the next major version (``SUPPORTED_VERSIONS``).

    Examples
    --------
    >>> check_versions({"python": "3.12.1", "tensorflow": "2.20.0", "keras": "3.13.1"})
    >>> check_versions({"python": "3.12.1", "tensorflow": "2.20.0", "keras": "3.4.1"})
    Traceback (most recent call last):
    ...
    nbsupport.notebook.UnsupportedEnvironment: This course needs Keras 3.5 or newer (below 4.0); this environment has 3.4.1: run: pip install --upgrade 'keras>=3.5'.
    >>> check_versions({"python": "3.12.1", "keras": "3.13.1"})
    Traceback (most recent call last):
    ...
    ValueError: versions must have exactly the keys 'python', 'tensorflow', 'keras'; missing ['tensorflow'], unexpected []
    """
    if versions is None:
        import keras

        tf = import_tensorflow_quietly()
        versions = {"python": ".".join(map(str, sys.version_info[:3])), "tensorflow": tf.__version__, "keras": keras.__version__}
    versions = _check_version_dict(versions)
    names = {"python": "Python", "tensorflow": "TensorFlow", "keras": "Keras"}
    for package, (oldest, first_unsupported) in SUPPORTED_VERSIONS.items():
        found = version_tuple(versions[package])
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
        Apply the course's matplotlib style (grid, no top and right spines, constrained layout, its font sizes).

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

        mpl.rcParams.update(_PLOT_STYLE)
