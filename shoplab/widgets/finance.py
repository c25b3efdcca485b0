"""P&L what-if: move price, ad budget, commission and return rate, watch the waterfall redraw.

The waterfall starts from the shop's GMV and steps down through every line of the books' P&L
(`books.pnl_by_month`, summed over the period shown) to the operating profit; each move of a
slider reruns `finance.what_if` on those lines, so the widget applies the chapter's one
what-if model, and the readout compares the new profit with the books' actual one.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from shoplab import charts, finance
from shoplab.widgets.base import LessonWidget

# the waterfall's bars, in the P&L's order, with the learner-facing name of each line
BARS = {
    "gmv": "GMV", "refunds": "refunds", "product_cost": "product cost",
    "commission": "commission", "payment_fees": "payment fees", "net_shipping": "shipping",
    "gifts": "gifts", "ad_spend": "ad spend", "livestream_fees": "livestream fees",
    "kol_commission": "KOL commission", "fixed_costs": "fixed costs",
}


def pnl_what_if(pnl: pd.DataFrame, *, elasticity: float, ad_share: float,
                ad_exponent: float) -> PnlWhatIf:
    """The lesson widget: four sliders, a waterfall of the P&L and a readout.

    `pnl` is `books.pnl_by_month` for the months to show; `elasticity`, `ad_share` (share of
    GMV the ads drive) and `ad_exponent` are the what-if model's assumptions."""
    return PnlWhatIf(pnl, elasticity=elasticity, ad_share=ad_share, ad_exponent=ad_exponent)


class PnlWhatIf(LessonWidget):
    """Controls (`price`, `ad_budget`, `commission`, `returns`), `figure` and `readout`."""

    def __init__(self, pnl: pd.DataFrame, *, elasticity: float, ad_share: float,
                 ad_exponent: float):
        self.lines = pnl.sum()
        self._model = {"elasticity": elasticity, "ad_share": ad_share, "ad_exponent": ad_exponent}
        style = {"description_width": "150px"}
        layout = widgets.Layout(width="460px")

        def slider(description, low, high, step):
            return widgets.FloatSlider(value=0.0, min=low, max=high, step=step,
                                       description=description, readout_format="+.0%",
                                       style=style, layout=layout, continuous_update=False)

        self.price = slider("Price change", -0.2, 0.2, 0.01)
        self.ad_budget = slider("Ad budget change", -0.5, 0.5, 0.05)
        self.commission = slider("Commission + pts", 0.0, 0.05, 0.005)
        self.returns = slider("Return rate + pts", 0.0, 0.05, 0.005)
        self.commission.readout_format = self.returns.readout_format = ".1%"
        self.readout = widgets.HTML()
        self.figure = go.FigureWidget(go.Figure(go.Waterfall(
            x=[*BARS.values(), "operating profit"], measure=["absolute"]
            + ["relative"] * (len(BARS) - 1) + ["total"],
            hovertemplate="%{x}: " + charts.template("y", "yen") + "<extra></extra>")))
        self.figure.update_layout(height=440, margin={"t": 30}, showlegend=False)
        self.figure.update_yaxes(**charts.axis("yen", title="¥ over the period"))
        controls = [self.price, self.ad_budget, self.commission, self.returns]
        super().__init__([*controls, self.figure, self.readout], controls=controls)

    def scenario(self) -> pd.Series:
        """The P&L's lines under the sliders' values."""
        return finance.what_if(
            self.lines, price_change=self.price.value, ad_budget_change=self.ad_budget.value,
            commission_points=self.commission.value, return_points=self.returns.value,
            **self._model)

    def _redraw(self) -> None:
        lines = self.scenario()
        self.figure.data[0].y = [*(lines[name] for name in BARS), lines["net_profit"]]
        yen = charts.fmt("yen")
        change = lines["net_profit"] - self.lines["net_profit"]
        self.readout.value = (
            f"Operating profit {yen(lines['net_profit'])} "
            f"({'+' if change >= 0 else '−'}{yen(abs(change))} vs the books' "
            f"{yen(self.lines['net_profit'])}), "
            f"{lines['net_profit'] / lines['gmv']:.1%} of GMV {yen(lines['gmv'])}.")
