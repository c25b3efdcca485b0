"""Price explorer: move the price, the unit cost and the elasticity, watch contribution respond.

Demand is a constant-elasticity curve through one anchor point — the SKU's list price and the
weekly units the price test's fit predicts there — so moving the elasticity slider swings the
curve around that point. The figure shows weekly demand (top panel, units) and revenue and
contribution (bottom panel, ¥) against one price axis — two panels, not a second y axis, so
neither quantity borrows the other's gridlines or zero — marks the current price and the
profit-maximising price from the markup rule on the marginal cost, and the readout compares the
two. Contribution, not gross profit, because a price decision must count the costs that move
with the sale (`costs`, the keywords of `metrics.unit_contribution`: commission, payment fee and
refunds as shares of the price, net shipping per unit); the readout also names the price the
gross-margin rule would pick, to show how far it falls short.

The price and cost sliders step in whole ¥ (or in the fen the list price is quoted in) from a
bound on that grid, so a learner who moves the price away can always move it back to ¥199.
"""

from __future__ import annotations

import math
from decimal import Decimal

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from shoplab import charts, pricing
from shoplab.widgets.base import LessonWidget

GRID_POINTS = 300
DEMAND, REVENUE, PROFIT, CURRENT, OPTIMUM = range(5)


def price_explorer(products: pd.DataFrame, price_tests: pd.DataFrame,
                   costs: dict[str, float]) -> PriceExplorer:
    """The lesson widget: a SKU dropdown (tested SKUs), three sliders, a chart and a readout.

    `costs` are the shop's costs that grow with a sale (`pricing.sale_costs`)."""
    return PriceExplorer(products, price_tests, costs)


class PriceExplorer(LessonWidget):
    """Controls (`sku`, `price`, `unit_cost`, `elasticity`), `figure` and `readout`."""

    def __init__(self, products: pd.DataFrame, price_tests: pd.DataFrame,
                 costs: dict[str, float]):
        self.costs = dict(costs)
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
        # price and cost get their bounds and steps per SKU (`_place`); the elasticity steps
        # by 0.01, the precision it is fitted to, so the fitted value stays reachable
        self.price = widgets.FloatSlider(description="Price ¥", style=style, layout=layout,
                                         continuous_update=False)
        self.unit_cost = widgets.FloatSlider(description="Unit cost ¥", style=style,
                                             layout=layout, continuous_update=False)
        self.elasticity = widgets.FloatSlider(description="Elasticity", min=-5, max=-0.2,
                                              step=0.01, style=style, layout=layout,
                                              continuous_update=False)
        self.readout = widgets.HTML()
        self.figure = _empty_figure()
        self._reset_controls()
        self.sku.observe(self._sku_chosen, names="value")
        controls = [self.price, self.unit_cost, self.elasticity]
        super().__init__([self.sku, *controls, self.figure, self.readout], controls=controls)

    @property
    def anchor(self) -> dict:
        return self._start[self.sku.value]

    def _reset_controls(self) -> None:
        """Reset the sliders to the chosen SKU's list price, cost and fitted elasticity."""
        start = self.anchor
        _place(self.price, 0.4 * start["price"], 2.5 * start["price"], start["price"])
        _place(self.unit_cost, 0.0, 1.5 * start["price"], start["unit_cost"])
        self.elasticity.value = start["elasticity"]

    def _sku_chosen(self, _change) -> None:
        with self.holding_redraw():
            self._reset_controls()

    def units(self, price):
        """Weekly units on the current curve: anchored at the SKU's list price."""
        start = self.anchor
        return start["units"] * np.power(np.asarray(price, float) / start["price"],
                                         self.elasticity.value)

    def optimum(self, on_gross_margin: bool = False) -> float:
        """p* on contribution; `on_gross_margin` gives the old rule's c · e / (1 + e)."""
        if on_gross_margin:
            return pricing.profit_maximising_price(self.unit_cost.value, self.elasticity.value)
        return pricing.profit_maximising_price(
            self.unit_cost.value, self.elasticity.value, pricing.price_share(self.costs),
            self.costs["net_shipping"])

    def contribution(self, price):
        """Weekly contribution at `price` on the current curve, after the costs of a sale."""
        return pricing.unit_profit(price, self.unit_cost.value, self.units(price), **self.costs)

    def _redraw(self) -> None:
        price, best = self.price.value, self.optimum()
        grid = np.linspace(self.price.min, self.price.max, GRID_POINTS)
        units = self.units(grid)
        profit = self.contribution(grid)
        now = float(self.contribution(price))
        shown = math.isfinite(best) and self.price.min <= best <= self.price.max
        with self.figure.batch_update():
            for trace, y in ((DEMAND, units), (REVENUE, grid * units), (PROFIT, profit)):
                self.figure.data[trace].x, self.figure.data[trace].y = grid, y
            self.figure.data[CURRENT].x, self.figure.data[CURRENT].y = [price], [now]
            self.figure.data[OPTIMUM].x = [best] if shown else []
            self.figure.data[OPTIMUM].y = [float(self.contribution(best))] if shown else []
        self.readout.value = self._readout(price, now, best)

    def _readout(self, price: float, now: float, best: float) -> str:
        yen = charts.fmt("yen")
        share, shipping = pricing.price_share(self.costs), self.costs["net_shipping"]
        lines = [f"At {yen(price)}: {float(self.units(price)):,.0f} units a week, "
                 f"contribution {yen(now)} a week (after the unit cost, {share:.1%} of the price "
                 f"for commission, payment fee and refunds, and "
                 f"{charts.fmt('yen', 2)(shipping)} net shipping a unit)."]
        if not math.isfinite(best):
            lines.append("Demand is inelastic (elasticity ≥ −1): every price rise adds profit, "
                         "so there is no finite profit-maximising price.")
        else:
            top = float(self.contribution(best))
            change = yen(top - now) if top < now else "+" + yen(top - now)
            lines.append(f"Profit-maximising price p* = (c+s)/(1−f)·e/(1+e) = "
                         f"{charts.fmt('yen', 2)(best)}: contribution {yen(top)} a week "
                         f"({change} vs now).")
            gross = self.optimum(on_gross_margin=True)
            lines.append(f"The gross-margin rule c·e/(1+e) would say "
                         f"{charts.fmt('yen', 2)(gross)}, a contribution of "
                         f"{yen(float(self.contribution(gross)))} a week: it leaves out the "
                         "costs that grow with the sale.")
            if not self.price.min <= best <= self.price.max:
                lines.append("p* lies outside the chart's price range.")
        return "<br>".join(lines)


def _place(slider: widgets.FloatSlider, low: float, high: float, value: float) -> None:
    """Give `slider` bounds around `low`..`high` on a grid of steps that passes through
    `value`: whole ¥ for a whole-¥ value, else 0.1 or 0.01 (fen). A bound off the grid (0.4 ×
    ¥199 = ¥79.6) would make every step land off it: 79.6, 80.6, … 198.6, 199.6, never 199."""
    places = max(0, -Decimal(str(round(value, 2))).normalize().as_tuple().exponent)
    step = 10.0 ** -places
    slider.min = 0.0  # first, so a lower max never falls below the old min
    slider.max = round(math.ceil(high / step) * step, places)
    slider.min = round(math.floor(low / step) * step, places)
    slider.step = step
    slider.readout_format = f",.{places}f"  # ¥417, not 417.00
    slider.value = value


def _empty_figure() -> go.FigureWidget:
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.35, 0.65],
                        vertical_spacing=0.06)
    fig.add_trace(go.Scatter(name="demand (units/week)", line={"dash": "dot"},
                             hovertemplate=charts.template("y", "count") + " units<extra></extra>"),
                  row=1, col=1)
    money = charts.template("y", "yen") + "<extra></extra>"
    fig.add_trace(go.Scatter(name="revenue ¥/week", hovertemplate=money), row=2, col=1)
    fig.add_trace(go.Scatter(name="contribution ¥/week", hovertemplate=money), row=2, col=1)
    fig.add_trace(go.Scatter(name="current price", mode="markers", hovertemplate=money,
                             marker={"size": 12, "color": "black"}), row=2, col=1)
    fig.add_trace(go.Scatter(name="profit-maximising price", mode="markers", hovertemplate=money,
                             marker={"size": 16, "symbol": "star", "color": "crimson"}),
                  row=2, col=1)
    fig.update_layout(height=480, margin={"t": 30}, legend=charts.LEGEND_BELOW)
    fig.update_yaxes(**charts.axis("count", title="units per week"), row=1, col=1)
    fig.update_yaxes(**charts.axis("yen", title="¥ per week"), row=2, col=1)
    fig.update_xaxes(**charts.axis("yen", title="price"), row=2, col=1)
    return go.FigureWidget(fig)
