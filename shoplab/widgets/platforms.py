"""Chapter 01's widget: the weighted platform score, one slider per criterion's weight.

Moving a weight redraws the ranking: a bar per platform, the shop's own stores greyed, the
best candidate named in the title. A learner sees how much the "best" platform depends on
the weights chosen — the score's strength and its weakness.
"""

from __future__ import annotations

import ipywidgets as widgets
import pandas as pd
import plotly.graph_objects as go

from shoplab import charts, platforms
from shoplab.widgets.base import LessonWidget

START_WEIGHTS = {"traffic": 3, "fit": 3, "fees": 2, "capability": 2}
OWN_COLOUR, CANDIDATE_COLOUR = "#b0b0b0", "#1f77b4"


def platform_scorer(table: pd.DataFrame) -> PlatformScorer:
    """The lesson widget over the `platforms` table: a weight slider per criterion."""
    return PlatformScorer(table)


class PlatformScorer(LessonWidget):
    """Controls in `weights` (criterion → slider) and `figure`; `ranking()` is the chart."""

    def __init__(self, table: pd.DataFrame):
        self._table = table.set_index("platform")
        self._own = self._table["shop_channel"].notna()
        self.weights = {
            name: widgets.IntSlider(value=START_WEIGHTS[name], min=0, max=5,
                                    description=f"{name} weight", continuous_update=False,
                                    style={"description_width": "initial"})
            for name in platforms.CRITERIA
        }
        self.figure = go.FigureWidget(
            data=[go.Bar(orientation="h", hovertemplate=charts.template("x", "ratio")
                         + "<extra></extra>")],
            layout=go.Layout(height=420, margin={"t": 60, "l": 160}, xaxis_title="weighted score",
                             xaxis_range=[0, 1]),
        )
        sliders = list(self.weights.values())
        super().__init__([widgets.HBox(sliders[:2]), widgets.HBox(sliders[2:]), self.figure],
                         controls=sliders)

    def ranking(self) -> pd.Series | None:
        """Weighted score per platform, lowest first; None when every weight is 0."""
        chosen = {name: slider.value for name, slider in self.weights.items()}
        if not any(chosen.values()):
            return None
        return platforms.weighted_score(self._table, chosen).sort_values()

    def _redraw(self) -> None:
        scores = self.ranking()
        with self.figure.batch_update():
            bar = self.figure.data[0]
            if scores is None:
                bar.x, bar.y = [], []
                self.figure.layout.title = "Give at least one criterion a weight"
                return
            bar.x, bar.y = scores.to_numpy(), list(scores.index)
            bar.marker.color = [OWN_COLOUR if self._own[p] else CANDIDATE_COLOUR
                                for p in scores.index]
            best = scores[~self._own[scores.index]].idxmax()
            self.figure.layout.title = (f"Best candidate to add: {best} "
                                        f"(score {scores[best]:.2f}; grey = the shop's own)")
