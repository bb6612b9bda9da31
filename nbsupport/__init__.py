"""Support package for the course on activation functions, gradient descent and vanishing gradients.

Importing it puts the variables that quiet TensorFlow into the environment, so import it before
TensorFlow or Keras; then call :func:`setup_notebook` once at the top of a notebook.
"""

from nbsupport._tensorflow import quiet_tensorflow_env

quiet_tensorflow_env()

from nbsupport.notebook import setup_notebook  # noqa: E402

__version__ = "0.1.0"
__all__ = ["setup_notebook", "__version__"]
