"""Chapter 06: ad formulas against hand-worked examples, the response-curve fit, the budget
allocator widget, and the claims the lesson makes about the shop's campaigns."""

import math

import numpy as np
import pandas as pd
import pytest

from shoplab import ads, load_table, metrics
from shoplab.widgets.ads import BREAK_EVEN, budget_allocator


def test_metric_tree_on_a_hand_worked_campaign():
    # 20,000 impressions, 400 clicks, ¥1,200 spend, 12 orders, ¥3,600 revenue
    assert ads.click_through_rate(400, 20_000) == pytest.approx(0.02)  # 400 / 20,000
    assert ads.cost_per_click(1200, 400) == pytest.approx(3.0)  # 1,200 / 400
    assert ads.cost_per_mille(1200, 20_000) == pytest.approx(60.0)  # 1,200 / 20,000 × 1,000
    assert metrics.conversion_rate(12, 400) == pytest.approx(0.03)  # 12 / 400
    assert ads.cost_per_acquisition(1200, 12) == pytest.approx(100.0)  # 1,200 / 12
    assert ads.return_on_ad_spend(3600, 1200) == pytest.approx(3.0)  # 3,600 / 1,200


def test_roas_is_not_profit_roi():
    # margin 25 %: break-even ROAS = 1 / 0.25 = 4; at ROAS 3 the ads keep 3,600 × 0.25 = 900
    # of contribution for ¥1,200 spent: ROI = (900 − 1,200) / 1,200 = −0.25
    assert ads.break_even_roas(0.25) == pytest.approx(4.0)
    assert ads.profit_roi(3600, 1200, 0.25) == pytest.approx(-0.25)
    assert ads.profit_roi(4800, 1200, 0.25) == pytest.approx(0.0)  # exactly at break-even


def test_nothing_bought_is_an_infinite_cost_and_a_zero_rate():
    assert ads.cost_per_click(300, 0) == math.inf
    assert ads.cost_per_acquisition(300, 0) == math.inf
    assert metrics.conversion_rate(0, 0) == 0.0
    assert ads.return_on_ad_spend(0, 0) == 0.0


def test_campaign_metrics_sum_days_before_dividing():
    days = pd.DataFrame({
        "campaign_id": ["A", "A", "B"],
        "impressions": [1000, 9000, 500],
        "clicks": [10, 190, 0],
        "spend": [50.0, 250.0, 40.0],
        "attributed_orders": [1, 2, 0],
        "attributed_revenue": [100.0, 500.0, 0.0],
    })
    table = ads.campaign_metrics(days)
    # A: 200 clicks / 10,000 impressions = 0.02 (the mean of the daily CTRs would be 0.0156)
    assert table.at["A", "ctr"] == pytest.approx(0.02)
    assert table.at["A", "cpm"] == pytest.approx(30.0)  # 300 / 10,000 × 1,000
    assert table.at["A", "cpa"] == pytest.approx(100.0)  # 300 / 3
    assert table.at["A", "roas"] == pytest.approx(2.0)  # 600 / 300
    # B: ¥40 for 500 impressions and no clicks
    assert table.at["B", "cpc"] == math.inf and table.at["B", "cpa"] == math.inf
    assert table.at["B", "ctr"] == 0.0 and table.at["B", "cvr"] == 0.0
    assert table.at["B", "cpm"] == pytest.approx(80.0)  # 40 / 500 × 1,000


def test_cac_is_ad_spend_per_new_customer():
    # ¥500 of ads won 2 new customers: ¥250 each; nobody new is an infinite cost
    assert ads.customer_acquisition_cost(500.0, 2) == pytest.approx(250.0)
    assert ads.customer_acquisition_cost(500.0, 0) == math.inf


def test_fit_recovers_a_known_response_curve():
    rng = np.random.default_rng(6)
    spend = rng.uniform(200, 5000, 400)
    revenue = 30.0 * spend ** 0.7 * np.exp(rng.normal(0, 0.2, spend.size))
    curve = ads.fit_response_curve(spend, revenue)
    assert curve.elasticity == pytest.approx(0.7, abs=0.05)
    assert curve.scale == pytest.approx(30.0, rel=0.3)
    # with diminishing returns ROAS falls as spend grows
    assert curve.roas(4000) < curve.roas(1000)


def test_max_spend_at_roas_solves_the_curve():
    # ROAS = 100 × s^(0.5 − 1) = 2 → √s = 50 → s = 2,500
    assert ads.max_spend_at_roas(100, 0.5, 2.0) == pytest.approx(2500.0)
    curve = ads.ResponseCurve(100, 0.5)
    assert curve.roas(2500.0) == pytest.approx(2.0)


def synthetic_campaigns(seed=11) -> pd.DataFrame:
    """Two channels with known curves: search (scale 40, elasticity 0.8), display (60, 0.5)."""
    rng = np.random.default_rng(seed)
    rows = []
    for channel, scale, elasticity in (("search_ads", 40.0, 0.8), ("display_ads", 60.0, 0.5)):
        for day in pd.date_range("2025-01-01", periods=120):
            spend = float(rng.uniform(300, 3000))
            revenue = scale * spend ** elasticity * float(np.exp(rng.normal(0, 0.1)))
            rows.append({"date": day, "campaign_id": channel[:2], "ad_channel": channel,
                         "spend": spend, "attributed_revenue": revenue,
                         "attributed_orders": max(1, round(revenue / 150))})
    return pd.DataFrame(rows)


def test_plan_adds_up():
    linear = {"a": ads.ResponseCurve(10.0, 1.0), "b": ads.ResponseCurve(4.0, 1.0)}
    curves = {"x": ads.ChannelCurve({"a": linear["a"]}, {"a": 1.0}, 100.0, 50.0),
              "y": ads.ChannelCurve(linear, {"a": 0.25, "b": 0.75}, 200.0, 80.0)}
    table = ads.plan(curves, {"x": 100.0, "y": 200.0}, 0.3)
    # x: revenue 10 × 100 = 1,000, orders 1,000 / 50 = 20, contribution 300 − 100 = 200
    # y: a gets 50 → 500, b gets 150 → 600: revenue 1,100, orders 13.75, contribution 330 − 200
    assert table.at["y", "revenue"] == pytest.approx(1100.0)
    assert table.at["total", "revenue"] == pytest.approx(2100.0)
    assert table.at["total", "orders"] == pytest.approx(33.75)
    assert table.at["total", "contribution"] == pytest.approx(330.0)
    assert table.at["total", "roas"] == pytest.approx(2100 / 300)


def test_event_campaigns_are_not_always_on():
    days = synthetic_campaigns()
    blitz = days[days["campaign_id"] == "se"].iloc[::7].assign(campaign_id="blitz")
    both = pd.concat([days, blitz])
    assert sorted(ads.always_on(both)) == ["di", "se"]
    curve = ads.channel_curves(both)["search_ads"]
    assert list(curve.curves) == ["se"] and curve.shares == {"se": 1.0}
    assert curve.budget == pytest.approx(days.loc[days["campaign_id"] == "se", "spend"].mean())


def test_moving_a_slider_moves_revenue_and_blended_roas_not_break_even():
    widget = budget_allocator(synthetic_campaigns(), contribution_margin=0.3)
    before = widget.table()
    bars = list(widget.figure.data[0].y)
    line = list(widget.figure.data[BREAK_EVEN].y)
    assert line == pytest.approx([1 / 0.3] * 3)
    readout = widget.readout.value

    search = widget.sliders["search_ads"]
    search.value = min(search.max, 2 * search.value)
    after = widget.table()
    assert after.at["search_ads", "revenue"] > before.at["search_ads", "revenue"]
    assert after.at["total", "roas"] != pytest.approx(before.at["total", "roas"])
    assert list(widget.figure.data[0].y) != pytest.approx(bars)
    # diminishing returns: doubling search spend lowers search's ROAS on the chart
    assert widget.figure.data[0].y[list(widget.figure.data[0].x).index("search_ads")] < bars[
        list(widget.figure.data[0].x).index("search_ads")]
    assert list(widget.figure.data[BREAK_EVEN].y) == pytest.approx(line)
    assert widget.readout.value != readout


def test_readout_says_when_the_plan_loses_money():
    widget = budget_allocator(synthetic_campaigns(), contribution_margin=0.05)  # break-even 20
    assert "losing money" in widget.readout.value
    generous = budget_allocator(synthetic_campaigns(), contribution_margin=0.9)
    for slider in generous.sliders.values():
        slider.value = slider.max / 10
    assert "profitable" in generous.readout.value


@pytest.fixture(scope="module")
def shop():
    names = ["orders", "order_items", "products", "fees", "shipments", "ad_campaigns"]
    return {name: load_table(name) for name in names}


def test_some_campaigns_lose_money_and_others_make_it(shop):
    margin = metrics.unit_economics(shop["orders"], shop["order_items"], shop["products"],
                                    shop["fees"], shop["shipments"])["contribution_margin"]
    assert 0 < margin < 1
    roas = ads.campaign_metrics(shop["ad_campaigns"])["roas"]
    below = roas < ads.break_even_roas(margin)
    assert below.any() and not below.all()
    # ...and some losing campaigns still show a console "ROI" above 1: the trap the lesson names
    assert (below & (roas > 1)).any()


def test_every_campaign_has_diminishing_returns(shop):
    for campaign, curve in ads.fit_response_curves(shop["ad_campaigns"]).items():
        assert 0 < curve.elasticity < 1, campaign
    # event-only campaigns exist, and the allocator leaves them out
    assert set(ads.always_on(shop["ad_campaigns"])) < set(shop["ad_campaigns"]["campaign_id"])


def test_long_tail_keywords_are_clicked_and_bought_from_more_often():
    kw = load_table("keywords").groupby("keyword_type")[["impressions", "clicks", "orders"]].sum()
    ctr = ads.click_through_rate(kw["clicks"], kw["impressions"])
    cvr = metrics.conversion_rate(kw["orders"], kw["clicks"])
    assert ctr["long_tail"] > ctr["head"] and cvr["long_tail"] > cvr["head"]
    assert kw.at["head", "impressions"] > kw.at["long_tail", "impressions"]
