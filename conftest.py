import matplotlib

matplotlib.use("Agg")  # the test process draws off-screen; notebook kernels keep the inline backend

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

import nbsupport  # noqa: E402, F401  (sets TensorFlow's quiet environment before anything imports it)
from nbsupport._tensorflow import import_tensorflow_quietly  # noqa: E402

import_tensorflow_quietly()


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test and doctest starts without open figures, so none piles up across the suite."""
    yield
    plt.close("all")
