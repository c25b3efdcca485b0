"""Stream planner: host type, slot fee, commission rate and expected views → the stream's
contribution at every audience size, and the views it needs to break even.

Each view brings the host type's GMV per view (its GPM ÷ 1,000, from the shop's streams) and
leaves (livestream contribution margin − commission rate) of it; the fee is paid whatever the
audience. So contribution is a straight line in views that starts at −fee, and it crosses zero
at the break-even views (`shoplab.social.break_even_views`) — or never, when the commission
takes the whole margin. Choosing own staff sets the commission to zero and the fee to the
studio's typical cost.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import plotly.graph_objects as go

from shoplab import charts, social
from shoplab.widgets.base import LessonWidget

CURVE, PLANNED = range(2)
OWN_STAFF_FEE = 300.0  # ¥ staff and studio for an own stream (the livestreams table's typical)
MAX_VIEWS = 60000


def stream_planner(gpm_by_host: dict[str, float], margin: float) -> StreamPlanner:
    """The lesson widget: GPM per host type (¥ per thousand views) and the channel's margin."""
    return StreamPlanner(gpm_by_host, margin)


class StreamPlanner(LessonWidget):
    """Controls (`host_type`, `fee`, `commission`, `views`), `figure` and `readout`."""

    def __init__(self, gpm_by_host: dict[str, float], margin: float):
        self.gpm_by_host, self.margin = dict(gpm_by_host), margin
        style, layout = {"description_width": "150px"}, widgets.Layout(width="460px")
        self.host_type = widgets.Dropdown(options=[("KOL (达人)", "kol"),
                                                   ("own staff (自播)", "own_staff")],
                                          value="kol", description="Host", style=style)
        self.fee = widgets.IntSlider(value=1000, min=0, max=12000, step=100,
                                     description="Slot fee (坑位费), ¥", style=style,
                                     layout=layout, continuous_update=False)
        self.commission = widgets.FloatSlider(value=0.15, min=0.0, max=0.40, step=0.01,
                                              description="Commission (佣金)",
                                              readout_format=".0%", style=style, layout=layout,
                                              continuous_update=False)
        self.views = widgets.IntSlider(value=20000, min=1000, max=MAX_VIEWS, step=1000,
                                       description="Expected views", style=style, layout=layout,
                                       continuous_update=False)
        self.readout = widgets.HTML()
        self.figure = _empty_figure()
        self.host_type.observe(self._host_chosen, names="value")
        controls = [self.fee, self.commission, self.views]
        super().__init__([self.host_type, *controls, self.figure, self.readout],
                         controls=controls)

    def gmv_per_view(self) -> float:
        return self.gpm_by_host[self.host_type.value] / 1000

    def break_even_views(self) -> float:
        return social.break_even_views(self.fee.value, self.commission.value, self.margin,
                                       self.gmv_per_view())

    def contribution(self, views):
        return social.stream_contribution(np.asarray(views, float) * self.gmv_per_view(),
                                          self.margin, self.fee.value, self.commission.value)

    def _host_chosen(self, change) -> None:
        with self.holding_redraw():
            if change["new"] == "own_staff":
                self.fee.value, self.commission.value = int(OWN_STAFF_FEE), 0.0

    def _redraw(self) -> None:
        x = np.linspace(0, MAX_VIEWS, 121)
        planned = self.views.value
        with self.figure.batch_update():
            self.figure.data[CURVE].x = x.tolist()
            self.figure.data[CURVE].y = self.contribution(x).tolist()
            self.figure.data[PLANNED].x = [planned]
            self.figure.data[PLANNED].y = [float(self.contribution(planned))]
        yen, count = charts.fmt("yen"), charts.fmt("count")
        needed = self.break_even_views()
        at_plan = float(self.contribution(planned))
        self.readout.value = (
            f"Each view brings {charts.fmt('yen', 2)(self.gmv_per_view())} of GMV and leaves "
            f"{charts.fmt('percent')(self.margin - self.commission.value)} of it after the "
            f"commission. At {count(planned)} views the stream leaves {yen(at_plan)}. "
            + (f"It breaks even at <b>{count(needed)} views</b>." if np.isfinite(needed) else
               "The commission takes the whole margin: it <b>never</b> pays back, however many "
               "people watch."))


def _empty_figure() -> go.FigureWidget:
    fig = go.Figure()
    fig.add_trace(go.Scatter(name="contribution", mode="lines",
                             hovertemplate=charts.template("x", "count") + " views: "
                             + charts.template("y", "yen") + "<extra></extra>"))
    fig.add_trace(go.Scatter(name="expected views", mode="markers", marker={"size": 12},
                             hovertemplate=charts.template("y", "yen") + "<extra></extra>"))
    charts.reference_line(fig, 0.0, "break-even")
    fig.update_layout(height=380, margin={"t": 30}, legend=charts.LEGEND_BELOW)
    fig.update_xaxes(**charts.axis("count", title="views of the stream"))
    fig.update_yaxes(**charts.axis("yen", title="contribution after fee and commission"))
    return go.FigureWidget(fig)
