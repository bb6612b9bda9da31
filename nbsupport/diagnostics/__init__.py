"""Per-layer measurements on any Keras model (one input, one output, no model nested inside), one concept a module.

- :mod:`~nbsupport.diagnostics.gradients`: :func:`gradient_profile`, the size of the gradient at every
  ``Dense`` layer, for its weights (dL/dW) and back-propagated to its pre-activation (dL/dz);
  :func:`weight_gradients`, the kernels' gradients themselves.
- :mod:`~nbsupport.diagnostics.layer_outputs`: :func:`hidden_activations`, what each hidden layer
  outputs, and :func:`activation_statistics`, their mean, spread and saturation per layer.
- :mod:`~nbsupport.diagnostics.dead_units`: :func:`never_active_fraction` and
  :func:`zero_gradient_fraction`, hidden units that never fire or get no gradient.
- :mod:`~nbsupport.diagnostics.weight_movement`: :func:`kernel_snapshot` and :func:`weight_change`,
  how far training moved each layer.
- :mod:`~nbsupport.diagnostics.through_time`: :func:`timestep_gradient_norms`, the gradient through
  time of a sequence model.

Every function is importable from here. Norms and other reductions of small numbers are computed in
float64; a measurement in training mode puts back what it moved (batch-normalization statistics,
dropout generators).
"""

from nbsupport.diagnostics.dead_units import never_active_fraction, never_active_fraction_per_layer, zero_gradient_fraction
from nbsupport.diagnostics.gradients import GradientProfile, gradient_profile, weight_gradients
from nbsupport.diagnostics.layer_outputs import ActivationStatistics, activation_statistics, hidden_activations, hidden_unit_layers
from nbsupport.diagnostics.through_time import timestep_gradient_norms
from nbsupport.diagnostics.weight_movement import kernel_snapshot, weight_change

__all__ = [
    "ActivationStatistics",
    "GradientProfile",
    "activation_statistics",
    "gradient_profile",
    "hidden_activations",
    "hidden_unit_layers",
    "kernel_snapshot",
    "never_active_fraction",
    "never_active_fraction_per_layer",
    "timestep_gradient_norms",
    "weight_change",
    "weight_gradients",
    "zero_gradient_fraction",
]
