"""Budget allocator: one daily-spend slider per ad channel, predicted results, break-even line,
and the split of the same total that earns the most.

A channel's budget is split over its always-on campaigns in today's shares, and each campaign
earns on its own diminishing-returns curve (revenue = scale × spend ^ elasticity) fitted on
its daily last-click orders (`ads.with_last_click`), so moving a slider shows what the shop's
own history says the next ¥ buys. Under the plan, the readout shows `ads.best_allocation` of
the plan's total: the campaign budgets that maximise contribution after ads, spending less
than the total when the last ¥ would lose money. Event-only campaigns (festival blitz,
livestream boosts) are planned per event, not per day, and are left out. The chart shows each
channel's ROAS and the blended ROAS against the break-even ROAS (1 ÷ contribution margin),
which does not depend on the plan; the readout says whether the plan makes or loses money
after ad spend.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from shoplab import ads, charts
from shoplab.widgets.base import LessonWidget

BARS, BREAK_EVEN = range(2)
SLIDER_RANGE = 3.0  # sliders reach this multiple of the channel's current daily spend
# The plan's readout table: header → (column of `ads.plan`, how it is shown).
PLAN_COLUMNS = {"spend": ("spend", charts.fmt("yen")), "orders": ("orders", charts.fmt("count", 1)),
                "revenue": ("revenue", charts.fmt("yen")), "ROAS": ("roas", charts.fmt("ratio")),
                "contribution after ads": ("contribution", charts.fmt("yen"))}


def budget_allocator(campaigns: pd.DataFrame, contribution_margin: float) -> BudgetAllocator:
    """The lesson widget, starting from each channel's current daily budget.

    `campaigns` are daily campaign rows with the shop's last-click orders and revenue
    (`ads.with_last_click(ad_campaigns, orders)`).
    """
    return BudgetAllocator(campaigns, contribution_margin)


class BudgetAllocator(LessonWidget):
    """`sliders` (ad channel → daily spend ¥), `figure` and `readout`; `table()` is the plan."""

    def __init__(self, campaigns: pd.DataFrame, contribution_margin: float):
        self.curves = ads.channel_curves(campaigns)
        self.campaign_curves = {c: k for channel in self.curves.values()
                                for c, k in channel.curves.items()}
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
        super().__init__([*self.sliders.values(), self.figure, self.readout],
                         controls=self.sliders.values())

    def table(self) -> pd.DataFrame:
        """The plan the sliders describe: `ads.plan` per channel and in total, per day."""
        spend = {channel: slider.value for channel, slider in self.sliders.items()}
        return ads.plan(self.curves, spend, self.margin)

    def best(self) -> pd.Series:
        """The daily spend per campaign that earns the most with the plan's total budget."""
        total = sum(slider.value for slider in self.sliders.values())
        return ads.best_allocation(self.campaign_curves, total, self.break_even)

    def best_contribution(self) -> float:
        """Contribution after ads per day of `best()`, ¥."""
        return float(sum(self.margin * self.campaign_curves[c].revenue(s) - s
                         for c, s in self.best().items()))

    def _empty_figure(self) -> go.FigureWidget:
        names = [*self.curves, "blended"]
        ratio = charts.fmt("ratio")
        fig = go.FigureWidget()
        fig.add_trace(go.Bar(x=names, name="predicted ROAS", textposition="outside",
                             texttemplate=charts.template("y", "ratio"), cliponaxis=False))
        fig.add_trace(go.Scatter(x=names, y=[self.break_even] * len(names), mode="lines",
                                 name=f"break-even ROAS {ratio(self.break_even)}",
                                 line={"dash": "dash", "color": "crimson"}))
        fig.update_layout(height=380, margin={"t": 30}, legend=charts.LEGEND_BELOW)
        fig.update_yaxes(**charts.axis("ratio", title="ROAS (revenue ÷ spend)"))
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
        shown = pd.DataFrame({header: table[column]
                              for header, (column, _) in PLAN_COLUMNS.items()})
        formats = {header: show for header, (_, show) in PLAN_COLUMNS.items()}
        ratio, yen = charts.fmt("ratio"), charts.fmt("yen")
        split = ", ".join(f"{c} {yen(s)}" for c, s in self.best().items())
        return (
            charts.html_table(shown, formats, index_header="per day")
            + f"<p>Blended ROAS {ratio(total['roas'])} against break-even "
            f"{ratio(self.break_even)}: this plan is <b>{verdict}</b> "
            f"({yen(total['contribution'])} a day).</p>"
            f"<p>The same total split for the most profit (every campaign's marginal ROAS "
            f"equal, and not below break-even): {split} — "
            f"<b>{yen(self.best_contribution())} a day</b>.</p>"
        )
