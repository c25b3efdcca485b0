"""The chart style (`shoplab.charts`): one format per kind of number, and the axis rules."""

import plotly.graph_objects as go
import pytest

from shoplab import charts


def test_numbers_read_as_a_merchant_writes_them():
    assert charts.fmt("yen")(-496) == "−¥496"  # not ¥-496
    assert charts.fmt("yen", 2)(1234.5) == "¥1,234.50"
    assert charts.fmt("percent")(0.1234) == "12.3%"
    assert charts.fmt("percent")(-0.0004) == "0.0%"  # no "−0.0%" for a rounded zero
    assert charts.fmt("count")(308036) == "308,036"  # never 308.036k
    assert charts.fmt("ratio")(2.345) == "2.35"


def test_plotly_formats_match_the_python_ones():
    assert charts.template("y", "yen") == "¥%{y:,.0f}"
    assert charts.template("value", "count") == "%{value:,.0f}"
    assert charts.template("percentPrevious", "percent") == "%{percentPrevious:.1%}"
    assert charts.colorbar("percent", "share") == {"tickformat": ".0%", "tickprefix": "",
                                                    "title": {"text": "share"}}


def test_axes_of_quantities_that_cannot_be_negative_start_at_zero():
    assert charts.axis("count")["rangemode"] == "tozero"
    assert charts.axis("percent")["tickformat"] == ".0%"
    money = charts.axis("yen", title="GMV")
    assert money == {"tickformat": ",.0f", "tickprefix": "¥", "rangemode": "normal",
                     "title_text": "GMV"}  # profit can be negative


def test_unknown_kind_is_a_clear_error():
    with pytest.raises(ValueError, match="unknown number kind 'usd'.*yen"):
        charts.fmt("usd")


def test_reference_line_is_labelled_in_the_margin():
    fig = go.Figure(go.Bar(x=["a", "b"], y=[1, 5]))
    charts.reference_line(fig, 3.2, "break-even ROAS 3.20")
    (line,), (label,) = fig.layout.shapes, fig.layout.annotations
    assert (line.y0, line.y1) == (3.2, 3.2)
    assert (label.xref, label.x, label.xanchor) == ("paper", 1, "left")  # right of the plot
    assert fig.layout.margin.r == charts.REFERENCE_MARGIN


def test_html_table_formats_each_column_and_keeps_cells_apart():
    import pandas as pd

    table = pd.DataFrame({"spend": [500.0], "contribution": [-496.2]}, index=["search"])
    html = charts.html_table(table, {"spend": charts.fmt("yen"),
                                     "contribution": charts.fmt("yen")}, index_header="per day")
    assert "−¥496" in html and "¥-" not in html and "¥500" in html
    assert "padding" in html and ">per day<" in html


def test_ticks_are_round_numbers():
    assert charts.axis("ratio")["tickformat"] == ",.1f"  # 4.0, not 4.00
    assert charts.axis("percent")["tickformat"] == ".0%"
    assert charts.axis("yen", 2)["tickformat"] == ",.2f"
