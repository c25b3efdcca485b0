"""Chapter 08: funnel and A/B-test formulas against hand-worked examples, the widgets'
callbacks, and the lesson's claims (GMV = visits × conversion × AOV) on the shop data."""

from __future__ import annotations

import pandas as pd
import pytest

from shoplab import funnel, load_table, metrics
from shoplab.widgets.funnel import WHOLE_SHOP, drop_off_what_if, funnel_explorer

FLAGS = ["viewed_product", "added_to_cart", "started_checkout", "placed_order"]


def tiny_shop() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Six sessions by hand: how far each got, and its order's status."""
    rows = [  # session, visitor, device, month, stage reached (0 visit … 4 order), status
        ("S1", "V1", "mobile", "2025-01-05", 4, "completed"),
        ("S2", "V1", "mobile", "2025-01-09", 4, "cancelled"),
        ("S3", "V2", "pc", "2025-01-20", 3, None),
        ("S4", "V3", "pc", "2025-02-02", 4, "refunded"),
        ("S5", "V4", "mobile", "2025-02-14", 1, None),
        ("S6", "V5", "mobile", "2025-02-15", 0, None),
    ]
    sessions = pd.DataFrame({
        "session_id": [r[0] for r in rows], "visitor_id": [r[1] for r in rows],
        "device": [r[2] for r in rows], "start_time": pd.to_datetime([r[3] for r in rows]),
        **{flag: [r[4] >= level for r in rows] for level, flag in enumerate(FLAGS, start=1)},
        "order_id": [f"O{r[0]}" if r[5] else "" for r in rows],
    })
    orders = pd.DataFrame({"order_id": [f"O{r[0]}" for r in rows if r[5]],
                           "status": [r[5] for r in rows if r[5]],
                           "order_amount": [100.0, 80.0, 300.0]})
    return funnel.with_paid(sessions, orders), orders


def test_stage_counts_and_rates_by_hand():
    sessions, _ = tiny_shop()
    counts = funnel.stage_counts(sessions)
    # visits 6; viewed: all but S6 = 5; cart: S1 S2 S3 S4 = 4; checkout 4; placed S1 S2 S4 = 3;
    # paid: S1 (completed) and S4 (refunded, was paid) = 2 — S2 was cancelled
    assert counts.to_dict() == {"visited": 6, "viewed_product": 5, "added_to_cart": 4,
                                "started_checkout": 4, "placed_order": 3, "paid": 2}
    # step: 6/6, 5/6, 4/5, 4/4, 3/4, 2/3; overall: each ÷ 6
    assert funnel.step_conversion(counts).tolist() == pytest.approx(
        [1, 5 / 6, 4 / 5, 1, 3 / 4, 2 / 3])
    assert funnel.overall_conversion(counts).tolist() == pytest.approx(
        [1, 5 / 6, 4 / 6, 4 / 6, 3 / 6, 2 / 6])
    # drop-offs 1/6, 1/5, 0, 1/4, 1/3: the order → paid step leaks most here
    assert funnel.step_drop_off(counts).tolist() == pytest.approx([1 / 6, 1 / 5, 0, 1 / 4, 1 / 3])
    assert funnel.leakiest_step(counts) == "order_to_paid"


def test_conversion_per_session_and_per_visitor_by_hand():
    sessions, _ = tiny_shop()
    # per session: 2 paid of 6 sessions; per visitor: buyers V1, V3 of 5 visitors
    assert funnel.session_conversion_rate(sessions) == pytest.approx(2 / 6)
    assert funnel.visitor_conversion_rate(sessions) == pytest.approx(2 / 5)
    # mobile: S1 paid of S1 S2 S5 S6 = 1/4; pc: S4 of S3 S4 = 1/2
    assert funnel.conversion_by(sessions, "device").to_dict() == pytest.approx(
        {"mobile": 0.25, "pc": 0.5})
    assert funnel.session_conversion_rate(sessions.iloc[:0]) == 0.0


def test_gmv_identity_by_hand():
    sessions, orders = tiny_shop()
    # GMV = paid orders 100 + 300 = 400; AOV 400 / 2 = 200; 6 visits × 2/6 × 200 = 400
    assert metrics.gmv(orders) == 400
    assert funnel.gmv_from_funnel(len(sessions), funnel.session_conversion_rate(sessions),
                                  metrics.average_order_value(orders)) == pytest.approx(400)


def test_conversion_point_value_by_hand():
    sessions, orders = tiny_shop()
    orders = orders.assign(device=["mobile", "mobile", "pc"])  # S1, S2 (cancelled), S4
    table = funnel.conversion_point_value(sessions.drop(columns="paid"), orders, "device")
    # mobile: 4 sessions, 1 paid (S1), AOV ¥100 (S2 was cancelled) → 4 × 0.01 × 100 = ¥4;
    # pc: 2 sessions, 1 paid (S4), AOV ¥300 → 2 × 0.01 × 300 = ¥6
    assert table["sessions"].to_dict() == {"mobile": 4, "pc": 2}
    assert table["conversion_rate"].to_dict() == pytest.approx({"mobile": 0.25, "pc": 0.5})
    assert table["gmv_per_point"].to_dict() == pytest.approx({"mobile": 4.0, "pc": 6.0})


def test_what_if_by_hand():
    sessions, _ = tiny_shop()
    counts = funnel.stage_counts(sessions)
    # view → cart: conversion 4/5, drop-off 1/5; a 50 % cut leaves 1/10, conversion 9/10;
    # paid 2 × (0.9 / 0.8 − 1) = 0.25 extra orders, × ¥200 = ¥50
    result = funnel.what_if_fewer_drop_offs(counts, "view_to_cart", 0.5, 200.0)
    assert result["new_conversion"] == pytest.approx(0.9)
    assert result["extra_orders"] == pytest.approx(0.25)
    assert result["extra_gmv"] == pytest.approx(50.0)
    assert funnel.what_if_fewer_drop_offs(counts, "view_to_cart", 0.0, 200.0)["extra_gmv"] == 0


def test_two_proportion_z_and_ci_by_hand():
    # A 100/1000 = 0.10, B 150/1000 = 0.15, difference 0.05.
    # Pooled p = 250/2000 = 0.125; SE = √(0.125 × 0.875 × (1/1000 + 1/1000)) = √0.00021875
    # = 0.0147902; z = 0.05 / 0.0147902 = 3.3806; two-sided p = 2 × (1 − Φ(3.3806)) = 0.00072
    z = funnel.two_proportion_z(100, 1000, 150, 1000)
    assert z == pytest.approx(3.3806, abs=1e-4)
    assert funnel.two_sided_p_value(z) == pytest.approx(0.00072, abs=1e-5)
    assert funnel.two_proportion_z(150, 1000, 100, 1000) == pytest.approx(-z)
    # Unpooled SE for the interval: √(0.10 × 0.90/1000 + 0.15 × 0.85/1000) = √0.0002175
    # = 0.0147479; 0.05 ± 1.96 × 0.0147479 = 0.05 ± 0.028906 → (0.02109, 0.07891)
    low, high = funnel.difference_ci(100, 1000, 150, 1000)
    assert (low, high) == pytest.approx((0.02109, 0.07891), abs=1e-5)
    assert funnel.ab_decision(low) == "ship"
    # at the planned size, an interval that contains 0 keeps the control: no "keep testing"
    assert funnel.ab_decision(-0.01) == "don't ship"
    assert funnel.ab_decision(-0.03) == "don't ship"


def test_orders_at_stake_close_the_gap_to_the_better_segment():
    rows = []
    for device, cart, checkout, paid in (("mobile", 10, 4, 4), ("pc", 10, 8, 8)):
        for k in range(20):  # 20 sessions: 10 reach the cart, `checkout` go on and pay
            on = k < cart
            rows.append({"device": device, "viewed_product": on, "added_to_cart": on,
                         "started_checkout": k < checkout, "placed_order": k < checkout,
                         "paid": k < paid})
    stake = funnel.orders_at_stake(pd.DataFrame(rows), "device")
    # mobile's cart → checkout 0.4 against pc's 0.8: its 4 paid orders × (0.8 / 0.4 − 1) = 4
    assert stake["cart_to_checkout"] == pytest.approx(4.0)
    # both devices view and cart alike: nothing at stake there
    assert stake["visit_to_view"] == 0 and stake["view_to_cart"] == 0


def test_sample_size_per_arm_by_hand():
    # 10 % → 15 %, 5 % two-sided, 80 % power: p̄ = 0.125; z_α√(2p̄(1 − p̄)) = 1.96 × 0.46771 =
    # 0.91671; z_β√(0.09 + 0.1275) = 0.84162 × 0.46637 = 0.39251; (1.30922 / 0.05)² = 685.6 → 686
    # (Fleiss's table for these rates gives 686 too)
    assert funnel.sample_size_per_arm(0.10, 0.05) == 686
    # half the effect needs about four times the visitors
    assert 3.5 < funnel.sample_size_per_arm(0.10, 0.025) / 686 < 4.5
    assert funnel.sample_size_per_arm(0.10, 0.05, power=0.9) > 686


def test_test_days_split_the_traffic_between_the_arms():
    # 1,000 visitors a day for 2 arms of 16,774: 33.548 days, rounded up
    assert funnel.test_days(16_774, 1000.0) == 34
    assert funnel.test_days(500, 100.0) == 10 and funnel.test_days(500, 100.0, arms=1) == 5


def test_ab_counts_count_each_visitor_once():
    sessions = pd.DataFrame({"checkout_variant": ["A", "A", "A", "B", "B", None],
                             "visitor_id": ["V1", "V1", "V2", "V3", "V4", "V5"],
                             "paid": [False, True, False, True, False, True]})
    ab = funnel.ab_counts(sessions)
    # V1's two visits are one visitor, who converted; V5 was not in the test
    assert ab["visitors"].to_dict() == {"A": 2, "B": 2}
    assert ab["conversions"].to_dict() == {"A": 1, "B": 1}


def test_textbook_p_value_at_196():
    # z = 1.96 is the 5 % two-sided critical value: p = 0.0500
    assert funnel.two_sided_p_value(1.96) == pytest.approx(0.05, abs=1e-4)


def test_explorer_redraws_for_segment_and_dates():
    sessions, _ = tiny_shop()
    explorer = funnel_explorer(sessions)
    assert [t.name for t in explorer.figure.data] == [WHOLE_SHOP]
    assert list(explorer.figure.data[0].x) == [6, 5, 4, 4, 3, 2]
    explorer.segment.value = "device"
    drawn = {t.name: list(t.x) for t in explorer.figure.data}
    # mobile: S1 S2 S5 S6; pc: S3 S4 (see tiny_shop)
    assert drawn == {"mobile": [4, 3, 2, 2, 2, 1], "pc": [2, 2, 2, 2, 1, 1]}
    explorer.period.value = (pd.Period("2025-02", "M"), pd.Period("2025-02", "M"))
    drawn = {t.name: list(t.x) for t in explorer.figure.data}
    # February: S4 (pc, paid), S5 (mobile, viewed), S6 (mobile, visit only)
    assert drawn == {"mobile": [2, 1, 0, 0, 0, 0], "pc": [1, 1, 1, 1, 1, 1]}
    assert "2025-02 to 2025-02" in explorer.figure.layout.title.text


def test_what_if_slider_grows_from_zero():
    sessions, orders = tiny_shop()
    widget = drop_off_what_if(funnel.stage_counts(sessions), metrics.average_order_value(orders))
    assert widget.step == "order_to_paid"
    gains = []
    for cut in (0.0, 0.25, 0.5, 1.0):
        widget.cut.value = cut
        now, after = widget.figure.data[0].y
        gains.append(after - now)
    assert gains[0] == 0
    assert gains == sorted(gains) and gains[-1] > 0
    # cutting all the order → paid drop-off: every placed order paid, 3 instead of 2 → +¥200
    assert gains[-1] == pytest.approx(200.0)
    assert "200" in widget.readout.value


@pytest.fixture(scope="module")
def shop():
    orders = load_table("orders")
    return funnel.with_paid(load_table("sessions"), orders), orders


def test_gmv_ties_out_on_the_shop_data(shop):
    sessions, orders = shop
    visits, conversion = len(sessions), funnel.session_conversion_rate(sessions)
    aov = metrics.average_order_value(orders)
    assert funnel.gmv_from_funnel(visits, conversion, aov) == pytest.approx(
        metrics.gmv(orders), rel=1e-12)
    # it ties because each paid order belongs to exactly one session
    assert sessions["paid"].sum() == len(metrics.paid(orders))


def test_shop_funnel_is_monotone_and_leaks_at_checkout(shop):
    """View → cart loses the largest share (as in real shops); after the cart, checkout does."""
    sessions, _ = shop
    counts = funnel.stage_counts(sessions)
    assert counts.is_monotonic_decreasing
    assert funnel.leakiest_step(counts) == "view_to_cart"
    drop = funnel.step_drop_off(counts)
    assert drop["cart_to_checkout"] > max(drop["checkout_to_order"], drop["order_to_paid"])


def test_daily_visitor_conversion_by_hand():
    sessions, _ = tiny_shop()
    # every session in tiny_shop is on its own day, so visitor-days = sessions: 2 / 6;
    # two sessions of V1 on one day become one visitor-day that bought: 2 of 5
    assert funnel.daily_visitor_conversion_rate(sessions) == pytest.approx(2 / 6)
    same_day = sessions.assign(start_time=sessions["start_time"].where(
        sessions["session_id"] != "S2", pd.Timestamp("2025-01-05 20:00")))
    assert funnel.daily_visitor_conversion_rate(same_day) == pytest.approx(2 / 5)


def test_retention_and_repurchase_by_hand():
    sessions, orders = tiny_shop()
    sessions["customer_id"] = ["C1", "C1", "", "C3", "", "C3"]
    orders = orders.assign(customer_id=["C1", "C1", "C3"],
                           order_time=pd.to_datetime(["2025-01-05", "2025-01-09", "2025-02-02"]))
    # paying customers C1 (S1, completed) and C3 (S4, refunded); C1's second order was
    # cancelled, so nobody has two paid orders: repurchase 0 / 2
    assert metrics.repurchase_rate(orders) == 0.0
    # C1 came back on 01-09 and C3 on 02-15, both after their first paid order: 2 / 2
    assert funnel.return_visit_rate(sessions, orders) == 1.0
    # a second paid order for C1 makes one repeat buyer of two
    assert metrics.repurchase_rate(orders.assign(status="completed")) == 0.5


def test_lesson_claims_on_the_shop_data(shop):
    sessions, orders = shop
    # "mobile wins on visits and loses on conversion", and leaks most at cart → checkout
    device = funnel.conversion_by(sessions, "device")
    assert (sessions["device"] == "mobile").mean() > 0.5
    assert device["mobile"] < device["pc"]
    steps = funnel.step_conversion_by(sessions, "device")
    assert steps.loc["started_checkout", "mobile"] < steps.loc["started_checkout", "pc"]
    # the checkout test has both arms, randomised about 50/50
    ab = funnel.ab_counts(sessions)
    assert list(ab.index) == ["A", "B"]
    assert abs(ab.at["A", "visitors"] / ab["visitors"].sum() - 0.5) < 0.02
