"""Chapter 02's widget: the Pareto / ABC explorer.

Pick the metric SKUs are ranked by (revenue, units or contribution) and where A ends and B
ends; the chart redraws the SKUs largest first, coloured by class, with the cumulative share as
a line, and the title counts the SKUs in each class. A learner sees that the A list depends on
the metric (units favour the cheap SKUs, contribution the profitable ones) and how the class
counts move with the thresholds.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from shoplab import charts, products
from shoplab.widgets.base import LessonWidget

METRICS = {"revenue": "yen", "units": "count", "contribution": "yen"}
CLASS_COLOURS = {"A": "#1f77b4", "B": "#ff7f0e", "C": "#b0b0b0"}


def pareto_explorer(totals: pd.DataFrame) -> ParetoExplorer:
    """The lesson widget over `products.sku_totals(...)`: a metric and the two thresholds."""
    return ParetoExplorer(totals)


class ParetoExplorer(LessonWidget):
    """Controls `metric`, `a_threshold`, `b_threshold`; `classes()` is what the chart shows."""

    def __init__(self, totals: pd.DataFrame):
        self._totals = totals
        self.metric = widgets.Dropdown(options=list(METRICS), value="revenue",
                                       description="rank by")
        a, b = products.ABC_THRESHOLDS
        self.a_threshold = widgets.FloatSlider(value=a, min=0.5, max=0.95, step=0.05,
                                               description="A up to", continuous_update=False,
                                               readout_format=".0%")
        self.b_threshold = widgets.FloatSlider(value=b, min=0.6, max=1.0, step=0.01,
                                               description="B up to", continuous_update=False,
                                               readout_format=".0%")
        self.figure = go.FigureWidget(
            data=[go.Bar(name="SKU"), go.Scatter(name="cumulative share", yaxis="y2",
                                                 mode="lines+markers")],
            layout=go.Layout(height=440, margin={"t": 60}, showlegend=False,
                             yaxis2={"overlaying": "y", "side": "right", "range": [0, 1.02],
                                     "tickformat": ".0%", "title": "cumulative share"}),
        )
        controls = [self.metric, self.a_threshold, self.b_threshold]
        super().__init__([widgets.HBox(controls), self.figure], controls=controls)

    def classes(self) -> pd.DataFrame:
        """The Pareto table of the chosen metric with each SKU's class, largest first."""
        values = self._totals[self.metric.value]
        a = self.a_threshold.value
        b = max(self.b_threshold.value, a)  # B cannot end before A does
        table = products.pareto(values.clip(lower=0))
        return table.assign(abc=products.abc_classes(values, (a, b)))

    def _redraw(self) -> None:
        table = self.classes()
        counts = table["abc"].value_counts().reindex(list(CLASS_COLOURS), fill_value=0)
        unit = METRICS[self.metric.value]
        with self.figure.batch_update():
            bars, line = self.figure.data
            bars.x, bars.y = list(table.index), table["value"].to_numpy()
            bars.marker.color = [CLASS_COLOURS[c] for c in table["abc"]]
            bars.hovertemplate = "%{x}: " + charts.template("y", unit) + "<extra></extra>"
            line.x, line.y = list(table.index), table["cumulative"].to_numpy()
            self.figure.layout.yaxis.update(**charts.axis(unit, title=self.metric.value))
            self.figure.layout.title = (
                f"By {self.metric.value}: {counts['A']} A, {counts['B']} B, {counts['C']} C SKUs "
                f"(A carry {table.loc[table['abc'] == 'A', 'share'].sum():.0%})")
