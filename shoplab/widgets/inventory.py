"""Order-up-to planner: pick a SKU, a service level, a review period and a lead time; see the
safety stock and the order-up-to level of the shop's periodic review drawn over the SKU's
actual daily stock.

The shop reviews stock every `review_period_days` and orders up to S = d̄(R + L) + z·σ·√(R + L),
so the planner draws S rather than a continuous-review reorder point. The demand figures
(mean and standard deviation of daily units) come from the SKU's selling days in the chosen
period; the sliders start at the SKU's review period and at its mean lead time from its
purchase orders. Raising the service level raises z, so both lines move up; a longer review
period or lead time moves both too.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from shoplab import charts
from shoplab import inventory as inv
from shoplab.widgets.base import LessonWidget

ON_HAND, ORDER_UP_TO, SAFETY_STOCK, STOCKOUTS = range(4)


def order_up_to_planner(inventory: pd.DataFrame, products: pd.DataFrame,
                        purchase_orders: pd.DataFrame, start="2025-01-01",
                        end="2025-12-31") -> OrderUpToPlanner:
    """The lesson widget: SKU dropdown, service-level, review-period and lead-time sliders,
    chart, readout."""
    return OrderUpToPlanner(inventory, products, purchase_orders, start, end)


class OrderUpToPlanner(LessonWidget):
    """Controls (`sku`, `service_level`, `review_days`, `lead_time`), `figure` and `readout`."""

    def __init__(self, inventory, products, purchase_orders, start, end):
        self._stock = inv.in_period(inventory, start, end)
        self._demand = inv.demand_stats(inventory, products, start, end).dropna()
        self._lead = inv.lead_time_stats(purchase_orders)["mean"]
        names = products.set_index("sku")["name"]
        self._review = products.set_index("sku")["review_period_days"]
        style, layout = {"description_width": "130px"}, widgets.Layout(width="440px")
        self.sku = widgets.Dropdown(
            options=[(f"{sku} {names[sku]}", sku) for sku in self._demand.index],
            description="SKU", style=style, layout=layout)
        self.service_level = widgets.FloatSlider(
            value=0.95, min=0.80, max=0.999, step=0.001, readout_format=".1%",
            description="Service level", style=style, layout=layout, continuous_update=False)
        self.review_days = widgets.IntSlider(min=1, max=28, description="Review every (days)",
                                             style=style, layout=layout,
                                             continuous_update=False)
        self.lead_time = widgets.IntSlider(min=1, max=60, description="Lead time (days)",
                                           style=style, layout=layout, continuous_update=False)
        self.readout = widgets.HTML()
        self.figure = _empty_figure()
        self._reset_periods()
        self.sku.observe(self._sku_chosen, names="value")
        super().__init__([self.sku, self.service_level, self.review_days, self.lead_time,
                          self.figure, self.readout],
                         controls=[self.service_level, self.review_days, self.lead_time])

    def _reset_periods(self) -> None:
        """Start at the chosen SKU's review period and its mean lead time from its orders."""
        self.review_days.value = int(self._review[self.sku.value])
        self.lead_time.value = round(float(self._lead[self.sku.value]))

    def _sku_chosen(self, _change) -> None:
        with self.holding_redraw():
            self._reset_periods()

    def levels(self) -> dict:
        """Mean and σ of daily demand, z, the protection period R + L, its safety stock and
        the order-up-to level for the controls."""
        mean, std = self._demand.loc[self.sku.value, ["mean", "std"]].astype(float)
        level = self.service_level.value
        days = self.review_days.value + self.lead_time.value
        return {"mean": mean, "std": std, "z": inv.z_for(level), "days": days,
                "safety_stock": inv.safety_stock(std, days, level),
                "order_up_to": inv.order_up_to_level(mean, std, self.review_days.value,
                                                     self.lead_time.value, level)}

    def _redraw(self) -> None:
        rows = self._stock[self._stock["sku"] == self.sku.value]
        out = rows[rows["stockout"]]
        level = self.levels()
        ends = [rows["date"].min(), rows["date"].max()]
        data = self.figure.data
        with self.figure.batch_update():
            data[ON_HAND].x, data[ON_HAND].y = rows["date"], rows["on_hand"]
            for trace, key in ((ORDER_UP_TO, "order_up_to"), (SAFETY_STOCK, "safety_stock")):
                data[trace].x, data[trace].y = ends, [level[key]] * 2
            data[STOCKOUTS].x, data[STOCKOUTS].y = out["date"], out["on_hand"]
        cover = level["safety_stock"] / level["mean"]
        self.readout.value = (
            f"Daily demand: mean {level['mean']:.2f}, σ {level['std']:.2f} units. "
            f"At a {self.service_level.value:.1%} service level z = {level['z']:.3f}.<br>"
            f"Review period + lead time = {self.review_days.value} + {self.lead_time.value} = "
            f"{level['days']} days. Safety stock = {level['z']:.3f} × {level['std']:.2f} × "
            f"√{level['days']} = <b>{level['safety_stock']:.1f} units</b>, {cover:.1f} "
            f"days of average demand; order-up-to level = {level['mean']:.2f} × "
            f"{level['days']} + {level['safety_stock']:.1f} = "
            f"<b>{level['order_up_to']:.1f} units</b>.<br>"
            f"{len(out)} stock-out day(s) in the period."
        )


def _empty_figure() -> go.FigureWidget:
    fig = go.Figure()
    fig.add_scatter(name="on hand (start of day)", mode="lines", line={"shape": "hv"})
    fig.add_scatter(name="order-up-to level", mode="lines",
                    line={"dash": "dash", "color": "crimson"})
    fig.add_scatter(name="safety stock", mode="lines", line={"dash": "dot", "color": "orange"})
    fig.add_scatter(name="stock-out day", mode="markers",
                    marker={"color": "black", "symbol": "x", "size": 9})
    fig.update_layout(height=400, margin={"t": 30}, legend=charts.LEGEND_BELOW)
    fig.update_yaxes(**charts.axis("count", title="units"))
    return go.FigureWidget(fig)
