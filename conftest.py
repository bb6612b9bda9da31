import matplotlib

matplotlib.use("Agg")  # the test process draws off-screen; notebook kernels keep the inline backend

import nbsupport  # noqa: E402, F401  (sets TensorFlow's quiet environment before anything imports it)
from nbsupport.notebook import import_tensorflow_quietly  # noqa: E402

import_tensorflow_quietly()
