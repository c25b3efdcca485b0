"""LTV explorer: move retention, the discount rate, the yearly margin and CAC; watch LTV:CAC.

The chart draws what a newly won customer is worth (first year's margin plus CLV, see
`shoplab.customers`) against yearly retention, marks the current retention, and draws the
3 × CAC line of the LTV:CAC rule of thumb: where the curve crosses it, acquisition starts to
look healthy by that rule.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go

from shoplab import charts, customers
from shoplab.widgets.base import LessonWidget

RETENTION_GRID = np.linspace(0.0, 0.95, 96)
VALUE, CURRENT, RULE = range(3)


def ltv_explorer(margin_per_year: float, retention_rate: float, cac: float) -> LtvExplorer:
    """The lesson widget, starting from the shop's own margin, retention and CAC."""
    return LtvExplorer(margin_per_year, retention_rate, cac)


class LtvExplorer(LessonWidget):
    """Controls (`retention`, `discount_rate`, `margin`, `cac`), `figure` and `readout`."""

    def __init__(self, margin_per_year: float, retention_rate: float, cac: float):
        style, layout = {"description_width": "150px"}, widgets.Layout(width="460px")
        self.retention = widgets.FloatSlider(
            value=round(retention_rate, 2), min=0.0, max=0.95, step=0.01,
            description="Yearly retention", readout_format=".0%", style=style, layout=layout,
            continuous_update=False)
        self.discount_rate = widgets.FloatSlider(
            value=customers.DISCOUNT_RATE, min=0.0, max=0.3, step=0.01,
            description="Discount rate / year", readout_format=".0%", style=style,
            layout=layout, continuous_update=False)
        self.margin = widgets.FloatSlider(
            value=round(margin_per_year), min=0.0, max=3 * round(margin_per_year), step=1,
            description="Margin ¥ / year", style=style, layout=layout, continuous_update=False)
        self.cac = widgets.FloatSlider(
            value=round(cac), min=1.0, max=3 * round(cac), step=1, description="CAC ¥",
            style=style, layout=layout, continuous_update=False)
        self.readout = widgets.HTML()
        self.figure = _empty_figure()
        controls = [self.retention, self.discount_rate, self.margin, self.cac]
        super().__init__([*controls, self.figure, self.readout], controls=controls)

    def value(self, retention):
        """A new customer's value at each retention, with the current margin and discount."""
        return np.array([customers.new_customer_value(self.margin.value, r,
                                                      self.discount_rate.value)
                         for r in np.atleast_1d(retention)])

    def ltv_to_cac(self) -> float:
        return float(self.value(self.retention.value)[0]) / self.cac.value

    def _redraw(self) -> None:
        now = float(self.value(self.retention.value)[0])
        rule = customers.LTV_CAC_RULE_OF_THUMB * self.cac.value
        with self.figure.batch_update():
            self.figure.data[VALUE].x, self.figure.data[VALUE].y = (
                RETENTION_GRID, self.value(RETENTION_GRID))
            self.figure.data[CURRENT].x, self.figure.data[CURRENT].y = (
                [self.retention.value], [now])
            self.figure.data[RULE].x = [RETENTION_GRID[0], RETENTION_GRID[-1]]
            self.figure.data[RULE].y = [rule, rule]
        ratio = self.ltv_to_cac()
        verdict = ("meets" if ratio >= customers.LTV_CAC_RULE_OF_THUMB else "falls short of")
        yen = charts.fmt("yen")
        self.readout.value = (
            f"A new customer is worth {yen(now)} (first year's margin plus CLV); CAC is "
            f"{yen(self.cac.value)}. LTV:CAC = {charts.fmt('ratio')(ratio)}:1, which {verdict} "
            "the 3:1 rule of thumb.")


def _empty_figure() -> go.FigureWidget:
    fig = go.Figure()
    fig.add_trace(go.Scatter(name="value of a new customer",
                             hovertemplate=charts.template("y", "yen") + "<extra></extra>"))
    fig.add_trace(go.Scatter(name="current retention", mode="markers",
                             marker={"size": 14, "color": "black"}))
    fig.add_trace(go.Scatter(name="3 × CAC (rule of thumb)", mode="lines",
                             line={"dash": "dash", "color": "crimson"}))
    fig.update_layout(height=400, margin={"t": 30}, legend=charts.LEGEND_BELOW)
    fig.update_xaxes(**charts.axis("percent", title="yearly retention"))
    fig.update_yaxes(**charts.axis("yen", title="value per customer"))
    return go.FigureWidget(fig)
