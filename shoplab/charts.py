"""Chart helpers shared by lessons: the shop's daily GMV and the shopping festivals on it.

China's two big shopping festivals shape every shop's year: 618 (年中大促, 18 June) and
Double 11 (双十一, 11 November). Charts mark them so a spike is read as a festival, not luck.
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from shoplab import metrics

# (month, day, label) of the festival peak days marked on sales charts.
FESTIVALS = ((6, 18, "618"), (11, 11, "Double 11"))


def daily_gmv(orders: pd.DataFrame) -> pd.Series:
    """GMV (see `metrics.gmv`) of each calendar day, ¥; days without paid orders show 0.

    The days run from the first to the last order in `orders`, so a quiet day is a visible
    dip rather than a gap the line silently jumps over.
    """
    days = orders["order_time"].dt.normalize()
    if days.empty:
        return pd.Series(dtype=float, name="gmv")
    paid = metrics.paid(orders)
    per_day = paid.groupby(paid["order_time"].dt.normalize())["order_amount"].sum()
    calendar = pd.date_range(days.min(), days.max(), freq="D", name="date")
    return per_day.reindex(calendar, fill_value=0.0).astype(float).rename("gmv")


def festivals_between(start, end) -> list[tuple[pd.Timestamp, str]]:
    """The festival days from `start` to `end` (inclusive), as (date, "618 2024") pairs."""
    start, end = pd.Timestamp(start).normalize(), pd.Timestamp(end).normalize()
    found = []
    for year in range(start.year, end.year + 1):
        for month, day, label in FESTIVALS:
            date = pd.Timestamp(year=year, month=month, day=day)
            if start <= date <= end:
                found.append((date, f"{label} {year}"))
    return sorted(found)


def festival_annotations(daily: pd.Series) -> list[go.layout.Annotation]:
    """Plotly annotations pointing at the festival days inside a daily series' dates."""
    if daily.empty:
        return []
    return [
        go.layout.Annotation(
            x=date, y=float(daily.get(date, 0.0)), text=label, showarrow=True, arrowhead=2,
            ax=0, ay=-30,
        )
        for date, label in festivals_between(daily.index.min(), daily.index.max())
    ]
