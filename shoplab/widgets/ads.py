"""Budget allocator: one daily-spend slider per ad channel, predicted results, break-even line.

A channel's budget is split over its always-on campaigns in today's shares, and each campaign
earns on its own diminishing-returns curve (revenue = scale × spend ^ elasticity) fitted from
its daily rows in `ad_campaigns`, so moving a slider shows what the shop's own history says
the next ¥ buys. Event-only campaigns (festival blitz, livestream boosts) are planned per
event, not per day, and are left out. The chart shows each channel's ROAS and the blended
ROAS against the break-even ROAS (1 ÷ contribution margin), which does not depend on the
plan; the readout says whether the plan makes or loses money after ad spend.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from shoplab import ads

BARS, BREAK_EVEN = range(2)
SLIDER_RANGE = 3.0  # sliders reach this multiple of the channel's current daily spend


def budget_allocator(campaigns: pd.DataFrame, contribution_margin: float) -> BudgetAllocator:
    """The lesson widget, starting from each channel's current daily budget."""
    return BudgetAllocator(campaigns, contribution_margin)


class BudgetAllocator(widgets.VBox):
    """`sliders` (ad channel → daily spend ¥), `figure` and `readout`; `table()` is the plan."""

    def __init__(self, campaigns: pd.DataFrame, contribution_margin: float):
        self.curves = ads.channel_curves(campaigns)
        self.margin = contribution_margin
        self.break_even = ads.break_even_roas(contribution_margin)
        self.sliders = {
            channel: widgets.FloatSlider(
                value=round(curve.budget, -1), min=0.0,
                max=round(SLIDER_RANGE * curve.budget, -2), step=50,
                description=f"{channel} ¥/day", continuous_update=False,
                style={"description_width": "140px"}, layout=widgets.Layout(width="460px"))
            for channel, curve in self.curves.items()
        }
        self.figure = self._empty_figure()
        self.readout = widgets.HTML()
        for slider in self.sliders.values():
            slider.observe(lambda _: self._redraw(), names="value")
        self._redraw()
        super().__init__([*self.sliders.values(), self.figure, self.readout])

    def table(self) -> pd.DataFrame:
        """The plan the sliders describe: `ads.plan` per channel and in total, per day."""
        spend = {channel: slider.value for channel, slider in self.sliders.items()}
        return ads.plan(self.curves, spend, self.margin)

    def _empty_figure(self) -> go.FigureWidget:
        names = [*self.curves, "blended"]
        fig = go.FigureWidget()
        fig.add_trace(go.Bar(x=names, name="predicted ROAS"))
        fig.add_trace(go.Scatter(x=names, y=[self.break_even] * len(names), mode="lines",
                                 name=f"break-even ROAS {self.break_even:.2f}",
                                 line={"dash": "dash", "color": "crimson"}))
        fig.update_layout(height=380, margin={"t": 30}, yaxis_title="ROAS (revenue ÷ spend)",
                          legend={"orientation": "h", "y": -0.2})
        return fig

    def _redraw(self) -> None:
        table = self.table()
        roas = table["roas"].rename({"total": "blended"})
        self.figure.data[BARS].y = roas.to_list()
        self.figure.data[BARS].marker.color = [
            "#1a7f37" if value >= self.break_even else "#bc4c00" for value in roas
        ]
        self.readout.value = self._readout(table)

    def _readout(self, table: pd.DataFrame) -> str:
        total = table.loc["total"]
        verdict = (
            "profitable: ads earn back more than they cost"
            if total["contribution"] > 0 else "losing money: ads cost more than they earn back"
        )
        rows = "".join(
            f"<tr><td>{name}</td><td>¥{r.spend:,.0f}</td><td>{r.orders:,.1f}</td>"
            f"<td>¥{r.revenue:,.0f}</td><td>{r.roas:.2f}</td><td>¥{r.contribution:,.0f}</td></tr>"
            for name, r in table.iterrows()
        )
        return (
            "<table><tr><th>per day</th><th>spend</th><th>orders</th><th>revenue</th>"
            f"<th>ROAS</th><th>contribution after ads</th></tr>{rows}</table>"
            f"<p>Blended ROAS {total['roas']:.2f} against break-even {self.break_even:.2f}: "
            f"this plan is <b>{verdict}</b> (¥{total['contribution']:,.0f} a day).</p>"
        )
