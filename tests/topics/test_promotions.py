"""满减 maths, bunching, redemption and lift, by hand."""

import numpy as np
import pandas as pd
import pytest

from shoplab import promotions


def test_one_tier_and_per_every_reductions():
    baskets = [299.0, 300.0, 599.0, 600.0]
    assert list(promotions.threshold_reduction(baskets, 300, 40)) == [0, 40, 40, 40]
    assert list(promotions.threshold_reduction(baskets, 300, 40, per_every=True)) == [0, 40, 40, 80]
    assert promotions.effective_discount(300.0, 300, 40) == pytest.approx(40 / 300)
    assert promotions.effective_discount(599.0, 300, 40, per_every=True) == pytest.approx(40 / 599)


def test_bunching_ratio_counts_each_side_of_the_threshold():
    baskets = pd.Series([265.0, 275.0, 299.9, 300.0, 301.0, 329.9, 330.0])
    # under: 275, 299.9 (265 is below 270); over: 300, 301, 329.9 (330 is outside)
    assert promotions.bunching_ratio(baskets, 300) == pytest.approx(3 / 2)


def test_redemption_rates_by_audience():
    coupons = pd.DataFrame({"promo_id": ["A", "A", "B", "B", "B", "C"],
                            "redeemed_order_id": ["O1", None, None, None, "O2", "O3"]})
    rates = promotions.redemption_rates(coupons, pd.Series({"A": "new", "B": "dormant"}))
    assert rates.to_dict() == pytest.approx({"new": 0.5, "dormant": 1 / 3})


def test_baseline_lift_and_incremental_contribution():
    days = pd.date_range("2025-01-01", periods=6)
    daily = pd.Series([100.0, 100.0, 300.0, 500.0, 50.0, 100.0], index=days)
    lift = promotions.baseline_lift(daily, days[2:5], days[[0, 1, 5]])
    assert lift == pytest.approx(850 - 300)
    assert promotions.incremental_contribution(lift, 0.3, 100.0) == pytest.approx(550 * 0.3 - 100)


def test_order_contribution_below_cost():
    orders = pd.DataFrame({"order_id": ["O1", "O2"], "order_amount": [100.0, 50.0],
                           "channel": ["platform", "platform"]})
    fees = pd.DataFrame({"channel": ["platform"], "commission_rate": [0.05],
                         "payment_fee_rate": [0.01]})
    cost, shipping = pd.Series({"O1": 60.0, "O2": 40.0}), pd.Series({"O2": 5.0})
    got = promotions.order_contribution(orders, cost, fees, shipping)
    assert list(got) == pytest.approx([100 * 0.94 - 60, 50 * 0.94 - 40 - 5])


def test_rule_outcome_moves_the_near_baskets_up():
    baskets = pd.Series([100.0, 190.0, 250.0])  # 190 is within 10 % of 200
    out = promotions.rule_outcome(baskets, 200, 20, 0.3, top_up_gap=0.1, top_up_rate=0.5)
    assert out["moved_up"] == pytest.approx(1 / 3 * 0.5)
    # 190 → 200 half the time (gets ¥20), 250 always gets ¥20
    assert out["effective_discount"] == pytest.approx((0.5 * 20 + 20) / (0.5 * 200 + 250))
    gross = np.array([100, 195, 250])
    off = np.array([0, 10, 20])
    assert out["aov"] == pytest.approx((gross - off).mean())
    assert out["contribution_per_basket"] == pytest.approx((gross * 0.3 - off).mean())


def test_designer_redraws_and_reports_the_rule_it_shows():
    from shoplab.widgets.promotions import threshold_designer

    baskets = pd.Series([100.0, 190.0, 250.0, 420.0])
    w = threshold_designer(baskets, 0.3, 0.1, 0.5)
    with w.holding_redraw():
        w.threshold.value, w.reduction.value = 199, 20
    assert w.figure.layout.shapes[0].x0 == 199
    curve = dict(zip(w.figure.data[1].x, w.figure.data[1].y, strict=True))
    assert curve[200.0] == pytest.approx(0.1) and curve[195.0] == 0
    assert "满199减20" in w.readout.value
    assert w.outcome() == promotions.rule_outcome(baskets, 199, 20, 0.3, 0.1, 0.5)
    w.threshold.value = 399
    assert w.figure.layout.shapes[0].x0 == 399 and "满399减20" in w.readout.value
