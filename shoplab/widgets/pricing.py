"""Price explorer: move the price, the unit cost and the elasticity, watch profit respond.

Demand is a constant-elasticity curve through one anchor point — the SKU's list price and the
weekly units the price test's fit predicts there — so moving the elasticity slider swings the
curve around that point. The figure shows weekly demand, revenue and gross profit against
price, marks the current price and the profit-maximising price from the markup rule, and the
readout compares the two.
"""

from __future__ import annotations

import math

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from shoplab import pricing

GRID_POINTS = 300
DEMAND, REVENUE, PROFIT, CURRENT, OPTIMUM = range(5)


def price_explorer(products: pd.DataFrame, price_tests: pd.DataFrame) -> PriceExplorer:
    """The lesson widget: a SKU dropdown (tested SKUs), three sliders, a chart and a readout."""
    return PriceExplorer(products, price_tests)


class PriceExplorer(widgets.VBox):
    """Controls (`sku`, `price`, `unit_cost`, `elasticity`), `figure` and `readout`."""

    def __init__(self, products: pd.DataFrame, price_tests: pd.DataFrame):
        fitted = pricing.fit_demand(price_tests)
        catalogue = products.set_index("sku")
        self._start = {
            sku: {
                "price": float(catalogue.at[sku, "list_price"]),
                "unit_cost": float(catalogue.at[sku, "unit_cost"]),
                "elasticity": round(float(row.elasticity), 2),
                "units": float(pricing.constant_elasticity_units(
                    catalogue.at[sku, "list_price"], row.scale, row.elasticity)),
                "name": str(catalogue.at[sku, "name"]),
            }
            for sku, row in fitted.iterrows()
        }
        self.sku = widgets.Dropdown(
            options=[(f"{sku} {s['name']}", sku) for sku, s in self._start.items()],
            description="Start from",
        )
        style = {"description_width": "110px"}
        layout = widgets.Layout(width="420px")
        self.price = widgets.FloatSlider(description="Price ¥", step=1, style=style,
                                         layout=layout, continuous_update=False)
        self.unit_cost = widgets.FloatSlider(description="Unit cost ¥", step=1, style=style,
                                             layout=layout, continuous_update=False)
        self.elasticity = widgets.FloatSlider(description="Elasticity", min=-5, max=-0.2,
                                              step=0.05, style=style, layout=layout,
                                              continuous_update=False)
        self.readout = widgets.HTML()
        self.figure = _empty_figure()
        self._loading = False
        self._load_sku()
        self.sku.observe(lambda _: self._load_sku(), names="value")
        for control in (self.price, self.unit_cost, self.elasticity):
            control.observe(lambda _: self._redraw(), names="value")
        super().__init__([self.sku, self.price, self.unit_cost, self.elasticity,
                          self.figure, self.readout])

    @property
    def anchor(self) -> dict:
        return self._start[self.sku.value]

    def _load_sku(self) -> None:
        """Reset the sliders to the chosen SKU's list price, cost and fitted elasticity."""
        start = self.anchor
        self._loading = True
        try:
            for slider, top in ((self.price, 2.5), (self.unit_cost, 1.5)):
                slider.min = 0.0  # first, so a lower max never falls below the old min
                slider.max = top * start["price"]
            self.price.min = 0.4 * start["price"]
            self.price.value = start["price"]
            self.unit_cost.value = start["unit_cost"]
            self.elasticity.value = start["elasticity"]
        finally:
            self._loading = False
        self._redraw()

    def units(self, price):
        """Weekly units on the current curve: anchored at the SKU's list price."""
        start = self.anchor
        return start["units"] * np.power(np.asarray(price, float) / start["price"],
                                         self.elasticity.value)

    def optimum(self) -> float:
        return pricing.profit_maximising_price(self.unit_cost.value, self.elasticity.value)

    def _redraw(self) -> None:
        if self._loading:
            return
        cost, price, best = self.unit_cost.value, self.price.value, self.optimum()
        grid = np.linspace(self.price.min, self.price.max, GRID_POINTS)
        units = self.units(grid)
        profit = pricing.unit_profit(grid, cost, units)
        now = float(pricing.unit_profit(price, cost, self.units(price)))
        shown = math.isfinite(best) and self.price.min <= best <= self.price.max
        with self.figure.batch_update():
            for trace, y in ((DEMAND, units), (REVENUE, grid * units), (PROFIT, profit)):
                self.figure.data[trace].x, self.figure.data[trace].y = grid, y
            self.figure.data[CURRENT].x, self.figure.data[CURRENT].y = [price], [now]
            self.figure.data[OPTIMUM].x = [best] if shown else []
            self.figure.data[OPTIMUM].y = (
                [float(pricing.unit_profit(best, cost, self.units(best)))] if shown else []
            )
        self.readout.value = self._readout(price, now, best)

    def _readout(self, price: float, now: float, best: float) -> str:
        lines = [f"At ¥{price:,.0f}: {float(self.units(price)):,.0f} units a week, "
                 f"gross profit ¥{now:,.0f} a week."]
        if not math.isfinite(best):
            lines.append("Demand is inelastic (elasticity ≥ −1): every price rise adds profit, "
                         "so there is no finite profit-maximising price.")
        else:
            top = float(pricing.unit_profit(best, self.unit_cost.value, self.units(best)))
            lines.append(f"Profit-maximising price p* = c·e/(1+e) = ¥{best:,.2f}: "
                         f"gross profit ¥{top:,.0f} a week ({top - now:+,.0f} vs now).")
            if not self.price.min <= best <= self.price.max:
                lines.append("p* lies outside the chart's price range.")
        return "<br>".join(lines)


def _empty_figure() -> go.FigureWidget:
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    fig.add_trace(go.Scatter(name="demand (units/week)", line={"dash": "dot"}), secondary_y=True)
    fig.add_trace(go.Scatter(name="revenue ¥/week"), secondary_y=False)
    fig.add_trace(go.Scatter(name="gross profit ¥/week"), secondary_y=False)
    fig.add_trace(go.Scatter(name="current price", mode="markers",
                             marker={"size": 12, "color": "black"}), secondary_y=False)
    fig.add_trace(go.Scatter(name="profit-maximising price", mode="markers",
                             marker={"size": 16, "symbol": "star", "color": "crimson"}),
                  secondary_y=False)
    fig.update_layout(height=420, margin={"t": 30}, xaxis_title="price ¥",
                      legend={"orientation": "h", "y": -0.2})
    fig.update_yaxes(title_text="¥ per week", secondary_y=False)
    fig.update_yaxes(title_text="units per week", secondary_y=True)
    return go.FigureWidget(fig)
