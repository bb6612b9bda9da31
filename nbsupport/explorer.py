"""Interactive explorers: controls that redraw a figure, safe to execute headless.

A chapter's explorer says only what it explores: a function that draws a figure from some values,
and one control per value::

    explorer = explore(gradient_figure,
                       depth=widgets.IntSlider(value=10, min=2, max=30, description="depth", continuous_update=False),
                       activation=widgets.Dropdown(options=["sigmoid", "relu"], description="activation"))
    display(explorer.box)

:func:`explore` lays the controls out above an output area and redraws the figure there whenever a
control changes; ``display`` (a notebook's own) shows it. While the notebook is being executed nothing
is drawn (executing a cell that draws into a widget once hung nbclient, which nbval and nbconvert use):
the figure appears when the learner moves a control, or presses the "draw" button. :meth:`Explorer.figure` draws one figure outside the
widgets, so a cell can check the drawing code headless.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

from nbsupport._validation import check_callable

__all__ = ["Explorer", "explore"]


def _check_rows(rows: Any) -> list[list[str]]:
    if not isinstance(rows, (list, tuple)) or not all(isinstance(row, (list, tuple)) and all(isinstance(n, str) for n in row) for row in rows):
        raise TypeError(f"rows must be a list of lists of control names, such as [['depth', 'activation'], ['scale']], got {rows!r}")
    return [list(row) for row in rows]


class Explorer:
    """The controls, the output area and the drawing function of one explorer (what :func:`explore` returns).

    Attributes
    ----------
    draw : callable
        Draws a figure from the controls' values, passed as keyword arguments; returns the figure.
    controls : dict of str to ipywidgets.ValueWidget
        The controls, by the name of the value each sets.
    output : ipywidgets.Output
        Where the figure is drawn.
    box : ipywidgets.VBox
        The whole explorer, as displayed.
    """

    def __init__(
        self,
        draw: Callable[..., Any],
        controls: Mapping[str, Any],
        rows: Sequence[Sequence[str]] | None = None,
        enabled: Mapping[str, Callable[[dict], bool]] | None = None,
    ) -> None:
        import ipywidgets as widgets

        self.draw = check_callable(draw, "draw")
        if not isinstance(controls, Mapping) or not controls:
            raise ValueError(f"explore needs at least one control, as name=widget, got {controls!r}")
        for name, control in controls.items():
            if not isinstance(control, widgets.ValueWidget):
                raise TypeError(f"control {name!r} must be an ipywidgets control with a value (IntSlider, Dropdown, ...), got {type(control).__name__}")
        self.controls = dict(controls)
        layout = [list(self.controls)] if rows is None else _check_rows(rows)
        placed = [name for row in layout for name in row]
        if sorted(placed) != sorted(self.controls):
            raise ValueError(f"rows must place every control exactly once: the controls are {sorted(self.controls)}, rows place {placed}")
        self.enabled = dict(enabled or {})
        unknown = sorted(set(self.enabled) - set(self.controls))
        if unknown:
            raise ValueError(f"enabled names unknown control(s) {unknown}; the controls are {sorted(self.controls)}")
        for name, rule in self.enabled.items():
            check_callable(rule, f"enabled[{name!r}]")
        self.output = widgets.Output()
        button = widgets.Button(description="draw", tooltip="draw the figure for these settings")
        button.on_click(lambda _: self.redraw())
        self.box = widgets.VBox([*(widgets.HBox([self.controls[name] for name in row]) for row in layout), button, self.output])
        for control in self.controls.values():
            control.observe(lambda change: self.redraw(), names="value")
        self._update_enabled()

    def values(self) -> dict[str, Any]:
        """The controls' current values, by name."""
        return {name: control.value for name, control in self.controls.items()}

    def _update_enabled(self) -> None:
        values = self.values()
        for name, rule in self.enabled.items():
            self.controls[name].disabled = not rule(values)

    def figure(self, **values: Any) -> Any:
        """The figure for the controls' current values, with ``values`` overriding some of them; not displayed.

        Raises
        ------
        ValueError
            If ``values`` names something that is not a control.
        """
        unknown = sorted(set(values) - set(self.controls))
        if unknown:
            raise ValueError(f"figure() names unknown control(s) {unknown}; the controls are {sorted(self.controls)}")
        return self.draw(**(self.values() | values))

    def redraw(self) -> None:
        """Draw the figure for the controls' values in the output area (what a change of any control does)."""
        import matplotlib.pyplot as plt

        self._update_enabled()
        with self.output:
            self.output.clear_output(wait=True)
            try:
                self.figure()
                plt.show()
            except ValueError as error:  # e.g. nothing to draw on a log axis: say so instead of a traceback
                plt.close("all")
                print(f"cannot draw this one: {error}")


def explore(
    draw: Callable[..., Any],
    *,
    rows: Sequence[Sequence[str]] | None = None,
    enabled: Mapping[str, Callable[[dict], bool]] | None = None,
    **controls: Any,
) -> Explorer:
    """Controls that redraw ``draw(**values)`` whenever one of them changes; ``display(explorer.box)`` shows them.

    Parameters
    ----------
    draw : callable
        Takes one keyword argument per control and returns the matplotlib figure it drew.
    rows : list of lists of str, optional
        The controls' names row by row; by default all in one row.
    enabled : dict of str to callable, optional
        For a control that only makes sense for some settings: a function of all the values (a dict)
        that says whether it is enabled (``{"forget_bias": lambda v: v["cell"] == "lstm"}``).
    **controls : ipywidgets controls
        One per keyword argument of ``draw``, by that name.

    Returns
    -------
    Explorer
        Its :meth:`~Explorer.figure` draws a figure without the widgets, for a headless check.

    Raises
    ------
    TypeError, ValueError
        For a ``draw`` that is not callable, a control that is not a widget with a value, or rows that
        do not place every control once.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> import matplotlib.pyplot as plt
    >>> def line(slope):
    ...     fig, ax = plt.subplots()
    ...     ax.plot([0, 1], [0, slope])
    ...     return fig
    >>> explorer = explore(line, slope=widgets.FloatSlider(value=2.0))
    >>> explorer.figure(slope=3.0).axes[0].get_lines()[0].get_ydata().tolist()
    [0.0, 3.0]
    """
    return Explorer(draw, controls, rows, enabled)
