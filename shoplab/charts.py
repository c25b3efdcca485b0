"""How every chart and table in the course shows its numbers, and the festivals on sales charts.

A merchant reads a chart at a glance, so the glance must not mislead. Plotly's defaults do, in
ways a learner met in the first lessons: SI suffixes (`308.036k` next to `8470` on one funnel),
`¥-496` in a budget table, a colour bar in fractions beside a title in %, a second y axis whose
gridlines belong to the first (so demand seemed to go below zero), a label written over a bar.
One module therefore owns the rules, and lessons and widgets call it rather than formatting by
hand:

* **number kinds** — `yen` (¥1,234; −¥496), `percent` (12.3%), `count` (308,036: never SI),
  `ratio` (ROAS 2.35) — each with its Python format (`fmt`, for readouts and tables) and its
  d3 format (`axis`, `colorbar`, `template`, for plotly) side by side in `KINDS`;
* **axis rules** — quantities that cannot be negative start their axis at zero; no chart has
  a second y axis (two quantities in different units get a panel each, sharing x); a
  reference line is labelled in the margin beside the plot (`reference_line`), never on it;
  legends sit below the plot, where they cover nothing.

China's two big shopping festivals shape every shop's year: 618 (年中大促, 18 June) and
Double 11 (双十一, 11 November). Sales charts mark them so a spike is read as a festival, not
luck.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from shoplab import metrics

# (month, day, label) of the festival peak days marked on sales charts.
FESTIVALS = ((6, 18, "618"), (11, 11, "Double 11"))
MINUS = "−"  # a real minus sign: "−¥496", not "¥-496"
LEGEND_BELOW = {"orientation": "h", "y": -0.2}
REFERENCE_MARGIN = 150  # px right of the plot for reference-line labels


@dataclass(frozen=True)
class Kind:
    """One kind of number: its prefix, its decimals in text and on axis ticks (ticks are
    round numbers: 4.0 not 4.00), and whether it is a fraction shown ×100 with a % sign.
    `can_be_negative` decides whether its axis starts at zero."""

    prefix: str = ""
    decimals: int = 0
    tick_decimals: int = 0
    percent: bool = False
    can_be_negative: bool = False

    def d3(self, decimals: int | None = None) -> str:
        """The d3 format plotly uses (without the prefix, which plotly adds itself)."""
        places = self.decimals if decimals is None else decimals
        return f".{places}%" if self.percent else f",.{places}f"


KINDS = {
    "yen": Kind(prefix="¥", can_be_negative=True),
    "percent": Kind(decimals=1, percent=True),
    "count": Kind(),
    "ratio": Kind(decimals=2, tick_decimals=1),
}


def _kind(name: str) -> Kind:
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown number kind {name!r}: use one of {sorted(KINDS)}") from None


def fmt(kind: str, decimals: int | None = None):
    """A function that formats one number of `kind` as text: `fmt("yen")(-496)` → "−¥496".

    For readouts, and for pandas tables: `frame.style.format({"price": fmt("yen", 2)})`.
    """
    spec = _kind(kind)
    places = spec.decimals if decimals is None else decimals

    def show(value) -> str:
        rounded = round(float(value) * (100 if spec.percent else 1), places)
        sign = MINUS if rounded < 0 else ""
        return f"{sign}{spec.prefix}{abs(rounded):,.{places}f}{'%' if spec.percent else ''}"

    return show


def axis(kind: str, decimals: int | None = None, title: str | None = None) -> dict:
    """Plotly axis settings for `kind`: its tick format and prefix, and a zero-based range for
    a quantity that cannot be negative. Pass to `fig.update_yaxes(**axis("count"))`."""
    spec = _kind(kind)
    settings = {"tickformat": spec.d3(spec.tick_decimals if decimals is None else decimals),
                "tickprefix": spec.prefix,
                "rangemode": "normal" if spec.can_be_negative else "tozero"}
    if title is not None:
        settings["title_text"] = title
    return settings


def colorbar(kind: str, title: str | None = None) -> dict:
    """A heatmap's colour bar in the same format as an axis of `kind` would use."""
    spec = _kind(kind)
    bar = {"tickformat": spec.d3(spec.tick_decimals), "tickprefix": spec.prefix}
    if title is not None:
        bar["title"] = {"text": title}
    return bar


def template(field: str, kind: str, decimals: int | None = None) -> str:
    """A plotly text/hover template piece, e.g. `template("y", "yen")` → "¥%{y:,.0f}"."""
    spec = _kind(kind)
    return f"{spec.prefix}%{{{field}:{spec.d3(decimals)}}}"


def reference_line(fig: go.Figure, value: float, text: str, color: str = "crimson",
                   dash: str = "dash") -> None:
    """A horizontal line at `value` (a threshold: break-even, a rule of thumb), labelled in
    the right margin, level with the line, so the label never sits on a bar or a curve."""
    fig.add_hline(y=value, line_dash=dash, line_color=color)
    fig.add_annotation(x=1, xref="paper", xanchor="left", y=value, yref="y", text=text,
                       showarrow=False, font={"color": color})
    fig.update_layout(margin={"r": REFERENCE_MARGIN})


def html_table(frame: pd.DataFrame, formats: dict, index_header: str = "") -> str:
    """A small readout table: each column in `formats` (name → a `fmt` function, in order)
    formatted by it, numbers right-aligned and padded so neighbouring columns stay apart."""
    cell = "padding:2px 12px;text-align:right"
    head = "".join(f"<th style='{cell}'>{name}</th>" for name in formats)
    body = "".join(
        f"<tr><td style='padding:2px 12px'>{label}</td>"
        + "".join(f"<td style='{cell}'>{show(row[column])}</td>"
                  for column, show in formats.items())
        + "</tr>"
        for label, row in frame.iterrows()
    )
    return (f"<table style='border-collapse:collapse'><tr><th style='padding:2px 12px'>"
            f"{index_header}</th>{head}</tr>{body}</table>")


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
