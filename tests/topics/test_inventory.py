"""Chapter 03: inventory formulas against hand-worked examples, the order-up-to planner's
callbacks, and the lesson's claims on the shop data."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from shoplab import inventory as inv
from shoplab.widgets.inventory import (
    ON_HAND,
    ORDER_UP_TO,
    SAFETY_STOCK,
    STOCKOUTS,
    order_up_to_planner,
)

Z95 = 1.6448536269514722  # standard-normal 95th percentile, from any z table (1.645)


def test_turnover_and_days_by_hand():
    # COGS ¥120,000 on an average stock of ¥10,000 at cost: 12 turns; 365 / 12 = 30.42 days
    assert inv.inventory_turnover(120_000, 10_000) == pytest.approx(12.0)
    assert inv.days_of_inventory(12.0) == pytest.approx(365 / 12)
    assert inv.days_of_inventory(12.0, period_days=30) == pytest.approx(2.5)


def _days(sku, on_hand, sold, stockout=None, start="2025-01-01"):
    n = len(on_hand)
    return pd.DataFrame({"date": pd.date_range(start, periods=n), "sku": sku, "on_hand": on_hand,
                         "received": 0, "units_sold": sold,
                         "stockout": stockout or [False] * n})


def test_turnover_table_values_average_stock_at_cost():
    stock = pd.concat([_days("A", [10, 20, 30, 40], [1, 2, 3, 4]),
                       _days("B", [5, 5, 5, 5], [5, 5, 5, 5])])
    products = pd.DataFrame({"sku": ["A", "B"], "unit_cost": [2.0, 10.0]})
    table = inv.turnover_table(stock, products, "2025-01-01", "2025-01-04")
    # A: COGS 10 units × ¥2 = ¥20; average stock 25 units × ¥2 = ¥50; 0.4 turns in 4 days
    assert table.loc["A"].tolist() == pytest.approx([20.0, 50.0, 0.4, 4 / 0.4])
    # B: COGS 20 × ¥10 = ¥200; average 5 × ¥10 = ¥50; 4 turns, one day each
    assert table.loc["B"].tolist() == pytest.approx([200.0, 50.0, 4.0, 1.0])
    # the period is inclusive and cuts the other days off: A on 2 and 3 Jan, (2+3)·2 / (25·2)
    two = inv.turnover_table(stock, products, "2025-01-02", "2025-01-03")
    assert two.at["A", "turnover"] == pytest.approx(5 / 25)


def test_lead_times_in_days_mean_and_sample_std():
    pos = pd.DataFrame({"sku": ["A", "A", "A", "B"],
                        "order_date": pd.to_datetime(["2025-01-01", "2025-01-08", "2025-01-15",
                                                      "2025-03-01"]),
                        "received_date": pd.to_datetime(["2025-01-11", "2025-01-20",
                                                         "2025-01-29", "2025-03-08"])})
    assert inv.lead_times(pos).tolist() == [10, 12, 14, 7]
    stats = inv.lead_time_stats(pos)
    # A: mean (10 + 12 + 14) / 3 = 12; sample variance (4 + 0 + 4) / 2 = 4, so std 2
    assert stats.loc["A"].tolist() == pytest.approx([12.0, 2.0])
    assert stats.at["B", "mean"] == 7.0 and math.isnan(stats.at["B", "std"])


def test_demand_stats_skip_stockout_and_prelaunch_days():
    stock = _days("A", [9] * 5, [0, 4, 6, 1, 8], stockout=[False, False, False, True, False])
    products = pd.DataFrame({"sku": ["A"], "launch_date": pd.to_datetime(["2025-01-02"])})
    stats = inv.demand_stats(stock, products, "2025-01-01", "2025-01-05")
    # selling days: 2, 3 and 5 Jan (launch on the 2nd, stock-out on the 4th): 4, 6, 8
    assert stats.loc["A"].tolist() == pytest.approx([6.0, 2.0])


def test_z_and_safety_stock_by_hand():
    assert inv.z_for(0.95) == pytest.approx(Z95)
    assert inv.z_for(0.5) == 0.0
    # σ 4 a day over 9 days: σ_L = 4·√9 = 12; at 95 %: 1.645 × 12 = 19.74 units
    assert inv.safety_stock(4.0, 9.0, 0.95) == pytest.approx(Z95 * 12)
    assert inv.safety_stock(4.0, 0.0, 0.95) == 0.0
    assert inv.safety_stock(4.0, 9.0, 0.5) == 0.0
    # four times the lead time doubles (not quadruples) the safety stock
    assert inv.safety_stock(4.0, 36.0, 0.95) == pytest.approx(2 * inv.safety_stock(4.0, 9.0, 0.95))


def test_safety_stock_with_variable_lead_time_by_hand():
    # d̄ 10, σ 3, L 4, σ_L 1: √(4·9 + 100·1) = √136 = 11.662; × 1.645 = 19.18 units
    assert inv.safety_stock_variable_lead_time(10, 3, 4, 1, 0.95) == pytest.approx(
        Z95 * math.sqrt(136))
    # with a fixed lead time it is the simple formula
    assert inv.safety_stock_variable_lead_time(10, 3, 4, 0, 0.95) == pytest.approx(
        inv.safety_stock(3, 4, 0.95))


def test_reorder_point_by_hand():
    # 20 a day for 7 days = 140, plus 30 of safety stock = 170
    assert inv.reorder_point(20.0, 7.0, 30.0) == 170.0
    assert inv.reorder_point(11.0, 0.0, 25.0) == 25.0


def test_order_up_to_level_covers_review_period_and_lead_time():
    # 20 a day, σ 6, R 7 + L 9 = 16 days: 320 + 1.645 · 6 · 4 = 359.48
    assert inv.order_up_to_level(20.0, 6.0, 7.0, 9.0, 0.95) == pytest.approx(320 + Z95 * 24)
    # with no review period it is the reorder point
    assert inv.order_up_to_level(20.0, 6.0, 0.0, 9.0, 0.95) == pytest.approx(
        inv.reorder_point(20.0, 9.0, inv.safety_stock(6.0, 9.0, 0.95)))


def test_inventory_position_adds_what_is_on_order_at_the_start_of_the_day():
    day = pd.Timestamp("2025-03-10")
    stock = pd.DataFrame({"date": [day, day, day - pd.Timedelta(days=1)],
                          "sku": ["A", "B", "A"], "on_hand": [5, 7, 99]})
    orders = pd.DataFrame({
        "sku": ["A", "A", "A", "A", "B"],
        "order_date": pd.to_datetime(["2025-03-01", "2025-03-03", "2025-03-10", "2025-02-01",
                                      "2025-02-20"]),
        "received_date": pd.to_datetime(["2025-03-10", "2025-03-20", "2025-03-25",
                                         "2025-03-09", "2025-03-01"]),
        "quantity": [10, 4, 50, 30, 8],
    })
    # on order for A: received on the day (10, not yet in the start-of-day on_hand) and later
    # (4); not the one placed that day (50) nor the one received the day before (30). B: none.
    assert inv.on_order(orders, day).to_dict() == {"A": 14}
    assert inv.inventory_position(stock, orders, day).to_dict() == {"A": 19, "B": 7}


def test_eoq_by_hand():
    # D 1,000 a year, ¥50 an order, ¥4 a unit-year: √(2 · 1000 · 50 / 4) = √25,000 = 158.1
    assert inv.economic_order_quantity(1000, 50, 4) == pytest.approx(math.sqrt(25_000))


def test_fill_rate_by_hand_and_above_the_cycle_service_level():
    # z = 0 at 50 %: short = σ · φ(0) = 10 · 0.39894 = 3.989 of a cycle's 100 units
    assert inv.fill_rate(0.5, 10.0, 100.0) == pytest.approx(1 - 10 * 0.3989422804014327 / 100)
    assert inv.fill_rate(0.95, 10.0, 100.0) > 0.95
    assert inv.fill_rate(0.99, 10.0, 100.0) > inv.fill_rate(0.95, 10.0, 100.0)


def test_festival_uplift_is_the_ratio_of_units_per_day():
    stock = pd.concat([_days("A", [1] * 4, [1, 1, 3, 5]), _days("B", [1] * 4, [1, 1, 1, 1])])
    # 2 a day on 1–2 Jan, (4 + 6) / 2 = 5 a day on 3–4 Jan
    assert inv.festival_uplift(stock, ("2025-01-03", "2025-01-04"),
                               ("2025-01-01", "2025-01-02")) == pytest.approx(2.5)


def test_stockout_days_episodes_and_lost_units():
    flags = [False] * 28 + [True, True, True] + [False, True]
    sold = [5] * 28 + [2, 0, 0] + [9, 0]
    stock = pd.concat([_days("A", [1] * 33, sold, flags), _days("B", [1] * 3, [1] * 3)])
    assert inv.stockout_days(stock).to_dict() == {"A": 4}
    episodes = inv.stockout_episodes(stock)
    assert episodes.days.tolist() == [3, 1]
    assert episodes["first"].tolist() == [pd.Timestamp("2025-01-29"), pd.Timestamp("2025-02-02")]
    # 28 days at 5 a day before 29 Jan; 3 stock-out days → 15 wanted, 2 sold: 13 lost
    assert inv.lost_units(stock, "A", "2025-01-29", "2025-01-31") == pytest.approx(13.0)


# --- the widget -------------------------------------------------------------------------------

@pytest.fixture
def planner():
    # A sells 2, 4, 6, 8 a day (mean 5, sample σ √(20/3)); its orders take 4 and 6 days (mean 5);
    # it is reviewed every 4 days, so an order must last R + L = 9 days
    stock = pd.concat([_days("A", [30, 20, 12, 6], [2, 4, 6, 8]),
                       _days("B", [9, 9, 0, 9], [1, 1, 0, 1], [False, False, True, False])])
    products = pd.DataFrame({"sku": ["A", "B"], "name": ["Pan", "Lid"],
                             "launch_date": pd.to_datetime(["2024-01-01"] * 2),
                             "review_period_days": [4, 14]})
    pos = pd.DataFrame({"sku": ["A", "A", "B"],
                        "order_date": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-01"]),
                        "received_date": pd.to_datetime(["2025-01-05", "2025-01-08",
                                                         "2025-01-11"])})
    return order_up_to_planner(stock, products, pos, "2025-01-01", "2025-01-04")


def test_planner_starts_at_the_skus_review_period_and_mean_lead_time(planner):
    assert planner.sku.value == "A" and planner.review_days.value == 4
    assert planner.lead_time.value == 5
    fig = planner.figure
    assert list(fig.data[ON_HAND].y) == [30, 20, 12, 6]
    sigma = math.sqrt(20 / 3)
    # 95 %: SS = 1.645 · 2.582 · √9 = 12.74; S = 5 · 9 + 12.74 = 57.74
    assert fig.data[SAFETY_STOCK].y[0] == pytest.approx(Z95 * sigma * 3)
    assert fig.data[ORDER_UP_TO].y[0] == pytest.approx(45 + Z95 * sigma * 3)
    assert "57.7 units" in planner.readout.value


def test_service_level_slider_moves_the_lines_and_readout(planner):
    before = planner.figure.data[ORDER_UP_TO].y[0]
    planner.service_level.value = 0.80
    fig = planner.figure
    # z at 80 % is 0.8416 (z table): SS = 0.8416 · 2.582 · √9 = 6.52; S = 45 + 6.52 = 51.52
    ss = 0.8416212335729143 * math.sqrt(20 / 3) * 3
    assert list(fig.data[SAFETY_STOCK].y) == pytest.approx([ss, ss])
    assert list(fig.data[ORDER_UP_TO].y) == pytest.approx([45 + ss] * 2)
    assert "51.5 units" in planner.readout.value and "z = 0.842" in planner.readout.value
    planner.service_level.value = 0.99
    assert planner.figure.data[ORDER_UP_TO].y[0] > before


def test_periods_add_up_and_scale_safety_stock_by_their_square_root(planner):
    ss9 = planner.figure.data[SAFETY_STOCK].y[0]
    planner.lead_time.value = 32  # R + L = 36 = 4 × 9
    assert planner.figure.data[SAFETY_STOCK].y[0] == pytest.approx(2 * ss9)
    assert planner.figure.data[ORDER_UP_TO].y[0] == pytest.approx(5 * 36 + 2 * ss9)
    planner.review_days.value = 13  # R + L = 45
    assert planner.figure.data[ORDER_UP_TO].y[0] == pytest.approx(
        5 * 45 + ss9 * math.sqrt(45 / 9))


def test_choosing_another_sku_redraws_its_stock_and_stockouts(planner):
    planner.sku.value = "B"
    fig = planner.figure
    assert planner.lead_time.value == 10 and planner.review_days.value == 14
    assert list(fig.data[ON_HAND].y) == [9, 9, 0, 9]
    assert len(fig.data[STOCKOUTS].x) == 1
    # B's selling days sell 1, 1, 1: σ 0, so no safety stock; S = 1 × (14 + 10)
    assert fig.data[ORDER_UP_TO].y[0] == pytest.approx(24.0)


# --- the lesson's and the exercises' claims on the shop data ----------------------------------

@pytest.fixture(scope="module")
def shop():
    from shoplab import load_table

    return (load_table("inventory"), load_table("purchase_orders"),
            load_table("products").set_index("sku"))


PLANTED = {  # SKU -> the month or festival run-up its stock-out falls in (first day, day after)
    "HW-002": ("2024-10-15", "2024-11-11"),
    "HW-028": ("2024-06-01", "2024-06-30"),
    "HW-010": ("2025-07-01", "2025-07-31"),
    "HW-016": ("2025-09-01", "2025-09-30"),
}


def test_the_stockouts_are_the_planted_ones(shop):
    stock, _, _ = shop
    episodes = inv.stockout_episodes(stock).set_index("sku")
    assert set(episodes.index) == set(PLANTED) and episodes.index.is_unique
    for sku, (start, end) in PLANTED.items():
        assert pd.Timestamp(start) <= episodes.at[sku, "first"]
        assert episodes.at[sku, "last"] < pd.Timestamp(end)
        assert inv.lost_units(stock, sku, episodes.at[sku, "first"], episodes.at[sku, "last"]) > 0


def test_late_deliveries_caused_the_stockouts(shop):
    stock, pos, _ = shop
    usual = inv.lead_time_stats(pos)
    for e in inv.stockout_episodes(stock).itertuples():
        ended = pos[(pos.sku == e.sku) & (pos.received_date == e.last + pd.Timedelta(days=1))]
        assert inv.lead_times(ended).max() > usual.at[e.sku, "mean"] + 3 * usual.at[e.sku, "std"]


def test_the_shop_reviews_stock_weekly_or_fortnightly(shop):
    """Purchase orders fall on review days; a review may order nothing (minimum order lots)."""
    _, pos, catalogue = shop
    assert set(catalogue.review_period_days) == {7, 14}
    gaps = pos.sort_values("order_date").groupby("sku").order_date.diff().dt.days.dropna()
    assert (gaps % pos.loc[gaps.index, "sku"].map(catalogue.review_period_days) == 0).all()
    assert (gaps == pos.loc[gaps.index, "sku"].map(catalogue.review_period_days)).mean() > 0.5


def test_empty_shelf_days_differ_from_stockout_days(shop):
    """Exercise 03.6's mistake is a real one: on_hand == 0 miscounts some SKUs."""
    stock, _, _ = shop
    empty = stock[stock.on_hand == 0].groupby("sku").size()
    assert not empty.equals(inv.stockout_days(stock).rename(None))


def test_revenue_turnover_flatters_every_sku(shop):
    stock, _, catalogue = shop
    table = inv.turnover_table(stock, catalogue.reset_index(), "2025-01-01", "2025-12-31")
    year = inv.in_period(stock, "2025-01-01", "2025-12-31")
    revenue = year.groupby("sku").units_sold.sum() * catalogue.list_price
    assert (revenue / table.average_inventory > table.turnover).all()
    assert (table.turnover > 1).all()


def test_the_festival_demand_window_has_no_stockouts(shop):
    """Exercise 03.8 averages HW-002's plain units_sold: no day in its window is censored."""
    stock, _, _ = shop
    window = inv.in_period(stock[stock.sku == "HW-002"], "2025-09-01", "2025-10-20")
    assert len(window) == 50 and not window.stockout.any()


def test_the_festival_uplift_is_large_and_the_stocked_out_skus_own_is_censored(shop):
    """Exercise 03.8's two demand mistakes differ from its reference on the shop's data."""
    stock, _, _ = shop
    festival, quiet = ("2024-10-21", "2024-11-11"), ("2024-09-01", "2024-10-20")
    shop_uplift = inv.festival_uplift(stock, festival, quiet)
    own = inv.festival_uplift(stock[stock.sku == "HW-002"], festival, quiet)
    assert shop_uplift > 1.5 and own < shop_uplift


def test_the_overstocked_skus_are_the_over_forecast_ones(shop):
    """Exercise 03.2's rule (days of inventory above twice the median) finds the SKUs the data
    dictionary says were ordered on an inflated forecast, and only them."""
    stock, _, catalogue = shop
    days = inv.turnover_table(stock, catalogue.reset_index(), "2025-01-01",
                              "2025-12-31")["days_of_inventory"]
    assert set(days[days > 2 * days.median()].index) == {"HW-005", "HW-024", "HW-014", "HW-039"}
