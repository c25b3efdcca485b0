"""Chapter 07: the stream funnel, stream contribution, boost, K-factor and repeat-rate formulas
against hand-worked values, and the stream planner widget."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from shoplab import metrics, social
from shoplab.widgets.social import stream_planner


def tiny_streams() -> pd.DataFrame:
    return pd.DataFrame({
        "stream_id": ["LS1", "LS2", "LS3"],
        "date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-03"]),
        "host_type": ["own_staff", "kol", "kol"],
        "host_fee": [300.0, 1000.0, 4000.0],
        "commission_rate": [0.0, 0.10, 0.20],
        "views": [2000, 20000, 0],
        "unique_viewers": [1000, 8000, 0],
        "avg_watch_seconds": [60.0, 90.0, 0.0],
        "orders": [4, 30, 0],
        "gmv": [800.0, 12000.0, 0.0],
    })


def test_funnel_by_hand():
    f = social.stream_funnel(tiny_streams())
    assert f.loc["LS2", "gpm"] == pytest.approx(600.0)  # 12,000 ÷ 20,000 × 1,000
    assert f.loc["LS2", "uv_value"] == pytest.approx(1.5)  # 12,000 ÷ 8,000
    assert f.loc["LS1", "views_per_viewer"] == pytest.approx(2.0)
    assert f.loc["LS1", "watch_minutes"] == pytest.approx(2000.0)  # 2,000 views × 1 minute
    assert f.loc["LS2", "viewer_conversion"] == pytest.approx(30 / 8000)
    assert f.loc["LS3", ["gpm", "uv_value", "viewer_conversion"]].tolist() == [0.0, 0.0, 0.0]


def test_stream_contribution_and_break_even_by_hand():
    # ¥12,000 × (0.25 − 0.10) − ¥1,000 − ¥200 = ¥600
    assert social.stream_contribution(12000, 0.25, 1000, 0.10, 200) == pytest.approx(600)
    assert social.break_even_fee(12000, 0.25, 0.10, 200) == pytest.approx(1600)
    # each view brings ¥0.60 and keeps 15 % of it: ¥0.09; ¥1,200 ÷ ¥0.09 = 13,333 views
    assert social.break_even_views(1000, 0.10, 0.25, 0.6, 200) == pytest.approx(1200 / 0.09)
    assert social.break_even_views(1000, 0.30, 0.25, 0.6) == math.inf
    assert social.break_even_views(0, 0.10, 0.25, 0.6) == 0.0


def tiny_orders() -> pd.DataFrame:
    return pd.DataFrame({
        "order_id": ["O1", "O2", "O3", "O4", "O5"],
        "customer_id": ["C1", "C2", "C1", "C3", "C2"],
        "order_time": pd.to_datetime(["2025-03-02 20:10", "2025-03-02 20:20", "2025-03-05 09:00",
                                      "2025-03-01 19:30", "2025-03-02 08:00"]),
        "channel": ["livestream", "livestream", "platform", "livestream", "mini_program"],
        "status": ["completed", "completed", "refunded", "cancelled", "completed"],
        "campaign_id": ["AD07", None, None, "AD06", None],
        "stream_id": ["LS2", "LS2", None, "LS1", None],
        "order_amount": [1000.0, 500.0, 80.0, 300.0, 60.0],
    })


def tiny_ads() -> pd.DataFrame:
    return pd.DataFrame({
        "date": pd.to_datetime(["2025-03-01", "2025-03-02", "2025-03-02"]),
        "campaign_id": ["AD06", "AD07", "AD02"],
        "ad_channel": ["livestream_ads", "livestream_ads", "search_ads"],
        "spend": [50.0, 200.0, 99.0],
    })


def test_boost_and_slot_by_hand():
    streams, orders, ads = tiny_streams(), tiny_orders(), tiny_ads()
    assert social.ad_boost(streams, ads).tolist() == [50.0, 200.0, 0.0]  # search spend is no boost
    boost = social.boost_results(streams, orders, ads, 0.25)
    # LS2's day: the AD07 order, ¥1,000 × (0.25 − 0.10) = ¥150, less ¥200 of boost
    assert boost.loc["LS2"].tolist() == pytest.approx([200.0, 1000.0, -50.0])
    # LS1's boost order was cancelled: nothing won, ¥50 spent
    assert boost.loc["LS1"].tolist() == pytest.approx([50.0, 0.0, -50.0])
    slot = social.slot_contribution(streams, orders, ads, 0.25)
    # LS2 without its boost order: (12,000 − 1,000) × 0.15 − 1,000 = ¥650
    assert slot["LS2"] == pytest.approx(650.0)
    assert slot["LS1"] == pytest.approx(800 * 0.25 - 300)


def test_k_factor_by_hand():
    k = social.k_factor(share_links=50, referred_customers=5, paying_customers=200)
    assert k.tolist() == pytest.approx([0.25, 0.1, 0.025])
    assert social.k_factor(0, 0, 0).tolist() == [0.0, 0.0, 0.0]
    referrals = pd.DataFrame({"customer_id": ["C1", "C1", "C2"],
                              "referred_customer_id": ["C3", None, None]})
    # three links from two payers (C3's only order was cancelled): i = 1.5, c = 1/3
    assert social.referral_k_factor(referrals, tiny_orders()).tolist() == pytest.approx(
        [1.5, 1 / 3, 0.5])


def test_repeat_rate_counts_orders_in_any_channel():
    orders = tiny_orders()
    customers = pd.DataFrame({"customer_id": ["C1", "C2", "C3"],
                              "acquisition_channel": ["search", "social", "legacy"]})
    repeat = social.repeat_rate_by_first_channel(orders, customers)
    # C2 first bought on the mini-program, then on livestream: a repeat buyer won there;
    # C1 first on livestream, again on the platform (refunded, still paid); C3 is legacy
    assert repeat.to_dict() == {"livestream": 1.0, "mini_program": 1.0}
    refunds = social.refund_rate_by_channel(orders)
    assert refunds.to_dict() == {"livestream": 0.0, "mini_program": 0.0, "platform": 1.0}


def test_conversion_ratios_by_hand():
    sessions = pd.DataFrame({
        "channel": ["livestream"] * 4 + ["platform"],
        "added_to_cart": [True, True, False, False, True],
        "started_checkout": [True, True, False, False, True],
        "placed_order": [True, False, False, False, True],
    })
    ratios = social.conversion_ratios(tiny_streams(), sessions)
    assert list(ratios.index) == list(social.CONVERSION_RATIOS)
    assert ratios.tolist() == pytest.approx([34 / 22000, 34 / 9000, 1 / 4, 1 / 2, 1 / 2])


def test_the_shops_kol_slots_stop_paying_as_the_fee_grows():
    from shoplab import load_table

    t = {n: load_table(n) for n in ("livestreams", "orders", "order_items", "products", "fees",
                                     "shipments", "ad_campaigns")}
    margin = metrics.channel_contribution(t["orders"], t["order_items"], t["products"],
                                          t["fees"], t["shipments"]).at["livestream",
                                                                        "contribution_margin"]
    assert 0.15 < margin < 0.35
    slot = social.slot_contribution(t["livestreams"], t["orders"], t["ad_campaigns"], margin)
    streams = t["livestreams"].set_index("stream_id")
    by_fee = slot[streams["host_type"] == "kol"].groupby(streams["host_fee"]).mean()
    assert by_fee.iloc[0] > 0 > by_fee.iloc[1:].max()


def test_planner_break_even_and_curve():
    planner = stream_planner({"own_staff": 400.0, "kol": 600.0}, 0.25)
    planner.host_type.value = "kol"
    with planner.holding_redraw():
        planner.fee.value, planner.commission.value, planner.views.value = 1000, 0.10, 20000
    # ¥0.60 a view keeps 15 %: ¥0.09 a view; ¥1,000 ÷ ¥0.09
    assert planner.break_even_views() == pytest.approx(1000 / 0.09)
    x, y = np.array(planner.figure.data[0].x), np.array(planner.figure.data[0].y)
    assert y == pytest.approx(x * 0.09 - 1000)
    assert "11,111" in planner.readout.value
    before = list(planner.figure.data[0].y)
    planner.commission.value = 0.30  # the commission takes the whole margin: never pays back
    assert planner.break_even_views() == math.inf
    assert list(planner.figure.data[0].y) != before
    assert "never" in planner.readout.value
