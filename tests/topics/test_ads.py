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


def test_fit_recovers_a_known_response_curve_from_daily_order_counts():
    # small campaign: about 1 order a day, many days with none, each order worth ¥150
    rng = np.random.default_rng(6)
    spend = rng.uniform(50, 500, 2000)
    orders = rng.poisson(0.05 * spend ** 0.7)
    assert (orders == 0).mean() > 0.1
    curve = ads.fit_response_curve(spend, orders, order_value=150.0)
    assert curve.elasticity == pytest.approx(0.7, abs=0.05)
    assert curve.scale == pytest.approx(150.0 * 0.05, rel=0.3)
    # with diminishing returns ROAS falls as spend grows
    assert curve.roas(400) < curve.roas(100)


def test_last_click_counts_the_shops_own_paid_orders_per_campaign_day():
    days = pd.DataFrame({"date": pd.to_datetime(["2025-01-05", "2025-01-06"]),
                         "campaign_id": ["C1", "C1"], "spend": [100.0, 80.0]})
    orders = pd.DataFrame({
        "order_time": pd.to_datetime(["2025-01-05 09:00", "2025-01-05 21:00",
                                      "2025-01-05 22:00", "2025-01-06 10:00"]),
        "campaign_id": ["C1", "C1", "", "C1"],
        "status": ["completed", "refunded", "completed", "cancelled"],
        "order_amount": [120.0, 80.0, 999.0, 50.0]})
    # day 1: two paid C1 orders (a refunded one was paid too); day 2: only a cancelled one
    table = ads.with_last_click(days, orders)
    assert table["last_click_orders"].tolist() == [2, 0]
    assert table["last_click_revenue"].tolist() == [200.0, 0.0]


def test_zero_profit_and_profit_maximising_spend_solve_the_curve():
    curve = ads.ResponseCurve(100, 0.5)
    # average ROAS = 100 × s^(0.5 − 1) = 2 → √s = 50 → s = 2,500: contribution after ads is 0
    assert ads.zero_profit_spend(100, 0.5, 2.0) == pytest.approx(2500.0)
    assert curve.roas(2500.0) == pytest.approx(2.0)
    # marginal ROAS = 0.5 × 100 × s^(−0.5) = 2 → √s = 25 → s = 625
    best = ads.profit_maximising_spend(100, 0.5, 2.0)
    assert best == pytest.approx(625.0)
    assert ads.marginal_roas(curve, best) == pytest.approx(2.0)

    def profit(s):  # margin 0.5 (break-even ROAS 2): 0.5 × 100 √s − s
        return 0.5 * curve.revenue(s) - s

    assert profit(2500.0) == pytest.approx(0.0)
    assert profit(best) > max(profit(0.9 * best), profit(1.1 * best), profit(2500.0))


def synthetic_campaigns(seed=11) -> pd.DataFrame:
    """Two channels with known curves: search (scale 40, elasticity 0.8), display (60, 0.5)."""
    rng = np.random.default_rng(seed)
    rows = []
    for channel, scale, elasticity in (("search_ads", 40.0, 0.8), ("display_ads", 60.0, 0.5)):
        for day in pd.date_range("2025-01-01", periods=120):
            spend = float(rng.uniform(300, 3000))
            revenue = scale * spend ** elasticity * float(np.exp(rng.normal(0, 0.1)))
            orders = int(rng.poisson(revenue / 150))
            rows.append({"date": day, "campaign_id": channel[:2], "ad_channel": channel,
                         "spend": spend, "last_click_revenue": 150.0 * orders,
                         "last_click_orders": orders})
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


def test_best_allocation_equalises_marginal_roas_within_the_budget():
    curves = {"a": ads.ResponseCurve(100.0, 0.5), "b": ads.ResponseCurve(50.0, 0.5)}
    # unconstrained, each stops where marginal ROAS = 2: a at 625, b at (0.5 × 50 / 2)² = 156.25
    loose = ads.best_allocation(curves, 10_000.0, 2.0)
    assert loose.to_dict() == pytest.approx({"a": 625.0, "b": 156.25})
    # ¥500 is tighter: spends ∝ scale² (marginal ROAS 50 / √a = 25 / √b), so a = 4 b = 400
    tight = ads.best_allocation(curves, 500.0, 2.0)
    assert tight.to_dict() == pytest.approx({"a": 400.0, "b": 100.0})
    assert ads.marginal_roas(curves["a"], 400.0) == pytest.approx(
        ads.marginal_roas(curves["b"], 100.0))


def test_the_best_split_earns_at_least_the_plan():
    widget = budget_allocator(synthetic_campaigns(), contribution_margin=0.3)
    for share in (0.1, 0.5, 1.0):  # of each slider's range
        for slider in widget.sliders.values():
            slider.value = round(share * slider.max, -1)
        assert widget.best().sum() <= sum(s.value for s in widget.sliders.values()) + 1e-6
        assert widget.best_contribution() >= widget.table().at["total", "contribution"] - 1e-6
    assert "most profit" in widget.readout.value


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
    names = ["orders", "order_items", "products", "fees", "shipments", "ad_campaigns",
             "ad_holdout"]
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
    daily = ads.with_last_click(shop["ad_campaigns"], shop["orders"])
    for campaign, curve in ads.fit_response_curves(daily).items():
        assert 0 < curve.elasticity < 1, campaign
    # event-only campaigns exist, and the allocator leaves them out
    assert set(ads.always_on(shop["ad_campaigns"])) < set(shop["ad_campaigns"]["campaign_id"])


def test_holdout_lift_on_a_hand_worked_test():
    # exposed: 1,000 searchers, 60 orders, ¥6,000; holdout: 500 searchers, 25 orders, ¥2,400.
    # Without ads the exposed group would have bought 2 × 25 = 50 orders, 2 × 2,400 = ¥4,800
    test = pd.DataFrame({"group": ["exposed", "holdout"], "brand_searchers": [1000, 500],
                         "orders": [60, 25], "revenue": [6000.0, 2400.0]})
    lift = ads.holdout_lift(test)
    assert lift["incremental_orders"] == pytest.approx(10.0)
    assert lift["incremental_revenue"] == pytest.approx(1200.0)
    assert lift["incremental_orders_se"] == pytest.approx(math.sqrt(60 + 4 * 25))


def test_the_holdout_measures_far_less_than_the_console_claims(shop):
    holdout, campaigns = shop["ad_holdout"], shop["ad_campaigns"]
    tested = campaigns[(campaigns["campaign_id"] == "AD01")
                       & campaigns["date"].isin(holdout["date"])]
    assert tested["date"].nunique() == holdout["date"].nunique()  # AD01 ran every test day
    lift = ads.holdout_lift(holdout)
    # even the top of the 95 % interval is under half of what the console attributes
    upper = lift["incremental_orders"] + 1.96 * lift["incremental_orders_se"]
    assert upper < 0.5 * tested["attributed_orders"].sum()
    assert 0 < lift["incremental_revenue"] < 0.5 * tested["attributed_revenue"].sum()


def test_long_tail_keywords_are_clicked_and_bought_from_more_often():
    kw = load_table("keywords").groupby("keyword_type")[["impressions", "clicks", "orders"]].sum()
    ctr = ads.click_through_rate(kw["clicks"], kw["impressions"])
    cvr = metrics.conversion_rate(kw["orders"], kw["clicks"])
    assert ctr["long_tail"] > ctr["head"] and cvr["long_tail"] > cvr["head"]
    assert kw.at["head", "impressions"] > kw.at["long_tail", "impressions"]


def test_incrementality_on_a_hand_worked_test():
    # the test above caused ¥1,200; the campaign's own last clicks on the test's day: ¥3,000,
    # a day outside the test (¥999) does not count: 1,200 / 3,000 = 0.4
    test = pd.DataFrame({"date": pd.to_datetime(["2025-09-01"] * 2),
                         "group": ["exposed", "holdout"], "brand_searchers": [1000, 500],
                         "orders": [60, 25], "revenue": [6000.0, 2400.0]})
    days = pd.DataFrame({"date": pd.to_datetime(["2025-09-01", "2025-10-30"]),
                         "last_click_revenue": [3000.0, 999.0],
                         "attributed_revenue": [4800.0, 1500.0]})
    assert ads.incrementality(test, days) == pytest.approx(0.4)
    assert ads.incrementality(test, days, revenue="attributed_revenue") == pytest.approx(0.25)
    curve = ads.ResponseCurve(100.0, 0.5).scaled(0.4)
    assert curve.revenue(400.0) == pytest.approx(0.4 * 100 * 20)


def test_brand_terms_lose_budget_once_the_holdout_is_counted(shop):
    """Exercise 06.10 means something: scaling AD01 by the holdout moves money off it."""
    margin = metrics.unit_economics(shop["orders"], shop["order_items"], shop["products"],
                                    shop["fees"], shop["shipments"])["contribution_margin"]
    daily = ads.with_last_click(shop["ad_campaigns"], shop["orders"])
    daily = daily[daily["campaign_id"].isin(ads.always_on(shop["ad_campaigns"]))]
    curves = ads.fit_response_curves(daily)
    share = ads.incrementality(shop["ad_holdout"], daily[daily["campaign_id"] == "AD01"])
    assert 0 < share < 0.5
    today = daily.groupby("campaign_id")["spend"].mean()
    honest = {**curves, "AD01": curves["AD01"].scaled(share)}
    best = ads.best_allocation(honest, today.sum(), ads.break_even_roas(margin))
    trusting = ads.best_allocation(curves, today.sum(), ads.break_even_roas(margin))
    assert best["AD01"] < today["AD01"] < trusting["AD01"]
    assert best.sum() == pytest.approx(today.sum())  # the budget binds: a real reallocation
