"""The one shape of a lesson widget: a `VBox` of controls, a chart and a readout, redrawn whenever
a control moves — built by a function (`price_explorer(...)`), so a lesson cell is one call.

Every widget needs the same plumbing, so it is written once here: observe each control, draw
once when built, and hold the redraw while several controls are set as one change. Choosing
another SKU resets price, cost and elasticity together; redrawing after each of the three
would draw curves from a mix of the old SKU's values and the new one's — and a slider's new
bounds can clip a value that is about to be reset. Subclasses build their controls and
figure, call `LessonWidget.__init__` with the children to show and the controls to watch, and
write `_redraw`, and keep the chart in `self.figure`.

Off Jupyter (the course website) a widget cannot run: its display then also carries the
initial chart as a static plotly figure (`shoplab.notebook.static_figure`), which a page
without a kernel shows in place of the live widget.
"""

from __future__ import annotations

import contextlib

import ipywidgets as widgets

from shoplab.notebook import static_figure


class LessonWidget(widgets.VBox):
    """Base of every lesson widget: watches `controls`, redraws through `_redraw`."""

    _held = False

    def __init__(self, children, controls):
        super().__init__(list(children))
        for control in controls:
            control.observe(self._control_moved, names="value")
        self._redraw()

    @contextlib.contextmanager
    def holding_redraw(self):
        """Set several controls as one change: no redraw half-way, one redraw at the end."""
        self._held = True
        try:
            yield
        finally:
            self._held = False
        self._redraw()

    def _repr_mimebundle_(self, **kwargs):
        return {**super()._repr_mimebundle_(**kwargs), **static_figure(self.figure)}

    def _control_moved(self, _change) -> None:
        if not self._held:
            self._redraw()

    def _redraw(self) -> None:
        raise NotImplementedError(f"{type(self).__name__} must say how it redraws")


def range_with_label(slider: widgets.SelectionRangeSlider) -> widgets.HBox:
    """`slider` with the chosen range written out beside it ("2024-02-14 – 2025-12-31").

    A slider's own readout has a fixed width that clips a range of dates; the label grows.
    """
    label = widgets.Label()

    def show(_change=None) -> None:
        label.value = " – ".join(slider.label)

    slider.readout = False
    slider.observe(show, names="value")
    show()
    return widgets.HBox([slider, label], layout=widgets.Layout(width="100%"))
