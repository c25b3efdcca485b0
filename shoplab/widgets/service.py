"""SLA planner: agents on duty, bot deflection and handling time over a festival day's tickets.

Each hour is planned on its own (the usual stationary, hour-by-hour Erlang C approximation, see
`shoplab.service`): the bot answers a share of the contacts, the agents share the rest, and the
chart shows the contacts left for agents (top panel) and the share of them answered within the
SLA (bottom panel) per hour — two panels, not a second y axis. The readout gives the day's share
within the SLA, weighted by the hour's contacts, and the hours that miss the target.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from shoplab import charts, service
from shoplab.widgets.base import LessonWidget

CONTACTS, LEVEL = range(2)


def sla_planner(hourly_tickets: pd.Series, sla_seconds: float, target: float) -> SlaPlanner:
    """The lesson widget over one day's tickets per hour (`service.hourly_arrivals`)."""
    return SlaPlanner(hourly_tickets, sla_seconds, target)


class SlaPlanner(LessonWidget):
    """Controls (`agents`, `deflection`, `handle_minutes`), `figure` and `readout`."""

    def __init__(self, hourly_tickets: pd.Series, sla_seconds: float, target: float):
        self.hourly_tickets, self.sla_seconds, self.target = hourly_tickets, sla_seconds, target
        style, layout = {"description_width": "150px"}, widgets.Layout(width="460px")
        self.agents = widgets.IntSlider(value=1, min=1, max=10, description="Agents each hour",
                                        style=style, layout=layout, continuous_update=False)
        self.deflection = widgets.FloatSlider(
            value=0.0, min=0.0, max=0.8, step=0.05, description="Bot answers",
            readout_format=".0%", style=style, layout=layout, continuous_update=False)
        self.handle_minutes = widgets.FloatSlider(
            value=6.0, min=1.0, max=20.0, step=0.5, description="Minutes per contact",
            style=style, layout=layout, continuous_update=False)
        self.readout = widgets.HTML()
        self.figure = _empty_figure(sla_seconds, target)
        controls = [self.agents, self.deflection, self.handle_minutes]
        super().__init__([*controls, self.figure, self.readout], controls=controls)

    def contacts(self) -> np.ndarray:
        """Contacts per hour left for the agents after the bot's share."""
        return self.hourly_tickets.to_numpy(float) * (1 - self.deflection.value)

    def levels(self) -> np.ndarray:
        """Share answered within the SLA in each hour."""
        return np.array([service.service_level(n, self.handle_minutes.value, self.agents.value,
                                               self.sla_seconds) for n in self.contacts()])

    def day_level(self) -> float:
        """The day's share within the SLA: each hour weighted by its contacts."""
        contacts = self.contacts()
        return float(np.average(self.levels(), weights=contacts)) if contacts.sum() else 1.0

    def _redraw(self) -> None:
        hours, levels = self.hourly_tickets.index.to_numpy(), self.levels()
        with self.figure.batch_update():
            self.figure.data[CONTACTS].x, self.figure.data[CONTACTS].y = hours, self.contacts()
            self.figure.data[LEVEL].x, self.figure.data[LEVEL].y = hours, levels
        busy = self.contacts() > 0
        missed = [f"{h}:00" for h in hours[busy & (levels < self.target)]]
        pct = charts.fmt("percent")
        self.readout.value = (
            f"With {self.agents.value} agent(s) each hour and the bot answering "
            f"{pct(self.deflection.value)} of contacts, {pct(self.day_level())} of the day's "
            f"contacts for agents are answered within {self.sla_seconds:g} seconds. "
            + (f"Hours below the {pct(self.target)} target: {', '.join(missed)}."
               if missed else f"Every hour meets the {pct(self.target)} target."))


def _empty_figure(sla_seconds: float, target: float) -> go.FigureWidget:
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.08)
    fig.add_trace(go.Bar(name="contacts for agents",
                         hovertemplate=charts.template("y", "count", 1) + "<extra></extra>"),
                  row=1, col=1)
    fig.add_trace(go.Scatter(name=f"answered within {sla_seconds:g} s", mode="lines+markers",
                             hovertemplate=charts.template("y", "percent") + "<extra></extra>"),
                  row=2, col=1)
    fig.add_hline(y=target, line={"dash": "dash", "color": "crimson"}, row=2, col=1)
    fig.add_annotation(x=1, xref="paper", xanchor="left", y=target, yref="y2", text="target",
                       showarrow=False, font={"color": "crimson"})
    fig.update_layout(height=480, margin={"t": 30, "r": charts.REFERENCE_MARGIN},
                      legend=charts.LEGEND_BELOW)
    fig.update_xaxes(title="hour of the day", dtick=2, row=2, col=1)
    fig.update_yaxes(**charts.axis("count", 1, title="contacts"), row=1, col=1)
    fig.update_yaxes(**charts.axis("percent", title="within SLA"), range=[0, 1.02], row=2, col=1)
    return go.FigureWidget(fig)
