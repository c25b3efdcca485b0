"""Shop health dashboard: pick a month and what to read it against, see every indicator move.

The top panel shows each indicator's change against the comparison month (the previous month,
环比, or the same month last year, 同比), green where the shop did better (a bounce rate that
falls); the bottom panel is GMV's bridge from the comparison
month to the chosen one through its three drivers (`dashboard.gmv_drivers`: visits,
conversion rate, AOV), so the bar that pulls down is the driver to look at first. The readout
is the indicator table itself. A month with no comparison month in the data (the first month;
a 2024 month has no year before) shows an empty chart and says so.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from shoplab import charts, dashboard
from shoplab.widgets.base import LessonWidget

CHANGES, BRIDGE = range(2)
DRIVER_NAMES = {"visits": "visits", "conversion_rate": "conversion rate", "aov": "AOV"}


def health_dashboard(table: pd.DataFrame, month: str,
                     compare: str = "same month last year") -> HealthDashboard:
    """The lesson widget over `dashboard.monthly`'s table, opened at `month`."""
    return HealthDashboard(table, month, compare)


class HealthDashboard(LessonWidget):
    """Controls (`month`, `compare`), `figure` and `readout` (the indicator table)."""

    def __init__(self, table: pd.DataFrame, month: str, compare: str):
        self.table = table
        style, layout = {"description_width": "110px"}, widgets.Layout(width="340px")
        self.month = widgets.Dropdown(options=list(table.index[1:]), value=month,
                                      description="Month", style=style, layout=layout)
        self.compare = widgets.Dropdown(options=list(dashboard.COMPARISONS), value=compare,
                                        description="Read against", style=style, layout=layout)
        self.readout = widgets.HTML()
        self.figure = _empty_figure()
        controls = [self.month, self.compare]
        super().__init__([widgets.HBox(controls), self.figure, self.readout], controls=controls)

    def other_month(self) -> str:
        return str(dashboard.compared_with(self.month.value)[self.compare.value])

    def health(self) -> pd.DataFrame:
        """The chosen month, its comparison month and the change, one row per indicator."""
        return dashboard.health_table(self.table, self.month.value)[
            ["kind", self.month.value, self.compare.value, f"change vs {self.compare.value}"]]

    def _redraw(self) -> None:
        other = self.other_month()
        names = [name for name, _, _ in dashboard.INDICATORS]
        if other not in self.table.index:
            with self.figure.batch_update():
                self.figure.data[CHANGES].x, self.figure.data[CHANGES].y = [], []
                self.figure.data[BRIDGE].x, self.figure.data[BRIDGE].y = [], []
            self.readout.value = (f"The data has no {other} to read {self.month.value} against "
                                  "(it starts in January 2024): pick another month or "
                                  "comparison.")
            return
        health = self.health()
        change = health[f"change vs {self.compare.value}"]
        drivers = dashboard.gmv_drivers(self.table.loc[other], self.table.loc[self.month.value])
        with self.figure.batch_update():
            self.figure.data[CHANGES].x = names
            self.figure.data[CHANGES].y = change.to_list()
            self.figure.data[CHANGES].marker.color = [  # green is better, whichever the sign
                "seagreen" if (value <= 0 if name in dashboard.LOWER_IS_BETTER else value >= 0)
                else "crimson" for name, value in change.items()]
            self.figure.data[BRIDGE].x = [f"GMV {other}", *DRIVER_NAMES.values(),
                                          f"GMV {self.month.value}"]
            self.figure.data[BRIDGE].y = [float(self.table.loc[other, "gmv"]),
                                          *drivers.to_list(), 0.0]
        self.readout.value = _table_html(health, self.month.value, other, self.compare.value)


def _table_html(health: pd.DataFrame, month: str, other: str, compare: str) -> str:
    units = {name: unit for name, _, unit in dashboard.INDICATORS}
    pct = charts.fmt("percent")
    cell = "padding:2px 12px;text-align:right"
    rows = "".join(
        f"<tr><td style='padding:2px 12px'>{row['kind']}</td>"
        f"<td style='padding:2px 12px'>{name}</td>"
        f"<td style='{cell}'>{charts.fmt(units[name])(row[month])}</td>"
        f"<td style='{cell}'>{charts.fmt(units[name])(row[compare])}</td>"
        f"<td style='{cell}'>{('+' if row.iloc[-1] >= 0 else '')}{pct(row.iloc[-1])}</td></tr>"
        for name, row in health.iterrows())
    head = "".join(f"<th style='{cell}'>{h}</th>" for h in (month, other, "change"))
    return (f"<table style='border-collapse:collapse'><tr><th style='padding:2px 12px'>kind</th>"
            f"<th style='padding:2px 12px'>indicator</th>{head}</tr>{rows}</table>")


def _empty_figure() -> go.FigureWidget:
    fig = make_subplots(rows=2, cols=1, vertical_spacing=0.22, subplot_titles=(
        "change of each indicator", "GMV's bridge: what each driver added or took"))
    fig.add_trace(go.Bar(name="change", hovertemplate="%{x}: "
                         + charts.template("y", "percent") + "<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Waterfall(name="GMV", measure=["absolute", "relative", "relative",
                                                    "relative", "total"],
                               hovertemplate="%{x}: " + charts.template("y", "yen")
                               + "<extra></extra>"), row=2, col=1)
    fig.update_layout(height=620, margin={"t": 40}, showlegend=False)
    fig.update_yaxes(**{**charts.axis("percent"), "rangemode": "normal"}, row=1, col=1)
    fig.update_yaxes(**charts.axis("yen", title="¥"), row=2, col=1)
    return go.FigureWidget(fig)
