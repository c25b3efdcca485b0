"""The welcome chapter's widget: the shop's daily GMV, by sales channel and date range.

Moving the date range or picking a channel redraws one FigureWidget: the line, the total in
the title, and arrows on the festivals (618, Double 11) that fall inside the chosen dates —
so a learner sees at once how much of a year's business the festivals carry, and where.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from shoplab import charts
from shoplab.widgets.base import LessonWidget, range_with_label

ALL_CHANNELS = "all channels"


def gmv_overview(orders: pd.DataFrame) -> GmvOverview:
    """The lesson widget: a channel dropdown and a date-range slider over daily GMV."""
    return GmvOverview(orders)


class GmvOverview(LessonWidget):
    """Controls (`channel`, `period`) and `figure`; `selected()` is the charted series."""

    def __init__(self, orders: pd.DataFrame):
        channels = sorted(orders["channel"].dropna().unique())
        # One daily series per choice, computed once: redrawing then only slices.
        self._daily = {ALL_CHANNELS: charts.daily_gmv(orders)}
        for channel in channels:
            self._daily[channel] = charts.daily_gmv(orders[orders["channel"] == channel])
        days = self._daily[ALL_CHANNELS].index
        self.channel = widgets.Dropdown(
            options=[ALL_CHANNELS, *channels], value=ALL_CHANNELS, description="Channel"
        )
        self.period = widgets.SelectionRangeSlider(
            options=[(day.strftime("%Y-%m-%d"), day) for day in days],
            index=(0, len(days) - 1),
            description="Dates",
            continuous_update=False,
            layout=widgets.Layout(width="75%"),
        )
        self.figure = go.FigureWidget(
            data=[go.Scatter(mode="lines", name="GMV", line={"width": 1.5},
                             hovertemplate=charts.template("y", "yen") + "<extra></extra>")],
            layout=go.Layout(height=420, margin={"t": 60, "b": 40}, hovermode="x",
                             xaxis_title="day"),
        )
        self.figure.update_yaxes(**charts.axis("yen", title="GMV"))
        super().__init__([widgets.HBox([self.channel]), range_with_label(self.period), self.figure],
                         controls=[self.channel, self.period])

    def selected(self) -> pd.Series:
        """Daily GMV for the chosen channel and dates (the numbers on the chart)."""
        start, end = self.period.value
        daily = self._daily[self.channel.value]
        return daily[(daily.index >= start) & (daily.index <= end)]

    def _redraw(self) -> None:
        daily = self.selected()
        start, end = self.period.value
        with self.figure.batch_update():
            self.figure.data[0].x = daily.index
            self.figure.data[0].y = daily.to_numpy()
            self.figure.layout.annotations = charts.festival_annotations(daily)
            self.figure.layout.title = (
                f"GMV {self.channel.value}, {start:%Y-%m-%d} to {end:%Y-%m-%d}: "
                f"{charts.fmt('yen')(daily.sum())}"
            )
