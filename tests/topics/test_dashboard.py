"""Chapter 13: the shop health dashboard's indicators on a hand-made month, the GMV identity and
its exact three-driver split, and the widget redrawing from its controls."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from shoplab import dashboard, load_table, metrics
from shoplab.widgets.dashboard import health_dashboard


def _sessions(rows):
    """Sessions from (visitor, start, viewed, added) tuples."""
    return pd.DataFrame([{"visitor_id": v, "start_time": pd.Timestamp(t), "viewed_product": w,
                          "added_to_cart": a} for v, t, w, a in rows])


def _orders(rows):
    """Orders from (customer, time, status, amount) tuples."""
    return pd.DataFrame([{"order_id": f"O{i}", "customer_id": c, "order_time": pd.Timestamp(t),
                          "status": s, "order_amount": a} for i, (c, t, s, a) in enumerate(rows)])


CUSTOMERS = pd.DataFrame({"customer_id": ["A", "B", "L"],
                          "acquisition_channel": ["search", "ads", "legacy"]})


def test_indicators_of_a_hand_made_month():
    sessions = _sessions([
        ("v1", "2025-03-01 10:00", True, True), ("v1", "2025-03-02 10:00", True, False),
        ("v2", "2025-03-05 10:00", False, False), ("v3", "2025-03-31 23:59", True, True),
        ("v4", "2025-04-01 00:05", True, True),  # April: not March's visit
    ])
    orders = _orders([
        ("B", "2025-02-10", "completed", 50.0),  # B was won in February
        ("A", "2025-03-01 10:05", "completed", 100.0),
        ("B", "2025-03-02 10:10", "refunded", 300.0),
        ("L", "2025-03-05 10:10", "cancelled", 999.0),  # never paid
        ("A", "2025-04-01 00:10", "completed", 80.0),  # March's last visit paid in April
    ])
    got = dashboard.indicators(sessions, orders, CUSTOMERS, "2025-03")
    assert got["visitors"] == 3 and got["visits"] == 4
    assert got["bounce_rate"] == pytest.approx(1 / 4)
    assert got["paid_orders"] == 2 and got["gmv"] == 400.0 and got["aov"] == 200.0
    assert got["conversion_rate"] == pytest.approx(2 / 4)
    assert got["new_customer_share"] == pytest.approx(1 / 2)  # A new in March, B came back
    assert got["repurchase_rate"] == pytest.approx(1 / 2)  # B paid twice in the year to March
    assert got["add_to_cart_rate"] == pytest.approx(2 / 3)


def test_no_traffic_is_no_conversion_not_a_crash():
    got = dashboard.indicators(_sessions([("v", "2025-05-02", False, False)]),
                               _orders([("A", "2025-03-01", "completed", 10.0)]), CUSTOMERS,
                               "2025-06")
    assert got["visits"] == 0 and got["conversion_rate"] == 0.0 and got["aov"] == 0.0


def test_the_split_adds_up_and_puts_a_change_where_it_happened():
    before = pd.Series({"visits": 1000.0, "conversion_rate": 0.02, "aov": 100.0})
    before["gmv"] = 1000 * 0.02 * 100
    only_visits = before.copy()
    only_visits[["visits", "gmv"]] = [1500.0, 3000.0]
    split = dashboard.gmv_drivers(before, only_visits)
    assert split.to_dict() == pytest.approx({"visits": 1000.0, "conversion_rate": 0.0,
                                             "aov": 0.0})
    both = pd.Series({"visits": 1200.0, "conversion_rate": 0.015, "aov": 130.0})
    both["gmv"] = 1200 * 0.015 * 130
    split = dashboard.gmv_drivers(before, both)
    assert split.sum() == pytest.approx(both["gmv"] - before["gmv"])
    assert split["conversion_rate"] < 0 < split["aov"]
    assert split["visits"] == pytest.approx(
        (both["gmv"] - before["gmv"]) / math.log(both["gmv"] / before["gmv"]) * math.log(1.2))
    assert dashboard.log_mean(7.0, 7.0) == 7.0


@pytest.fixture(scope="module")
def table():
    return dashboard.monthly(load_table("sessions"), load_table("orders"),
                             load_table("customers"))


def test_every_month_ties_out_with_the_shop_wide_definitions(table):
    orders = load_table("orders")
    assert table["gmv"].sum() == pytest.approx(metrics.gmv(orders))
    assert table["paid_orders"].sum() == len(metrics.paid(orders))
    identity = table["visits"] * table["conversion_rate"] * table["aov"]
    assert identity.to_numpy() == pytest.approx(table["gmv"].to_numpy())


def test_health_table_reads_a_month_against_both_comparisons(table):
    health = dashboard.health_table(table, "2025-11")
    assert list(health.index) == [name for name, _, _ in dashboard.INDICATORS]
    assert health.loc["gmv", "same month last year"] == table.loc["2024-11", "gmv"]
    assert health.loc["gmv", "change vs previous month"] == pytest.approx(
        table.loc["2025-11", "gmv"] / table.loc["2025-10", "gmv"] - 1)
    assert health["same month last year"].notna().all()
    assert dashboard.health_table(table, "2024-11")["same month last year"].isna().all()


def test_the_festival_month_wins_the_month_before_but_not_always_the_year_before(table):
    """Why the dashboard compares with the same month last year: November always beats
    October, so a month-on-month rise says nothing about the festival's health."""
    change = table["gmv"] / table["gmv"].shift(1) - 1
    assert (change[["2024-11", "2025-11"]] > 0).all()
    assert dashboard.yoy_gmv_change(table).index[0] == "2025-01"


def test_widget_redraws_from_its_controls_and_says_when_there_is_nothing_to_compare(table):
    board = health_dashboard(table, "2025-11")
    bridge = list(board.figure.data[1].y)
    assert bridge[0] == table.loc["2024-11", "gmv"]
    assert sum(bridge[1:4]) == pytest.approx(table.loc["2025-11", "gmv"]
                                             - table.loc["2024-11", "gmv"])
    assert "2024-11" in board.readout.value and "visitors" in board.readout.value
    board.compare.value = "previous month"
    assert list(board.figure.data[1].y)[0] == table.loc["2025-10", "gmv"]
    colours = dict(zip(board.figure.data[0].x, board.figure.data[0].marker.color, strict=True))
    health = board.health()["change vs previous month"]
    assert colours["gmv"] == ("seagreen" if health["gmv"] > 0 else "crimson")
    assert colours["bounce_rate"] == ("seagreen" if health["bounce_rate"] < 0 else "crimson")
    board.month.value = "2024-06"
    board.compare.value = "same month last year"
    assert len(board.figure.data[0].y) == 0 and "no 2023-06" in board.readout.value
