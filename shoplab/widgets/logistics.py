"""Carrier mixer: an on-time floor and one carrier per zone; the chart places every carrier of
every zone by cost per order and on-time rate, and the readout prices the mix.

Moving the floor picks, per zone, the cheapest carrier at or above it (`best_carriers`); a
zone's dropdown then overrides that choice, so a learner can see what breaking the rule costs
or saves. The cost of the mix reprices the shop's own parcels (`cost_per_order`), so it is
compared with what the shop actually paid on the same parcels.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from shoplab import charts
from shoplab import logistics as lg
from shoplab.widgets.base import LessonWidget

OPTIONS, CHOSEN, FLOOR = range(3)


def carrier_mixer(shipments: pd.DataFrame, carrier_rates: pd.DataFrame,
                  floor: float = 0.9) -> CarrierMixer:
    """The lesson widget: on-time floor slider, one carrier dropdown per zone, chart, readout."""
    return CarrierMixer(shipments, carrier_rates, floor)


class CarrierMixer(LessonWidget):
    """Controls (`floor`, `carriers`: zone → dropdown), `figure` and `readout`."""

    def __init__(self, shipments, carrier_rates, floor):
        self._shipments = shipments
        self.cost = lg.cost_per_order(shipments, carrier_rates)
        self.on_time = lg.on_time_rate(shipments)
        self._paid = float(shipments["shipping_cost"].sum())
        self._punctual = float(shipments["on_time"].mean())
        style, layout = {"description_width": "130px"}, widgets.Layout(width="440px")
        self.floor = widgets.FloatSlider(
            value=floor, min=0.70, max=0.99, step=0.01, readout_format=".0%",
            description="On-time floor", style=style, layout=layout, continuous_update=False)
        self.carriers = {zone: widgets.Dropdown(options=list(self.cost.columns),
                                                description=zone, style=style, layout=layout)
                         for zone in self.cost.index}
        self.readout = widgets.HTML()
        self.figure = self._empty_figure()
        self._pick_best()
        self.floor.observe(self._floor_moved, names="value")
        super().__init__([self.floor, *self.carriers.values(), self.figure, self.readout],
                         controls=self.carriers.values())

    def choice(self) -> pd.Series:
        """The carrier chosen for each zone."""
        return pd.Series({zone: box.value for zone, box in self.carriers.items()},
                         name="carrier").rename_axis("zone")

    def _pick_best(self) -> None:
        for zone, carrier in lg.best_carriers(self.cost, self.on_time, self.floor.value).items():
            self.carriers[zone].value = carrier

    def _floor_moved(self, _change) -> None:
        with self.holding_redraw():
            self._pick_best()

    def _empty_figure(self) -> go.FigureWidget:
        zones, carriers = self.cost.index, self.cost.columns
        fig = go.Figure()
        fig.add_scatter(
            x=[float(self.on_time.at[z, c]) for z in zones for c in carriers],
            y=[float(self.cost.at[z, c]) for z in zones for c in carriers],
            text=[f"{c}, {z}" for z in zones for c in carriers], mode="markers",
            name="carrier", marker={"color": "lightgrey", "size": 10},
            hovertemplate="%{text}<extra></extra>")
        fig.add_scatter(mode="markers+text", name="chosen", textposition="top center",
                        marker={"color": "#1a7f37", "size": 14})
        fig.add_scatter(mode="lines", name="on-time floor",
                        line={"dash": "dash", "color": "crimson"})
        fig.update_layout(height=420, margin={"t": 30}, legend=charts.LEGEND_BELOW)
        fig.update_xaxes(**charts.axis("percent", title="on-time rate"))
        fig.update_yaxes(**charts.axis("yen", title="cost per order (¥)"))
        return go.FigureWidget(fig)

    def _redraw(self) -> None:
        choice = self.choice()
        cost = [float(self.cost.at[z, c]) for z, c in choice.items()]
        punctual = [float(self.on_time.at[z, c]) for z, c in choice.items()]
        data = self.figure.data
        with self.figure.batch_update():
            data[CHOSEN].x, data[CHOSEN].y = punctual, cost
            data[CHOSEN].text = [f"{c}, {z}" for z, c in choice.items()]
            data[FLOOR].x = [float(self.floor.value)] * 2
            data[FLOOR].y = [0, float(self.cost.max().max())]
        mix = lg.carrier_mix(self._shipments, self.cost, self.on_time, choice)
        yen, percent = charts.fmt("yen"), charts.fmt("percent")
        change = mix["shipping_cost"] - self._paid
        self.readout.value = (
            f"This mix: <b>{yen(mix['shipping_cost'])}</b> for the shop's parcels, "
            f"<b>{percent(mix['on_time_share'])}</b> on time. What the shop paid: "
            f"{yen(self._paid)}, {percent(self._punctual)} on time; this mix costs "
            f"{yen(abs(change))} {'more' if change > 0 else 'less'}."
        )
