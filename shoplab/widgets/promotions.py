"""满减 designer: threshold and reduction sliders over the shop's basket distribution.

The top panel is the histogram of the baskets (gross ¥) with the threshold marked; the bottom
panel the effective discount a buyer gets at each basket size. The readout gives what the rule
does to the shop (`promotions.rule_outcome`): the effective discount on the baskets that get
the reduction, the share of baskets that move up to the threshold, the AOV and the
contribution left per basket against no promotion.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from shoplab import charts, promotions
from shoplab.widgets.base import LessonWidget

BASKETS, CURVE = range(2)


def threshold_designer(baskets: pd.Series, contribution_margin: float, top_up_gap: float,
                       top_up_rate: float) -> ThresholdDesigner:
    """The lesson widget over gross basket values (¥) of orders placed without a promotion."""
    return ThresholdDesigner(baskets, contribution_margin, top_up_gap, top_up_rate)


class ThresholdDesigner(LessonWidget):
    """Controls (`threshold`, `reduction`), `figure` and `readout`."""

    def __init__(self, baskets: pd.Series, contribution_margin: float, top_up_gap: float,
                 top_up_rate: float):
        self.baskets, self.margin = baskets, contribution_margin
        self.top_up = (top_up_gap, top_up_rate)
        style, layout = {"description_width": "120px"}, widgets.Layout(width="460px")
        self.threshold = widgets.IntSlider(value=299, min=99, max=999, step=10,
                                           description="Threshold ¥", style=style,
                                           layout=layout, continuous_update=False)
        self.reduction = widgets.IntSlider(value=30, min=5, max=150, step=5,
                                           description="Reduction ¥", style=style,
                                           layout=layout, continuous_update=False)
        self.readout = widgets.HTML()
        self.figure = _empty_figure(baskets)
        controls = [self.threshold, self.reduction]
        super().__init__([*controls, self.figure, self.readout], controls=controls)

    def outcome(self) -> dict:
        return promotions.rule_outcome(self.baskets, self.threshold.value, self.reduction.value,
                                       self.margin, *self.top_up)

    def _redraw(self) -> None:
        t, r = self.threshold.value, self.reduction.value
        sizes = np.arange(20.0, float(self.baskets.quantile(0.95)), 5.0)
        with self.figure.batch_update():
            self.figure.data[CURVE].x = sizes
            self.figure.data[CURVE].y = promotions.effective_discount(sizes, t, r)
            self.figure.layout.shapes[0].x0 = self.figure.layout.shapes[0].x1 = t
        out = self.outcome()
        none = promotions.rule_outcome(self.baskets, t, 0, self.margin, 0.0, 0.0)
        yuan, pct = charts.fmt("yen"), charts.fmt("percent")
        change = out["contribution_per_basket"] - none["contribution_per_basket"]
        self.readout.value = (
            f"满{t}减{r}: the baskets that get it pay {pct(out['effective_discount'])} less; "
            f"{pct(out['moved_up'])} of baskets move up to the threshold. AOV "
            f"{yuan(none['aov'])} → {yuan(out['aov'])}; contribution per basket "
            f"{yuan(none['contribution_per_basket'])} → {yuan(out['contribution_per_basket'])} "
            f"({'+' if change >= 0 else '−'}{yuan(abs(change))}).")


def _empty_figure(baskets: pd.Series) -> go.FigureWidget:
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    shown = baskets[baskets <= baskets.quantile(0.95)]
    fig.add_trace(go.Histogram(x=shown, xbins={"size": 10}, name="baskets",
                               hovertemplate="¥%{x}: %{y} baskets<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Scatter(name="effective discount", mode="lines",
                             hovertemplate=charts.template("y", "percent") + "<extra></extra>"),
                  row=2, col=1)
    fig.add_shape(type="line", x0=0, x1=0, y0=0, y1=1, yref="paper",
                  line={"dash": "dash", "color": "crimson"})
    fig.update_layout(height=480, margin={"t": 30}, legend=charts.LEGEND_BELOW, bargap=0.05)
    fig.update_xaxes(title="basket, gross ¥", row=2, col=1)
    fig.update_yaxes(title="baskets", row=1, col=1)
    fig.update_yaxes(**charts.axis("percent", title="effective discount"), row=2, col=1)
    return go.FigureWidget(fig)
