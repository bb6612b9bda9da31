"""Plots, by one rule: ``nbsupport.plots.<name>`` draws the results of ``nbsupport.<name>``.

- :mod:`nbsupport.plots.activations`: activation functions and their derivatives.
- :mod:`nbsupport.plots.descent`: gradient-descent runs (``nbsupport.descent``, ``nbsupport.logistic``).
- :mod:`nbsupport.plots.training`: learning curves.
- :mod:`nbsupport.plots.models`: what a trained model computes (decision regions).
- :mod:`nbsupport.plots.diagnostics`: gradient size per layer.

Every plot function takes results (arrays, or the result objects the other modules return) and draws
them: none runs an experiment or trains a model. Each returns the ``Axes`` or ``Figure`` it drew on and
never calls ``plt.show()``.
"""

__all__: list[str] = []
