"""Support package for the course on activation functions, gradient descent and vanishing gradients.

Importing it puts the variables that quiet TensorFlow into the environment, so import it before
TensorFlow or Keras; then call :func:`setup_notebook` once at the top of a notebook.
"""

from nbsupport.notebook import quiet_tensorflow_env, setup_notebook

quiet_tensorflow_env()

__version__ = "0.1.0"
__all__ = ["setup_notebook", "__version__"]
