"""The Double 11 plan simulator: set every lever of a plan, run the shop on it, see its score.

The controls are the plan's fields (`shoplab.capstone`): the stock of each top SKU, each
campaign's budget, the 满减's threshold and reduction, and one priceable SKU with its price.
Every move runs the plan through the same functions the grader runs — `capstone.simulate`,
`capstone.score` and `capstone.warnings` — so what the widget shows is what 13.7 will score:
the top panel sets the plan's expected profit beside last year's, the bottom one marks the
share of the way to the course optimiser on the bands of the score rule, and the readout
names the band reached and every warning. It opens on last year's plan
(`capstone.baseline_plan`) and never shows the optimiser's plan: finding it is the exercise.
"""

from __future__ import annotations

import ipywidgets as widgets
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from shoplab import capstone, charts
from shoplab.shopgen import model
from shoplab.widgets.base import LessonWidget

PROFITS, SHARE = range(2)
STOCK_TOP = 2.0  # a stock slider reaches twice last year's stock
BUDGET_TOP = 3.0  # a budget slider reaches three times last year's (the ad response ends there)
LEAST_TOP = {"stock": 100.0, "budget": 5000.0}  # a slider's top when the start plan has none
REDUCTION_STEP = 5.0  # ¥ a step of the 满减 reduction slider
SHARE_VIEW = (-0.25, 1.15)  # the share axis; a plan beyond it sits at the edge, labelled true
STYLE, WIDE = {"description_width": "80px"}, widgets.Layout(width="300px")


def plan_simulator(start: dict | None = None) -> PlanSimulator:
    """The lesson widget, opened on `start` (last year's plan unless given)."""
    return PlanSimulator(capstone.normalise(start or capstone.baseline_plan()))


def _slider(description: str, value: float, top: float, step: float) -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=0.0, max=max(top, value), step=step,
                               description=description, readout_format=",.0f",
                               continuous_update=False, style=STYLE, layout=WIDE)


class PlanSimulator(LessonWidget):
    """Controls (`stock`, `budget` per SKU / campaign, `threshold`, `reduction`, `price_sku`,
    `price`), `figure`, `readout`; `plan()` is the plan they set, `score()` its score."""

    def __init__(self, start: dict):
        self.list_price = model.sku_table()["list_price"]
        self.stock = {sku: _slider(sku, units, max(STOCK_TOP * units, LEAST_TOP["stock"]), 1.0)
                      for sku, units in start["stock"].items()}
        budgets = {c: start["ad_budget"].get(c, 0.0) for c in capstone.CAMPAIGNS}
        self.budget = {c: _slider(c, yuan, max(BUDGET_TOP * yuan, LEAST_TOP["budget"]), 10.0)
                       for c, yuan in budgets.items()}
        promo = start["promotion"]
        self.threshold = widgets.FloatSlider(
            value=promo["threshold"], min=min(capstone.THRESHOLDS), max=max(capstone.THRESHOLDS),
            step=10.0, description="每满 ¥", readout_format=",.0f", continuous_update=False,
            style=STYLE, layout=WIDE)
        self.reduction = widgets.FloatSlider(  # below the lowest threshold: always a valid 满减
            value=promo["reduction"], min=0.0, max=min(capstone.THRESHOLDS) - REDUCTION_STEP,
            step=REDUCTION_STEP,
            description="减 ¥", readout_format=",.0f", continuous_update=False, style=STYLE,
            layout=WIDE)
        self.price_sku = widgets.Dropdown(options=list(capstone.PRICEABLE),
                                          value=start["price"]["sku"], description="priced SKU",
                                          style=STYLE, layout=WIDE)
        self.price = widgets.FloatSlider(step=1.0, description="price ¥", readout_format=",.0f",
                                         continuous_update=False, style=STYLE, layout=WIDE)
        self._price_range(start["price"]["sku"], start["price"]["price"])
        self.price_sku.observe(self._sku_chosen, names="value")
        self.readout = widgets.HTML()
        self.figure = _empty_figure()
        columns = widgets.HBox([
            _column("Stock (units on hand)", list(self.stock.values())),
            _column("Ad budget (¥ over the festival)", list(self.budget.values())),
            _column("满减 and price", [self.threshold, self.reduction, self.price_sku,
                                       self.price])])
        controls = [*self.stock.values(), *self.budget.values(), self.threshold, self.reduction,
                    self.price]
        super().__init__([columns, self.figure, self.readout], controls=controls)

    def _price_range(self, sku: str, price: float) -> None:
        low, high = capstone.TESTED_PRICES[sku]  # a plan's price stays within its test's
        self.price.min, self.price.max = 0.0, max(high, price)  # widen before narrowing
        self.price.min, self.price.value = min(low, price), price

    def _sku_chosen(self, change) -> None:
        """Another SKU to price starts at its list price, on its own range: one redraw."""
        with self.holding_redraw():
            self._price_range(change["new"], float(self.list_price[change["new"]]))

    def plan(self) -> dict:
        """The plan the controls set, in the form `capstone.simulate` takes."""
        return {"stock": {sku: s.value for sku, s in self.stock.items()},
                "ad_budget": {c: s.value for c, s in self.budget.items()},
                "promotion": {"threshold": self.threshold.value,
                              "reduction": self.reduction.value},
                "price": {"sku": self.price_sku.value, "price": self.price.value}}

    def score(self) -> capstone.Score:
        return capstone.score(self.plan())

    def _redraw(self) -> None:
        plan = self.plan()
        try:
            score, found = capstone.score(plan), capstone.warnings(plan)
        except capstone.PlanError as error:  # the controls' ranges keep plans valid; if not:
            self.readout.value = f"<b>This plan cannot be run:</b> {error}"
            return
        shown = min(max(score.share, SHARE_VIEW[0]), SHARE_VIEW[1])
        yen, pct = charts.fmt("yen"), charts.fmt("percent", 0)
        with self.figure.batch_update():
            bars = self.figure.data[PROFITS]
            bars.x = [score.baseline, score.profit]
            bars.text = [yen(score.baseline), yen(score.profit)]
            bars.marker.color = ["grey", "seagreen" if score.profit > score.baseline
                                 else "crimson"]
            self.figure.data[SHARE].x = [shown]
            self.figure.data[SHARE].text = [pct(score.share)]
            sku, price = plan["price"]["sku"], plan["price"]["price"]
            self.figure.layout.title.text = (  # the priced SKU is part of the plan shown
                f"this plan: {sku} priced at {yen(price)} ({pct(price / self.list_price[sku])} "
                f"of its list price), 每满{plan['promotion']['threshold']:,.0f}"
                f"减{plan['promotion']['reduction']:,.0f}")
        self.readout.value = _readout_html(score, found)


def _column(title: str, children: list) -> widgets.VBox:
    return widgets.VBox([widgets.HTML(f"<b>{title}</b>"), *children])


def _band_reached(score: capstone.Score) -> str:
    reached = [name for name, ok in score.bands.items() if ok]
    return capstone.BAND_WORDS[reached[-1]] if reached else "no band yet"


def _readout_html(score: capstone.Score, found: list[str]) -> str:
    yen = charts.fmt("yen")
    change = score.profit - score.baseline
    head = (f"Expected profit <b>{yen(score.profit)}</b> ({'+' if change >= 0 else ''}"
            f"{yen(change)} on last year's plan): {charts.fmt('percent', 0)(score.share)} of the "
            f"way to the course optimiser's profit, band reached: <b>{_band_reached(score)}</b>.")
    items = "".join(f"<li>{w}</li>" for w in found) or "<li>none</li>"
    return f"{head}<br>Warnings:<ul style='margin:2px 0'>{items}</ul>"


def _empty_figure() -> go.FigureWidget:
    fig = make_subplots(rows=2, cols=1, row_heights=[0.6, 0.4], vertical_spacing=0.3,
                        subplot_titles=("expected profit: last year's plan and this plan",
                                        "share of the way from last year's plan to the "
                                        "optimiser's, on the score's bands"))
    fig.add_trace(go.Bar(orientation="h", y=["last year's plan", "this plan"],
                         textposition="auto", hovertemplate="%{y}: "
                         + charts.template("x", "yen") + "<extra></extra>"), row=1, col=1)
    fig.add_trace(go.Scatter(y=["this plan"], mode="markers+text", textposition="top center",
                             marker={"size": 16, "symbol": "diamond", "color": "navy"},
                             hovertemplate="share %{text}<extra></extra>"), row=2, col=1)
    for _, low in capstone.BANDS:
        fig.add_vline(x=low, line_dash="dot", line_color="grey", row=2, col=1)
    fig.update_xaxes(**charts.axis("yen", title="¥"), row=1, col=1)
    fig.update_xaxes(range=list(SHARE_VIEW), zeroline=False, tickfont={"size": 10},
                     tickvals=[low for _, low in capstone.BANDS],
                     ticktext=[f"{low:.0%}<br>{name.replace('_', ' ')}"
                               for name, low in capstone.BANDS], row=2, col=1)
    fig.update_yaxes(showticklabels=False, row=2, col=1)
    fig.update_layout(height=500, margin={"t": 90}, showlegend=False,
                      title={"font": {"size": 13}})
    return go.FigureWidget(fig)
