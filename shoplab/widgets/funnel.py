"""Chapter 08's widgets: the funnel by segment and dates, and a what-if on the leakiest step.

`FunnelExplorer` redraws a plotly funnel when the learner picks a segment (device, traffic
source, new vs returning) or a date range, so the leak is seen where it happens.
`DropOffWhatIf` turns "cut the leakiest step's drop-off by x %" into extra paid orders and
extra GMV at the shop's own AOV — the size of the prize for fixing that step.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from shoplab import funnel

WHOLE_SHOP = "whole shop"


class FunnelExplorer:
    """Segment dropdown + month-range slider driving a funnel chart (one trace per segment).

    `segment`, `period` and `figure` are public so tests can move the controls from code.
    """

    def __init__(self, sessions: pd.DataFrame):
        self._sessions = sessions.assign(month=sessions["start_time"].dt.to_period("M"))
        months = sorted(self._sessions["month"].unique())
        self.segment = widgets.Dropdown(
            options=[WHOLE_SHOP, *funnel.SEGMENTS], value=WHOLE_SHOP, description="Split by"
        )
        self.period = widgets.SelectionRangeSlider(
            options=[(str(month), month) for month in months], index=(0, len(months) - 1),
            description="Months", continuous_update=False, layout=widgets.Layout(width="95%"),
        )
        self.figure = go.FigureWidget(layout=go.Layout(
            height=440, margin={"t": 60, "l": 120}, legend_title_text="segment"))
        self.segment.observe(self._redraw, names="value")
        self.period.observe(self._redraw, names="value")
        self._redraw()
        self.box = widgets.VBox([self.segment, self.period, self.figure])

    def selected(self) -> pd.DataFrame:
        """The sessions in the chosen months."""
        start, end = self.period.value
        month = self._sessions["month"]
        return self._sessions[(month >= start) & (month <= end)]

    def counts(self) -> dict[str, pd.Series]:
        """Stage counts per segment value (or for the whole shop): the numbers drawn."""
        chosen = self.selected()
        if self.segment.value == WHOLE_SHOP:
            return {WHOLE_SHOP: funnel.stage_counts(chosen)}
        return {str(value): funnel.stage_counts(group)
                for value, group in chosen.groupby(self.segment.value)}

    def _redraw(self, _change=None) -> None:
        labels = [funnel.STAGE_LABELS[stage] for stage in funnel.STAGES]
        traces = [go.Funnel(name=name, y=labels, x=counts.tolist(),
                            textinfo="value+percent previous")
                  for name, counts in self.counts().items()]
        start, end = self.period.value
        with self.figure.batch_update():
            self.figure.data = ()
            self.figure.add_traces(traces)
            self.figure.layout.title = f"Sessions at each stage, {start} to {end}"

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)


class DropOffWhatIf:
    """A slider for the % cut in one step's drop-off → extra paid orders and GMV.

    `cut` (a fraction, 0 to 1), `figure` and `readout` are public for tests.
    """

    def __init__(self, counts: pd.Series, aov: float, step: str | None = None):
        self._counts, self._aov = counts, aov
        self.step = step or funnel.leakiest_step(counts)
        self.cut = widgets.FloatSlider(
            value=0.2, min=0.0, max=1.0, step=0.05, readout_format=".0%",
            description="Cut drop-off", continuous_update=False,
        )
        self.readout = widgets.HTML()
        self.figure = go.FigureWidget(
            data=[go.Bar(x=["now", "what-if"], texttemplate="¥%{y:,.0f}", textposition="auto")],
            layout=go.Layout(height=380, yaxis_title="GMV (¥)", yaxis_tickformat=",.0f"),
        )
        self.cut.observe(self._redraw, names="value")
        self._redraw()
        self.box = widgets.VBox([self.cut, self.readout, self.figure])

    def result(self) -> dict:
        """Extra orders and GMV at the slider's cut (see `funnel.what_if_fewer_drop_offs`)."""
        return funnel.what_if_fewer_drop_offs(self._counts, self.step, self.cut.value, self._aov)

    def _redraw(self, _change=None) -> None:
        result = self.result()
        now = float(self._counts["paid"]) * self._aov
        with self.figure.batch_update():
            self.figure.data[0].y = [now, now + result["extra_gmv"]]
            self.figure.layout.title = (
                f"Cut {self.step} drop-off by {self.cut.value:.0%}: "
                f"+¥{result['extra_gmv']:,.0f} GMV")
        self.readout.value = (
            f"Step <b>{self.step}</b>: conversion {result['old_conversion']:.1%} → "
            f"{result['new_conversion']:.1%}; <b>{result['extra_orders']:,.0f}</b> extra paid "
            f"orders × AOV ¥{self._aov:,.2f} = <b>¥{result['extra_gmv']:,.0f}</b> extra GMV.")

    def _ipython_display_(self):
        from IPython.display import display

        display(self.box)
