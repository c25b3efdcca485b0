"""Chapter 09: customer formulas against hand-worked examples, the LTV explorer's callbacks, and
the lesson's claims on the shop data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from shoplab import ads, customers, load_table, metrics
from shoplab.metrics import repurchase_rate
from shoplab.widgets.customers import CURRENT, RULE, VALUE, ltv_explorer


def _orders() -> pd.DataFrame:
    """Four customers. A: paid in Jan and Feb 2025; B: paid in Jan, cancelled in Feb; C: paid
    twice in Jan (once refunded); D: legacy member, paid in Feb; E: only a cancelled order."""
    rows = [
        ("O1", "A", "2025-01-05 10:00", "completed", 100.0),
        ("O2", "A", "2025-02-20 09:00", "completed", 50.0),
        ("O3", "B", "2025-01-10 12:00", "completed", 80.0),
        ("O4", "B", "2025-02-11 12:00", "cancelled", 70.0),
        ("O5", "C", "2025-01-15 08:00", "completed", 40.0),
        ("O6", "C", "2025-01-31 23:30", "refunded", 60.0),
        ("O7", "D", "2025-02-01 18:00", "completed", 30.0),
        ("O8", "E", "2025-02-02 18:00", "cancelled", 90.0),
    ]
    orders = pd.DataFrame(rows, columns=["order_id", "customer_id", "order_time", "status",
                                         "order_amount"])
    orders["order_time"] = pd.to_datetime(orders["order_time"])
    return orders


def _people() -> pd.DataFrame:
    return pd.DataFrame({"customer_id": list("ABCDEF"),
                         "acquisition_channel": ["search", "ads", "direct", "legacy", "social",
                                                 "search"]})


def test_cohort_retention_by_hand():
    table = customers.cohort_retention(_orders(), _people(), months=2)
    # D is legacy: no cohort. January cohort = A, B, C (3); in February only A paid (B's order
    # was cancelled): 1/3. The data ends in February, so month 2 of January is not seen yet.
    assert table.index.tolist() == ["2025-01"]
    assert table.loc["2025-01", 0] == 1.0
    assert table.loc["2025-01", 1] == pytest.approx(1 / 3)
    assert math.isnan(table.loc["2025-01", 2])


def test_recency_and_rfm_by_hand():
    rfm = customers.rfm_table(_orders(), reference_date="2025-03-01")
    # last paid dates: A 20 Feb -> 8 days to 28 Feb + 1 = 9 to 1 March; B 10 Jan -> 21 to 31 Jan
    # + 28 + 1 = 50 (the cancelled February order does not count); C 31 Jan (23:30 is still
    # 31 Jan) -> 28 + 1 = 29; D 1 Feb -> 27 + 1 = 28
    assert rfm["recency_days"].to_dict() == {"A": 9, "B": 50, "C": 29, "D": 28}
    assert rfm["frequency"].to_dict() == {"A": 2, "B": 1, "C": 2, "D": 1}
    assert rfm["monetary"].to_dict() == {"A": 150.0, "B": 80.0, "C": 100.0, "D": 30.0}
    # the default reference is the day after the data ends: an order on 31 Dec 2025 is 1 day old
    late = _orders().assign(order_time=pd.Timestamp("2025-12-31 23:59"))
    assert set(customers.recency_days(late)) == {1}


def test_rfm_segments_by_hand():
    rfm = pd.DataFrame({"recency_days": [10, 10, 120, 200, 200, 90, 180],
                        "frequency": [3, 1, 5, 2, 1, 2, 1]}, index=list("abcdefg"))
    assert customers.rfm_segment(rfm).tolist() == [
        "champions", "new", "cooling", "at risk", "hibernating", "champions", "cooling"]
    # a wider active window turns the 120-day repeat buyer into a champion
    assert customers.rfm_segment(rfm, active_days=150)["c"] == "champions"


def test_dormant_share_is_strictly_more_than_180_days():
    # 181 and 400 are dormant, 180 is not: 2 of 4
    assert customers.dormant_share(pd.Series([10, 180, 181, 400])) == pytest.approx(0.5)


def test_yearly_retention_by_hand():
    orders = pd.DataFrame({
        "customer_id": ["A", "B", "C", "A", "C", "D"],
        "order_time": pd.to_datetime(["2024-03-01", "2024-05-01", "2024-07-01", "2025-01-01",
                                      "2025-02-01", "2025-03-01"]),
        "status": ["completed", "completed", "completed", "completed", "cancelled", "completed"],
        "order_amount": [10.0, 20.0, 30.0, 40.0, 50.0, 60.0]})
    # 2024 buyers A, B, C; in 2025 A paid, C only cancelled, D is new: 1 of 3
    assert customers.yearly_retention(orders, 2025) == pytest.approx(1 / 3)
    # 2025 GMV 40 + 60 = 100 over 2 buyers = 50 a buyer; at a 30 % margin 15
    assert customers.margin_per_customer(orders, 2025, 0.3) == pytest.approx(15.0)


def test_clv_by_hand():
    # m = 100, r = 0.8, d = 0.1: 100 × 0.8 / 0.3 = 266.67
    assert customers.customer_lifetime_value(100, 0.8, 0.1) == pytest.approx(800 / 3)
    # the same as summing the series 100 × 0.8^t / 1.1^t for t = 1, 2, ...
    years = np.arange(1, 2000)
    assert customers.customer_lifetime_value(100, 0.8, 0.1) == pytest.approx(
        float((100 * 0.8 ** years / 1.1 ** years).sum()))
    assert customers.customer_lifetime_value(180, 0.0, 0.1) == 0.0
    # no discounting: 60 × 0.75 / 0.25 = 180; everyone stays and no discounting: infinite
    assert customers.customer_lifetime_value(60, 0.75, 0.0) == pytest.approx(180.0)
    assert customers.customer_lifetime_value(60, 1.0, 0.0) == math.inf
    # a new customer also brings this year's margin: 100 + 266.67
    assert customers.new_customer_value(100, 0.8, 0.1) == pytest.approx(100 + 800 / 3)


def test_win_back_break_even_by_hand():
    # m = ¥170, f = ¥30: s = 30 / 200 = 0.15; check 0.15 × 170 = 25.5 = 0.85 × 30
    assert customers.win_back_break_even_share(170.0, 30.0) == pytest.approx(0.15)
    assert 0.15 * 170 == pytest.approx(0.85 * 30)


def test_coupon_redemption_counts_paid_orders_only():
    coupons = pd.DataFrame({"promo_id": ["P", "P", "P", "Q"], "face_value": 30.0,
                            "redeemed_order_id": ["O1", "O4", None, "O3"]})
    batch = customers.coupon_redemption(coupons, _orders(), "P")
    # O4 was cancelled: 1 of 3 redeemed, on a ¥100 order
    assert batch == {"issued": 3, "redeemed": 1, "redemption_rate": pytest.approx(1 / 3),
                     "average_order": 100.0}


def test_ltv_explorer_moves_with_its_controls():
    explorer = ltv_explorer(margin_per_year=100.0, retention_rate=0.5, cac=200.0)
    curve = np.array(explorer.figure.data[VALUE].y)
    # at retention 0.5, d = 0.1: 100 + 100 × 0.5 / 0.6 = 183.33; ratio 183.33 / 200
    assert explorer.figure.data[CURRENT].y[0] == pytest.approx(100 + 500 / 6)
    assert explorer.ltv_to_cac() == pytest.approx((100 + 500 / 6) / 200)
    assert list(explorer.figure.data[RULE].y) == [600.0, 600.0]
    assert "falls short of" in explorer.readout.value

    explorer.retention.value = 0.9
    # 100 + 100 × 0.9 / 0.2 = 550
    assert explorer.figure.data[CURRENT].y[0] == pytest.approx(550.0)
    explorer.discount_rate.value = 0.2
    assert np.all(np.array(explorer.figure.data[VALUE].y)[1:] < curve[1:])
    explorer.cac.value = 100.0
    assert list(explorer.figure.data[RULE].y) == [300.0, 300.0]
    explorer.discount_rate.value = 0.0
    # 100 + 100 × 0.9 / 0.1 = 1,000 ≥ 3 × 100
    assert explorer.figure.data[CURRENT].y[0] == pytest.approx(1000.0)
    assert "meets" in explorer.readout.value


@pytest.fixture(scope="module")
def shop():
    return {name: load_table(name) for name in ("orders", "customers", "coupons")}


def test_lesson_claims_on_the_data(shop):
    orders, people = shop["orders"], shop["customers"]
    rfm = customers.rfm_table(orders)
    # most paying customers buy once, and a minority repurchase within a year
    assert (rfm["frequency"] == 1).mean() > 0.5
    for year in (2024, 2025):
        assert 0.1 < repurchase_rate(orders[orders["order_time"].dt.year == year]) < 0.4
    # the longer window gives the higher rate
    assert repurchase_rate(orders) > repurchase_rate(orders[orders["order_time"].dt.year == 2025])
    # member tiers follow cumulative spend: silver < ¥1,000 ≤ gold < ¥3,000 ≤ platinum
    spend = rfm["monetary"]
    tier = people.set_index("customer_id")["member_tier"].reindex(spend.index)
    assert spend[tier == "silver"].max() < 1000 <= spend[tier == "gold"].min()
    assert spend[tier == "gold"].max() < 3000 <= spend[tier == "platinum"].min()
    # champions spend more on average than hibernating customers
    segment = customers.rfm_segment(rfm)
    assert spend[segment == "champions"].mean() > spend[segment == "hibernating"].mean()


def test_win_back_and_ltv_claims(shop):
    orders, people, coupons = shop["orders"], shop["customers"], shop["coupons"]
    win_back = customers.coupon_redemption(coupons, orders, "PR002")
    welcome = customers.coupon_redemption(coupons, orders, "PR001")
    assert 0 < win_back["redemption_rate"] < welcome["redemption_rate"]
    # the lesson's LTV:CAC: a new customer earns back the ads on margin, and reads about three
    # times higher on
    # revenue (the contribution margin is about 0.3)
    shares = metrics.unit_economics(orders, load_table("order_items"), load_table("products"),
                                    load_table("fees"), load_table("shipments"))
    retention = customers.yearly_retention(orders, 2025)
    spend = load_table("ad_campaigns").query("date.dt.year == 2025")["spend"].sum()
    cac = ads.customer_acquisition_cost(spend, metrics.new_customers_by_year(orders, people)[2025])

    def ratio(margin):
        value = customers.new_customer_value(customers.margin_per_customer(orders, 2025, margin),
                                             retention, customers.DISCOUNT_RATE)
        return value / cac

    assert 1 < ratio(float(shares["contribution_margin"])) < 2 * customers.LTV_CAC_RULE_OF_THUMB
    assert ratio(1.0) > 2 * ratio(float(shares["contribution_margin"]))
