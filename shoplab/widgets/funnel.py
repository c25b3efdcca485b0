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

from shoplab import charts, funnel
from shoplab.widgets.base import LessonWidget, range_with_label

WHOLE_SHOP = "whole shop"
# Funnel bars: the count in full (never "308.036k") and the share of the stage before.
STAGE_TEXT = (charts.template("value", "count") + "<br>"
              + charts.template("percentPrevious", "percent") + " of previous")


def funnel_explorer(sessions: pd.DataFrame) -> FunnelExplorer:
    """The lesson widget: a segment dropdown and a month range over the sessions' funnel."""
    return FunnelExplorer(sessions)


def drop_off_what_if(counts: pd.Series, aov: float, step: str | None = None) -> DropOffWhatIf:
    """The lesson widget: a slider cutting `step`'s drop-off (the leakiest by default)."""
    return DropOffWhatIf(counts, aov, step)


class FunnelExplorer(LessonWidget):
    """Controls (`segment`, `period`) and `figure`, one funnel trace per segment value."""

    def __init__(self, sessions: pd.DataFrame):
        # Stage counts per month (and segment value), once: a redraw then sums a few dozen
        # rows instead of regrouping every session, so the chart follows the controls even
        # on a busy kernel. Counts add up over months, so the sums are the period's counts.
        # Only the columns counted are split (every column would copy the whole table).
        segments = [segment for segment in funnel.SEGMENTS if segment in sessions]
        sessions = sessions[[*segments, *funnel.STAGES[1:]]].assign(
            month=sessions["start_time"].dt.to_period("M"))
        splits = {WHOLE_SHOP: ["month"]} | {segment: ["month", segment] for segment in segments}
        self._monthly = {split: sessions.groupby(keys, observed=True).apply(funnel.stage_counts)
                         for split, keys in splits.items()}
        months = sorted(sessions["month"].unique())
        self.segment = widgets.Dropdown(
            options=[WHOLE_SHOP, *funnel.SEGMENTS], value=WHOLE_SHOP, description="Split by"
        )
        self.period = widgets.SelectionRangeSlider(
            options=[(str(month), month) for month in months], index=(0, len(months) - 1),
            description="Months", continuous_update=False, layout=widgets.Layout(width="75%"),
        )
        self.figure = go.FigureWidget(layout=go.Layout(
            height=440, margin={"t": 60, "l": 120}, legend_title_text="segment"))
        self.figure.update_xaxes(**charts.axis("count"))
        super().__init__([self.segment, range_with_label(self.period), self.figure],
                         controls=[self.segment, self.period])

    def counts(self) -> dict[str, pd.Series]:
        """Stage counts per segment value (or for the whole shop) in the chosen months: the
        numbers drawn."""
        start, end = self.period.value
        monthly = self._monthly[self.segment.value]
        month = monthly.index.get_level_values("month")
        chosen = monthly[(month >= start) & (month <= end)]
        if self.segment.value == WHOLE_SHOP:
            return {WHOLE_SHOP: chosen.sum().rename("sessions")}
        by_value = chosen.groupby(level=self.segment.value).sum()
        return {str(value): row.rename("sessions") for value, row in by_value.iterrows()}

    def _redraw(self) -> None:
        labels = [funnel.STAGE_LABELS[stage] for stage in funnel.STAGES]
        traces = [go.Funnel(name=name, y=labels, x=counts.tolist(), texttemplate=STAGE_TEXT,
                            hovertemplate=f"{name}<br>%{{y}}: {STAGE_TEXT}<extra></extra>")
                  for name, counts in self.counts().items()]
        start, end = self.period.value
        with self.figure.batch_update():
            self.figure.data = ()
            self.figure.add_traces(traces)
            self.figure.layout.title = f"Sessions at each stage, {start} to {end}"


class DropOffWhatIf(LessonWidget):
    """A slider for the % cut in one step's drop-off (`cut`, a fraction 0 to 1) → extra paid
    orders and GMV, in `figure` and `readout`."""

    def __init__(self, counts: pd.Series, aov: float, step: str | None = None):
        self._counts, self._aov = counts, aov
        self.step = step or funnel.leakiest_step(counts)
        self.cut = widgets.FloatSlider(
            value=0.2, min=0.0, max=1.0, step=0.05, readout_format=".0%",
            description="Cut drop-off", continuous_update=False,
        )
        self.readout = widgets.HTML()
        self.figure = go.FigureWidget(
            data=[go.Bar(x=["now", "what-if"], texttemplate=charts.template("y", "yen"),
                         textposition="auto")],
            layout=go.Layout(height=380),
        )
        self.figure.update_yaxes(**charts.axis("yen", title="GMV"))
        super().__init__([self.cut, self.readout, self.figure], controls=[self.cut])

    def result(self) -> dict:
        """Extra orders and GMV at the slider's cut (see `funnel.what_if_fewer_drop_offs`)."""
        return funnel.what_if_fewer_drop_offs(self._counts, self.step, self.cut.value, self._aov)

    def _redraw(self) -> None:
        result = self.result()
        now = float(self._counts["paid"]) * self._aov
        yen = charts.fmt("yen")
        with self.figure.batch_update():
            self.figure.data[0].y = [now, now + result["extra_gmv"]]
            self.figure.layout.title = (
                f"Cut {self.step} drop-off by {self.cut.value:.0%}: "
                f"+{yen(result['extra_gmv'])} GMV")
        self.readout.value = (
            f"Step <b>{self.step}</b>: conversion {result['old_conversion']:.1%} → "
            f"{result['new_conversion']:.1%}; <b>{result['extra_orders']:,.0f}</b> extra paid "
            f"orders × AOV {charts.fmt('yen', 2)(self._aov)} = <b>{yen(result['extra_gmv'])}</b> "
            "extra GMV.")
