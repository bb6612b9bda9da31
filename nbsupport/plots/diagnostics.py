"""Pictures of :mod:`nbsupport.diagnostics`: gradient size per layer, on a log axis.

>>> import numpy as np
>>> from nbsupport.diagnostics import GradientProfile
>>> profile = GradientProfile(("dense_1", "dense_2"), np.array([1e-3, 1e-1]), np.array([1e-4, 1e-2]))
>>> plot_gradient_norms({"sigmoid": profile}).get_yscale()
'log'
"""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
from matplotlib.axes import Axes

from nbsupport._validation import check_choice
from nbsupport.diagnostics import GradientProfile
from nbsupport.plots._axes import axes_or_new

__all__ = ["plot_gradient_norms"]

_LABELS = {
    "preactivation": "|dL/dz|, back-propagated gradient (log scale)",
    "weight": "|dL/dW|, weight gradient (log scale)",
}


def plot_gradient_norms(
    profiles: Mapping[str, GradientProfile] | GradientProfile,
    *,
    which: str = "preactivation",
    ax: Axes | None = None,
    title: str | None = None,
) -> Axes:
    """Gradient norm per layer (input side on the left), one line per model, on a log axis.

    A line that falls towards the left is a vanishing gradient; one that rises is an exploding one.

    Parameters
    ----------
    profiles : GradientProfile or dict of str to GradientProfile
        One profile, or ``{label: profile}`` for several models in one view.
    which : {"preactivation", "weight"}, default="preactivation"
        Which gradient to draw: with respect to each layer's pre-activation ``z`` or its weights ``W``.
    ax : matplotlib Axes or None, default=None
        Axes to draw on; a new figure when None.
    title : str or None, default=None
        The Axes title.

    Returns
    -------
    matplotlib Axes

    Raises
    ------
    TypeError
        If ``profiles`` holds something other than ``GradientProfile`` objects.
    ValueError
        If it is empty, ``which`` is unknown, or a norm is not positive and finite (a log axis cannot show it).

    Examples
    --------
    >>> p = GradientProfile(("a", "b", "c"), np.ones(3), np.array([1e-6, 1e-3, 1.0]))
    >>> ax = plot_gradient_norms(p, title="demo")
    >>> ax.get_xlabel()
    'layer (input side first)'
    """
    which = check_choice(which, "which", ("preactivation", "weight"))
    if isinstance(profiles, GradientProfile):
        profiles = {"": profiles}
    if not isinstance(profiles, Mapping):
        raise TypeError(f"profiles must be a GradientProfile or a dict of them, got {type(profiles).__name__}")
    if not profiles:
        raise ValueError("profiles must hold at least one GradientProfile, got an empty dict")
    for label, profile in profiles.items():
        if not isinstance(profile, GradientProfile):
            raise TypeError(f"profiles[{label!r}] must be a GradientProfile (from diagnostics.gradient_profile), got {type(profile).__name__}")
        norms = profile.norms(which)
        if not np.all(np.isfinite(norms) & (norms > 0)):
            raise ValueError(f"profiles[{label!r}] has {which} norms that are zero or not finite; a log axis cannot show them: {norms}")
    ax = axes_or_new(ax, figsize=(7.0, 4.2))
    for i, (label, profile) in enumerate(profiles.items()):
        norms = profile.norms(which)
        ax.plot(np.arange(1, len(norms) + 1), norms, "-o", color=f"C{i}", markersize=4, label=label or None)
    ax.set_yscale("log")
    ax.set_xlabel("layer (input side first)")
    ax.set_ylabel(_LABELS[which])
    longest = max(len(p.layers) for p in profiles.values())
    ax.set_xticks(np.arange(1, longest + 1))
    if any(profiles):
        ax.legend(loc="best")
    if title:
        ax.set_title(title)
    return ax
