"""Chapter 04: pricing formulas against hand-worked examples, the markup rule against a brute
force search, the price explorer widget's callbacks, and the lesson's claims on the shop data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from shoplab import metrics, pricing
from shoplab.widgets.pricing import CURRENT, DEMAND, OPTIMUM, PROFIT, REVENUE, price_explorer


def test_margin_and_markup_by_hand():
    # price ¥200, cost ¥150: profit ¥50; margin 50/200 = 0.25, markup 50/150 = 1/3
    assert pricing.gross_margin(200.0, 150.0) == pytest.approx(0.25)
    assert pricing.markup(200.0, 150.0) == pytest.approx(1 / 3)
    # 50 % margin: profit equals cost, so markup is 100 %; 25 % markup: 25/125 = 20 % margin
    assert pricing.markup_from_margin(0.5) == pytest.approx(1.0)
    assert pricing.margin_from_markup(0.25) == pytest.approx(0.2)
    for margin in (0.1, 0.33, 0.6):
        assert pricing.margin_from_markup(pricing.markup_from_margin(margin)) == pytest.approx(
            margin)


def test_margin_and_markup_work_on_series():
    price, cost = pd.Series([100.0, 40.0]), pd.Series([60.0, 30.0])
    # (100-60)/100 = 0.4, (40-30)/40 = 0.25; markups 40/60 = 2/3, 10/30 = 1/3
    assert pricing.gross_margin(price, cost).tolist() == pytest.approx([0.4, 0.25])
    assert pricing.markup(price, cost).tolist() == pytest.approx([2 / 3, 1 / 3])


def test_price_for_margin_by_hand():
    # cost ¥60 at a 40 % margin: p = 60 / (1 - 0.4) = 100; check (100-60)/100 = 0.4
    assert pricing.price_for_margin(60.0, 0.4) == pytest.approx(100.0)
    assert pricing.price_for_margin(48.0, 0.0) == 48.0
    assert pricing.price_for_margin(48.0, 1.0) == math.inf
    assert pricing.price_for_margin(48.0, 1.5) == math.inf


@pytest.mark.parametrize("price", [199, 39.9, 1299, 19.99, 9])
def test_charm_prices(price):
    assert pricing.is_charm_price(price)


@pytest.mark.parametrize("price", [200, 45, 1000, 100, 39.5, 0])
def test_not_charm_prices(price):
    assert not pricing.is_charm_price(price)


def test_arc_elasticity_by_hand_and_symmetric():
    # ¥10 -> ¥12, 100 -> 80 units: units -20 / midpoint 90 = -0.2222,
    # price +2 / midpoint 11 = 0.1818; elasticity -0.2222 / 0.1818 = -1.2222
    assert pricing.arc_elasticity(10, 100, 12, 80) == pytest.approx(-(20 / 90) / (2 / 11))
    assert pricing.arc_elasticity(10, 100, 12, 80) == pytest.approx(-1.2222, abs=1e-4)
    assert pricing.arc_elasticity(12, 80, 10, 100) == pytest.approx(
        pricing.arc_elasticity(10, 100, 12, 80))


def test_demand_by_price_averages_weeks():
    tests = pd.DataFrame({"sku": ["A", "A", "A", "B"], "price": [10.0, 10.0, 12.0, 5.0],
                          "units": [90, 110, 80, 7]})
    levels = pricing.demand_by_price(tests).set_index(["sku", "price"])
    # A at ¥10: (90 + 110) / 2 = 100 units over 2 weeks
    assert levels.loc[("A", 10.0)].tolist() == [100.0, 2]
    assert levels.loc[("B", 5.0)].tolist() == [7.0, 1]


def test_fit_demand_recovers_a_known_curve():
    # units = 1000 · p^-2: at ¥10 that is 10 units, at ¥20 2.5 units; the fit is exact
    prices = np.array([10.0, 20.0, 10.0, 40.0])
    tests = pd.DataFrame({"sku": "A", "price": prices, "units": 1000 * prices ** -2.0})
    fitted = pricing.fit_demand(tests)
    assert fitted.at["A", "elasticity"] == pytest.approx(-2.0)
    assert fitted.at["A", "scale"] == pytest.approx(1000.0)
    assert pricing.constant_elasticity_units(10.0, 1000.0, -2.0) == pytest.approx(10.0)


def test_fit_demand_standard_error_by_hand():
    # ln p = 0, 0, 1, 1 (x̄ = 0.5, Σ(x − x̄)² = 1) and ln units = 1, 3, 0, 2: slope −1,
    # residuals −1, 1, −1, 1 → variance 4 / (4 − 2) = 2, standard error √(2 / 1)
    prices = np.exp([0.0, 0.0, 1.0, 1.0])
    tests = pd.DataFrame({"sku": "A", "price": prices, "units": np.exp([1.0, 3.0, 0.0, 2.0])})
    fitted = pricing.fit_demand(tests)
    assert fitted.at["A", "elasticity"] == pytest.approx(-1.0)
    assert fitted.at["A", "elasticity_se"] == pytest.approx(math.sqrt(2.0))


NO_COSTS = {"commission_rate": 0.0, "payment_fee_rate": 0.0, "refund_rate": 0.0,
            "net_shipping": 0.0}
# f = 0.05 + 0.01 + 0.04 = 10 % of the price, s = ¥10 a unit
SOME_COSTS = {"commission_rate": 0.05, "payment_fee_rate": 0.01, "refund_rate": 0.04,
              "net_shipping": 10.0}


def test_markup_rule_on_contribution_by_hand():
    # c = 80, s = 10, f = 0.1, e = -2: (80 + 10) / 0.9 · 2 = 200. Check the first-order condition
    # by hand: contribution per unit at 200 is 200 · 0.9 - 90 = 90, and its margin 90 / 200 =
    # 0.45 = -(1 - f) / e
    assert pricing.price_share(SOME_COSTS) == pytest.approx(0.1)
    best = pricing.profit_maximising_price(80.0, -2.0, 0.1, 10.0)
    assert best == pytest.approx(200.0)
    assert metrics.contribution_margin(best, 80.0, **SOME_COSTS) == pytest.approx(0.45)
    assert pricing.profit_maximising_price(80.0, -0.9, 0.1, 10.0) == math.inf
    # the gross-margin rule would say 80 · 2 = 160, lower
    assert pricing.profit_maximising_price(80.0, -2.0) == pytest.approx(160.0)


@pytest.mark.parametrize(("cost", "elasticity"), [(80.0, -2.0), (48.06, -2.6), (119.6, -1.8)])
def test_markup_rule_on_contribution_matches_a_grid_search(cost, elasticity):
    grid = np.linspace(cost, 10 * cost, 200_001)
    profit = pricing.unit_profit(grid, cost, pricing.constant_elasticity_units(grid, 1e6,
                                                                                elasticity),
                                 **SOME_COSTS)
    best = pricing.profit_maximising_price(cost, elasticity, pricing.price_share(SOME_COSTS),
                                           SOME_COSTS["net_shipping"])
    assert abs(grid[np.argmax(profit)] - best) <= grid[1] - grid[0]


def test_required_uplift_on_contribution_by_hand_both_ways():
    # price ¥100, cost ¥50, f = 10 %, s = ¥10: contribution 100 · 0.9 - 60 = ¥30, m = 0.3.
    # 10 % off: ¥90 · 0.9 - 60 = ¥21 a unit, so 100 units · 30 / 21 = 142.86 units are needed.
    # The formula: d(1 - f) = 0.09; 0.09 / (0.3 - 0.09) = 0.4286
    m = metrics.contribution_margin(100.0, 50.0, **SOME_COSTS)
    assert m == pytest.approx(0.3)
    uplift = pricing.required_uplift(m, 0.1, 0.1)
    assert uplift == pytest.approx(30 / 21 - 1)
    after = metrics.unit_contribution(90.0, 50.0, **SOME_COSTS)
    assert after == pytest.approx(21.0)
    assert 100 * (1 + uplift) * after == pytest.approx(100 * 30.0)
    # the gross-margin rule, 0.1 / (0.5 - 0.1) = 25 %, asks for too few units: contribution falls
    assert pricing.required_uplift(0.5, 0.1) == pytest.approx(0.25)
    assert 125 * after < 100 * 30.0
    # the whole contribution gone: a cut of d(1 - f) = m needs infinitely many units
    assert pricing.required_uplift(0.3, 1 / 3, 0.1) == math.inf


def test_sale_costs_come_from_the_books():
    """f is unit_economics' commission, fee and refund shares; s its net shipping per unit."""
    from shoplab import load_table

    tables = [load_table(t) for t in ("orders", "order_items", "products", "fees", "shipments")]
    costs = pricing.sale_costs(*tables)
    shares = metrics.unit_economics(*tables)
    assert pricing.price_share(costs) == pytest.approx(
        shares["commission"] + shares["payment_fees"] + shares["returns"])
    orders, items = tables[0], tables[1]
    units = items[items.order_id.isin(metrics.paid(orders).order_id)].quantity.sum()
    assert costs["net_shipping"] * units == pytest.approx(shares["shipping"] * metrics.gmv(orders))
    assert 0 < pricing.price_share(costs) < 0.3 and costs["net_shipping"] > 0


def test_markup_rule_by_hand():
    # c = 100, e = -2: 100 · -2 / -1 = 200 (margin 50 % = -1/e); c = 60, e = -3: 60 · 1.5 = 90
    assert pricing.profit_maximising_price(100.0, -2.0) == pytest.approx(200.0)
    assert pricing.profit_maximising_price(60.0, -3.0) == pytest.approx(90.0)
    assert pricing.profit_maximising_price(100.0, -1.0) == math.inf
    assert pricing.profit_maximising_price(100.0, -0.5) == math.inf


@pytest.mark.parametrize(("cost", "elasticity"), [(100.0, -2.0), (48.06, -2.8), (119.6, -1.6),
                                                  (30.0, -5.0), (10.0, -1.3)])
def test_markup_rule_matches_a_grid_search(cost, elasticity):
    grid = np.linspace(cost, 10 * cost, 200_001)
    profit = pricing.unit_profit(grid, cost, pricing.constant_elasticity_units(grid, 1e6,
                                                                                elasticity))
    step = grid[1] - grid[0]
    assert abs(grid[np.argmax(profit)] - pricing.profit_maximising_price(cost, elasticity)) <= step


def test_inelastic_demand_has_no_interior_optimum():
    # e = -0.8: profit keeps rising with price, so the grid's best is its right edge
    grid = np.linspace(50, 5000, 1000)
    profit = pricing.unit_profit(grid, 50, pricing.constant_elasticity_units(grid, 1e4, -0.8))
    assert np.argmax(profit) == len(grid) - 1


def test_required_uplift_by_hand():
    # ¥100 price, 50 % margin, 100 units: profit ¥5,000. A 10 % discount leaves ¥40 a unit, so
    # 5,000 / 40 = 125 units are needed: +25 % = 0.1 / (0.5 - 0.1)
    assert pricing.required_uplift(0.5, 0.1) == pytest.approx(0.25)
    assert 100 * (1 + pricing.required_uplift(0.5, 0.1)) * (50 - 10) == pytest.approx(5000)
    # 40 % margin, 20 % off: per-unit profit halves, sales must double: 0.2 / 0.2 = 1.0
    assert pricing.required_uplift(0.4, 0.2) == pytest.approx(1.0)
    assert pricing.required_uplift(0.35, 0.0) == 0.0
    assert pricing.required_uplift(0.3, 0.3) == math.inf
    assert pricing.required_uplift(0.3, 0.45) == math.inf


def _orders_and_lines():
    """Seven orders around a three-week test of SKU A (¥9.9, ¥10, ¥9.9 from 2025-01-06)."""
    orders = pd.DataFrame({
        "order_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O7"],
        "channel": ["platform", "platform", "platform", "livestream", "platform", "platform",
                    "platform"],
        "status": ["completed", "refunded", "cancelled", "completed", "completed", "completed",
                   "completed"],
        "order_time": pd.to_datetime(["2025-01-07 10:00", "2025-01-14 09:00", "2025-01-08 12:00",
                                      "2025-01-08 20:00", "2025-01-05 23:00", "2025-01-26 23:59",
                                      "2025-01-27 00:00"]),
        "order_amount": [69.8, 10.0, 50.0, 36.0, 12.0, 9.9, 9.9],
    })
    items = pd.DataFrame({
        "order_id": ["O1", "O1", "O2", "O3", "O4", "O5", "O6", "O7"],
        "sku": ["A", "B", "A", "A", "A", "A", "A", "A"],
        "quantity": [2, 1, 1, 5, 3, 1, 1, 1],
        "unit_price": [9.9, 50.0, 10.0, 10.0, 12.0, 12.0, 9.9, 9.9],
    })
    items["line_amount"] = items.quantity * items.unit_price
    tests = pd.DataFrame({"week_start": pd.to_datetime(["2025-01-06", "2025-01-13", "2025-01-20",
                                                        "2025-01-06"]),
                          "sku": ["A", "A", "A", "B"], "price": [9.9, 10.0, 9.9, 50.0]})
    return orders, items, tests


def test_price_test_lines_keep_paid_platform_orders_in_the_test_weeks():
    orders, items, tests = _orders_and_lines()
    lines = pricing.price_test_lines(orders, items, tests, "A")
    # O1 (completed) and O2 (refunded: paid) count, O6 on the last Sunday too; O3 was cancelled,
    # O4 sold on the livestream channel, O5 before the first Monday, O7 after the last Sunday
    assert sorted(lines.order_id) == ["O1", "O2", "O6"]
    assert (lines.sku == "A").all() and "order_amount" in lines


def test_weekly_sales_by_price_uses_the_price_charged():
    orders, items, tests = _orders_and_lines()
    lines = pricing.price_test_lines(orders, items, tests, "A")
    table = pricing.weekly_sales_by_price(lines, tests[tests.sku == "A"])
    # ¥9.9 ran 2 weeks: O1 2 units + O6 1 unit = 3 units, 19.8 + 9.9 = ¥29.70 -> 1.5 and ¥14.85
    # ¥10 ran 1 week: O2 1 unit, ¥10
    assert table.index.name == "price" and table.index.tolist() == [9.9, 10.0]
    assert table.units_per_week.tolist() == pytest.approx([1.5, 1.0])
    assert table.revenue_per_week.tolist() == pytest.approx([14.85, 10.0])


def test_a_tested_price_without_sales_sold_nothing():
    _, items, tests = _orders_and_lines()
    table = pricing.weekly_sales_by_price(items.iloc[:0], tests[tests.sku == "A"])
    assert table.units_per_week.tolist() == [0.0, 0.0]
    assert table.revenue_per_week.tolist() == [0.0, 0.0]


# --- the widget -------------------------------------------------------------------------------

def _two_sku_shop():
    """Noiseless test data: A follows 5e5·p^-2 around ¥99, B 3e6·p^-1.5 around ¥1,299."""
    products = pd.DataFrame({"sku": ["A", "B"], "name": ["pan", "set"],
                             "unit_cost": [50.0, 400.0], "list_price": [99.0, 1299.0]})
    rows = [(sku, float(p), scale * p ** e)
            for sku, levels, e, scale in (("A", (89, 99, 109), -2.0, 5e5),
                                          ("B", (1199, 1299, 1399), -1.5, 3e6))
            for p in levels]
    return products, pd.DataFrame(rows, columns=["sku", "price", "units"])


@pytest.fixture
def explorer():
    return price_explorer(*_two_sku_shop(), NO_COSTS)


def test_explorer_starts_from_the_fitted_curve(explorer):
    assert explorer.sku.value == "A"
    assert (explorer.price.value, explorer.unit_cost.value) == (99.0, 50.0)
    assert explorer.elasticity.value == pytest.approx(-2.0)
    fig = explorer.figure
    x, demand = np.array(fig.data[DEMAND].x), np.array(fig.data[DEMAND].y)
    assert demand == pytest.approx(5e5 * x ** -2.0, rel=1e-6)
    assert np.array(fig.data[REVENUE].y) == pytest.approx(x * demand)
    assert np.array(fig.data[PROFIT].y) == pytest.approx((x - 50.0) * demand)
    # markup rule: 50 · -2 / -1 = ¥100
    assert fig.data[OPTIMUM].x == pytest.approx((100.0,))
    assert "¥100.00" in explorer.readout.value


def test_price_slider_moves_the_current_marker(explorer):
    explorer.price.value = 120.0
    fig = explorer.figure
    assert fig.data[CURRENT].x == (120.0,)
    # (120 - 50) · 5e5 · 120^-2 = 70 · 34.72 = ¥2,430.6
    assert fig.data[CURRENT].y[0] == pytest.approx(70 * 5e5 / 120 ** 2)
    assert fig.data[OPTIMUM].x == pytest.approx((100.0,))  # the optimum does not depend on it
    assert "At ¥120" in explorer.readout.value


def test_elasticity_slider_swings_demand_and_moves_the_optimum(explorer):
    before = np.array(explorer.figure.data[DEMAND].y)
    explorer.elasticity.value = -3.0
    fig = explorer.figure
    x, after = np.array(fig.data[DEMAND].x), np.array(fig.data[DEMAND].y)
    assert not np.allclose(before, after)
    anchor = 5e5 * 99.0 ** -2.0  # the curve pivots on the list price's fitted units
    assert after == pytest.approx(anchor * (x / 99.0) ** -3.0, rel=1e-6)
    # 50 · -3 / -2 = ¥75
    assert fig.data[OPTIMUM].x == pytest.approx((75.0,))
    assert fig.data[OPTIMUM].y[0] == pytest.approx(max(fig.data[PROFIT].y), rel=1e-3)


def test_inelastic_demand_hides_the_optimum(explorer):
    explorer.elasticity.value = -0.8
    assert explorer.figure.data[OPTIMUM].x == ()
    assert "no finite profit-maximising price" in explorer.readout.value


def test_unit_cost_slider_moves_the_optimum(explorer):
    explorer.unit_cost.value = 60.0
    assert explorer.figure.data[OPTIMUM].x == pytest.approx((120.0,))  # 60 · -2 / -1


def test_the_explorer_shows_contribution_not_gross_profit():
    explorer = price_explorer(*_two_sku_shop(), SOME_COSTS)
    fig = explorer.figure
    x, demand = np.array(fig.data[DEMAND].x), np.array(fig.data[DEMAND].y)
    # A: c = 50, f = 0.1, s = 10: contribution (0.9 p - 60) · units; p* = 60 / 0.9 · 2 = 133.33
    assert np.array(fig.data[PROFIT].y) == pytest.approx((0.9 * x - 60.0) * demand)
    assert fig.data[OPTIMUM].x == pytest.approx((60 / 0.9 * 2,))
    assert "¥133.33" in explorer.readout.value
    assert "contribution" in explorer.readout.value
    assert "¥100.00" in explorer.readout.value  # the gross-margin rule's price, named
    assert fig.data[PROFIT].name.startswith("contribution")


def test_choosing_another_sku_resets_the_controls(explorer):
    explorer.elasticity.value = -4.0
    explorer.sku.value = "B"
    assert (explorer.price.value, explorer.unit_cost.value) == (1299.0, 400.0)
    assert explorer.elasticity.value == pytest.approx(-1.5)
    assert explorer.price.min <= 1299.0 <= explorer.price.max
    # 400 · -1.5 / -0.5 = ¥1,200
    assert explorer.figure.data[OPTIMUM].x == pytest.approx((1200.0,))
    explorer.sku.value = "A"
    assert explorer.price.max < 1299.0 and explorer.price.value == 99.0


# --- the lesson's claims on the shop's data ---------------------------------------------------

@pytest.fixture(scope="module")
def shop():
    from shoplab import load_table

    return load_table("products").set_index("sku"), load_table("price_tests")


def test_most_list_prices_are_charm_prices(shop):
    catalogue, _ = shop
    assert catalogue.list_price.map(pricing.is_charm_price).mean() > 0.5


def test_price_test_shows_elastic_demand_both_ways(shop):
    _, tests = shop
    fitted = pricing.fit_demand(tests)
    assert (fitted.elasticity < -1).all()
    for sku, levels in pricing.demand_by_price(tests).groupby("sku"):
        low, high = levels.loc[levels.price.idxmin()], levels.loc[levels.price.idxmax()]
        assert pricing.arc_elasticity(low.price, low.units, high.price, high.units) < 0, sku


def test_the_pricing_decision_depends_on_the_base(shop):
    """Exercise 04.8 means something: on gross margin some tested SKUs sit above p*; on
    contribution, with the shop's costs of a sale, the answer is a different set."""
    from shoplab import load_table

    catalogue, tests = shop
    costs = pricing.sale_costs(*(load_table(t) for t in
                                 ("orders", "order_items", "products", "fees", "shipments")))
    fitted = pricing.fit_demand(tests).elasticity

    def below(f, s):
        return {sku for sku, e in fitted.items() if catalogue.at[sku, "list_price"]
                < pricing.profit_maximising_price(catalogue.at[sku, "unit_cost"], e, f, s)}

    on_gross = below(0.0, 0.0)
    assert 0 < len(on_gross) < tests.sku.nunique()
    assert below(pricing.price_share(costs), costs["net_shipping"]) != on_gross


def test_required_uplift_restores_the_woks_profit(shop):
    catalogue, _ = shop
    price, cost = catalogue.at["HW-001", "list_price"], catalogue.at["HW-001", "unit_cost"]
    margin, discount = pricing.gross_margin(price, cost), 0.1
    uplift = pricing.required_uplift(margin, discount)
    # 100 units at the old unit profit == 100·(1 + uplift) units at the discounted unit profit
    assert 100 * (price - cost) == pytest.approx(
        100 * (1 + uplift) * (price * (1 - discount) - cost))


def test_the_charm_test_measured_from_the_orders_ties_out():
    """Exercise 04.9: the orders give the price test's units, and list-price revenue misleads."""
    from shoplab import load_table

    tests = load_table("price_tests")
    lines = pricing.price_test_lines(load_table("orders"), load_table("order_items"), tests,
                                     "HW-001")
    table = pricing.weekly_sales_by_price(lines, tests[tests.sku == "HW-001"])
    levels = pricing.demand_by_price(tests).query("sku == 'HW-001'").set_index("price")
    assert table.units_per_week.tolist() == pytest.approx(levels.units.tolist())
    assert {199.0, 200.0} <= set(table.index)  # the charm arm: a charm price and its round twin
    list_price = load_table("products").set_index("sku").at["HW-001", "list_price"]
    at_list = table.units_per_week * list_price  # the misconception: list price for every week
    off_list = table.index != list_price
    assert off_list.sum() >= 2
    assert ((at_list - table.revenue_per_week).abs()[off_list] > 0).all()
    assert (at_list - table.revenue_per_week).abs().max() > 0.05 * table.revenue_per_week.max()


def test_price_and_cost_sliders_step_back_to_the_list_price():
    """0.4 × ¥199 = ¥79.6: a bound off the whole-¥ grid made every step miss ¥199."""
    products = pd.DataFrame({"sku": ["W", "S"], "name": ["wok", "spatula set"],
                             "unit_cost": [82.5, 11.35], "list_price": [199.0, 39.9]})
    rows = [(sku, p, 1e5 * p ** -2.0) for sku, base in (("W", 199.0), ("S", 39.9))
            for p in (0.9 * base, base, 1.1 * base)]
    explorer = price_explorer(products, pd.DataFrame(rows, columns=["sku", "price", "units"]),
                              NO_COSTS)
    for sku, price, cost in (("W", 199.0, 82.5), ("S", 39.9, 11.35)):
        explorer.sku.value = sku
        assert (explorer.price.value, explorer.unit_cost.value) == (price, cost)
        for slider in (explorer.price, explorer.unit_cost):
            steps = (slider.value - slider.min) / slider.step
            assert steps == pytest.approx(round(steps), abs=1e-6), (sku, slider.description)
            top = (slider.max - slider.min) / slider.step
            assert top == pytest.approx(round(top), abs=1e-6)
    assert explorer.price.step == pytest.approx(0.1) and explorer.unit_cost.step == 0.01
    explorer.sku.value = "W"
    assert explorer.price.step == 1 and explorer.price.min == 79.0


def test_demand_has_its_own_panel_not_a_second_axis(explorer):
    fig = explorer.figure
    assert fig.data[DEMAND].yaxis == "y" and fig.data[PROFIT].yaxis == "y2"
    assert fig.layout.yaxis.overlaying is None and fig.layout.yaxis2.overlaying is None
    assert fig.layout.yaxis.rangemode == "tozero"  # no demand below zero
    assert fig.layout.yaxis2.tickprefix == "¥"


def test_slider_readouts_show_the_price_as_quoted(explorer):
    assert explorer.price.readout_format == ",.0f"  # ¥99, not 99.00
    explorer.sku.value = "B"
    assert explorer.price.readout_format == ",.0f"


def test_the_fitted_elasticity_is_on_the_sliders_grid():
    products = pd.DataFrame({"sku": ["K"], "name": ["knife"], "unit_cost": [60.0],
                             "list_price": [199.0]})
    tests = pd.DataFrame([("K", p, 1e5 * p ** -1.83) for p in (179.0, 199.0, 219.0)],
                         columns=["sku", "price", "units"])
    slider = price_explorer(products, tests, NO_COSTS).elasticity
    assert slider.value == pytest.approx(-1.83)
    steps = (slider.value - slider.min) / slider.step  # −1.83 is off a 0.05 grid from −5
    assert steps == pytest.approx(round(steps), abs=1e-6)
