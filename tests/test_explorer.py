import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest

from nbsupport.explorer import Explorer, explore


def _line(slope, kind="line"):
    fig, ax = plt.subplots()
    if slope == 0 and kind == "log":
        raise ValueError("a slope of 0 has no logarithm")
    ax.plot([0, 1], [0, slope])
    return fig


def _controls():
    return {"slope": widgets.FloatSlider(value=2.0, min=-5, max=5), "kind": widgets.Dropdown(options=["line", "log"])}


def test_nothing_is_drawn_until_a_control_moves():
    drawn = []
    explorer = explore(lambda **v: drawn.append(v) or _line(**v), **_controls())
    assert drawn == [] and isinstance(explorer, Explorer)
    explorer.controls["slope"].value = 3.0
    assert drawn == [{"slope": 3.0, "kind": "line"}]
    explorer.controls["kind"].value = "log"
    assert drawn[-1] == {"slope": 3.0, "kind": "log"}


def test_the_draw_button_draws_the_current_settings():
    drawn = []
    explorer = explore(lambda **v: drawn.append(v) or _line(**v), **_controls())
    button = next(child for child in explorer.box.children if isinstance(child, widgets.Button))
    button.click()
    assert drawn == [{"slope": 2.0, "kind": "line"}]


def test_figure_draws_outside_the_widgets_with_overrides():
    explorer = explore(_line, **_controls())
    fig = explorer.figure(slope=-1.0)
    assert fig.axes[0].get_lines()[0].get_ydata().tolist() == [0.0, -1.0]
    assert explorer.controls["slope"].value == 2.0, "figure() must not move the controls"
    with pytest.raises(ValueError, match=r"figure\(\) names unknown control\(s\) \['colour'\]"):
        explorer.figure(colour="red")


def test_a_value_error_while_drawing_becomes_a_message(capsys):
    explorer = explore(_line, **_controls())
    explorer.controls["kind"].value = "log"
    explorer.controls["slope"].value = 0.0  # the drawing raises: the explorer says so and keeps working
    assert "cannot draw this one: a slope of 0 has no logarithm" in capsys.readouterr().out
    explorer.controls["slope"].value = 1.0
    assert "cannot draw" not in capsys.readouterr().out


def test_rows_and_enabled_controls():
    explorer = explore(_line, rows=[["kind"], ["slope"]], enabled={"slope": lambda v: v["kind"] == "line"}, **_controls())
    rows = [child for child in explorer.box.children if isinstance(child, widgets.HBox)]
    assert [[c.description for c in row.children] for row in rows] == [[explorer.controls["kind"].description], [""]]
    assert not explorer.controls["slope"].disabled
    explorer.controls["kind"].value = "log"
    assert explorer.controls["slope"].disabled


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"draw": "f"}, TypeError, "draw must be a function"),
        ({"slope": 3}, TypeError, r"control 'slope' must be an ipywidgets control with a value .*got int"),
        ({"rows": [["slope"]]}, ValueError, r"rows must place every control exactly once"),
        ({"rows": [["slope", "kind", "kind"]]}, ValueError, r"rows must place every control exactly once"),
        ({"rows": "slope kind"}, TypeError, r"rows must be a list of lists of control names"),
        ({"enabled": {"colour": lambda v: True}}, ValueError, r"enabled names unknown control\(s\) \['colour'\]"),
        ({"enabled": {"slope": True}}, TypeError, r"enabled\['slope'\] must be a function"),
    ],
)
def test_bad_explorers_are_refused_by_name(kwargs, error, message):
    arguments = {"draw": _line} | _controls() | kwargs
    with pytest.raises(error, match=message):
        explore(**arguments)


def test_an_explorer_needs_a_control():
    with pytest.raises(ValueError, match="explore needs at least one control"):
        explore(_line)
