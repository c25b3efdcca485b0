"""Chapter 12: finance formulas against hand-worked examples, and the module tied to the books
(`shoplab.shopgen.books`) and to `shoplab.metrics` on the shop's data."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from shoplab import finance, metrics
from shoplab.datasets import load_table
from shoplab.shopgen import books


@pytest.fixture(scope="module")
def pnl():
    return books.pnl_by_month(load_table)


@pytest.fixture(scope="module")
def parameters():
    return load_table("parameters").set_index("name")["value"]


def _lines(**values):
    names = ["gmv", "refunds", "product_cost", "commission", "payment_fees", "net_shipping",
             "gifts", "ad_spend", "livestream_fees", "kol_commission", "fixed_costs"]
    return pd.Series({n: float(values.get(n, 0.0)) for n in names})


# --- the P&L's levels ------------------------------------------------------------------------


def test_levels_by_hand():
    # GMV 1000, goods 500, refunds 50, commission 50, fees 6, shipping 44: contribution 350;
    # ads 200 and gifts 10 leave 140; fixed 100 leave 40
    month = _lines(gmv=1000, refunds=-50, product_cost=-500, commission=-50, payment_fees=-6,
                   net_shipping=-44, gifts=-10, ad_spend=-200, fixed_costs=-100)
    levels = finance.pnl_levels(pd.DataFrame([month]))
    assert levels.iloc[0].to_dict() == pytest.approx({
        "gmv": 1000, "gross_profit": 500, "contribution": 350, "after_marketing": 140,
        "operating_profit": 40})
    assert finance.margins(levels).iloc[0].to_dict() == pytest.approx({
        "gross_profit": 0.5, "contribution": 0.35, "after_marketing": 0.14,
        "operating_profit": 0.04})


def test_operating_profit_is_the_books_net_profit(pnl):
    levels = finance.pnl_levels(pnl)
    assert np.allclose(levels["operating_profit"], pnl["net_profit"])


def test_contribution_is_metrics_contribution_margin_times_gmv(pnl):
    t = {n: load_table(n) for n in ("orders", "order_items", "products", "fees", "shipments")}
    margin = metrics.unit_economics(t["orders"], t["order_items"], t["products"], t["fees"],
                                    t["shipments"])
    levels = finance.pnl_levels(pnl).sum()
    assert levels["contribution"] == pytest.approx(margin["contribution_margin"] * levels["gmv"])
    assert levels["gross_profit"] == pytest.approx(margin["gross_margin"] * levels["gmv"])
    by_channel = metrics.channel_contribution(t["orders"], t["order_items"], t["products"],
                                              t["fees"], t["shipments"])["contribution"]
    assert set(by_channel.index) == {"platform", "livestream", "mini_program"}
    assert by_channel.sum() == pytest.approx(levels["contribution"])


def test_loss_cause_separates_festival_from_structural():
    levels = pd.DataFrame({"contribution": [50.0, 50.0, 80.0], "after_marketing": [0, 10, 60],
                           "operating_profit": [-20.0, -10.0, 40.0]}, index=["jun", "jul", "aug"])
    cause = finance.loss_cause(levels, np.array([True, False, False]))
    assert cause.tolist() == ["festival", "structural", ""]


def test_the_shop_has_both_kinds_of_losing_month(pnl):
    levels = finance.pnl_levels(pnl)
    festival = levels.index.isin(books.festival_months(load_table).index)
    assert set(finance.loss_cause(levels, festival)) == {"", "festival", "structural"}


# --- break-even and cash ---------------------------------------------------------------------


def test_break_even_volume():
    # ¥30,000 fixed costs, ¥60 contribution an order: 500 orders
    assert finance.break_even_volume(30_000, 60) == pytest.approx(500)
    assert finance.break_even_volume(30_000, 0) == math.inf
    assert finance.break_even_volume(30_000, -5) == math.inf


def test_cash_conversion_cycle():
    # 60 days of stock, paid out 10 days after delivery, suppliers paid after 30: 40 days
    assert finance.cash_conversion_cycle(60, 10, 30) == 40
    assert finance.cash_conversion_cycle(20, 7, 45) == -18  # suppliers finance the stock


def test_settlement_days_weighted_by_gmv():
    orders = pd.DataFrame({"status": ["completed", "refunded", "cancelled"],
                           "channel": ["platform", "livestream", "platform"],
                           "order_amount": [300.0, 100.0, 999.0]})
    fees = pd.DataFrame({"channel": ["platform", "livestream"], "settlement_days": [10, 14]})
    assert finance.settlement_days(orders, fees) == pytest.approx((300 * 10 + 100 * 14) / 400)


def _cash_tables():
    day = pd.Timestamp
    orders = pd.DataFrame({"order_id": ["O1", "O2"], "status": ["completed", "refunded"],
                           "channel": ["platform", "platform"], "order_amount": [100.0, 50.0],
                           "shipping_fee": [10.0, 0.0]})
    shipments = pd.DataFrame({"order_id": ["O1", "O2"],
                              "ship_time": [day("2025-01-01 18:00"), day("2025-01-01 19:00")],
                              "delivered_time": [day("2025-01-03 09:00"),
                                                 day("2025-01-03 10:00")],
                              "shipping_cost": [8.0, 6.0]})
    fees = pd.DataFrame({"channel": ["platform"], "commission_rate": [0.05],
                         "payment_fee_rate": [0.005], "settlement_days": [10]})
    pos = pd.DataFrame({"received_date": [day("2025-01-02")], "quantity": [10],
                        "unit_cost": [4.0]})
    ads = pd.DataFrame({"date": [day("2025-01-01")], "spend": [20.0]})
    streams = pd.DataFrame({"date": [day("2025-01-02")] * 2, "host_type": ["kol", "own_staff"],
                            "host_fee": [5.0, 1.0], "commission": [3.0, 0.0]})
    fixed = pd.DataFrame({"month": [day("2025-01-01")], "amount": [7.0]})
    return orders, shipments, fees, pos, ads, streams, fixed


def test_daily_cash_flows_by_hand():
    flows = finance.daily_cash_flows(*_cash_tables(), payment_days=30)
    # O1: (100 + 10) × (1 − 0.055) = 103.95 arrives 10 days after delivery; O2 never arrives
    assert flows["cash_in"][flows["cash_in"] > 0].to_dict() == {
        pd.Timestamp("2025-01-13"): pytest.approx(103.95)}
    out = flows["cash_out"][flows["cash_out"] > 0]
    assert out.to_dict() == pytest.approx({
        pd.Timestamp("2025-01-01"): 8 + 6 + 20 + 7, pd.Timestamp("2025-01-02"): 5 + 1 + 3,
        pd.Timestamp("2025-02-01"): 40})


def test_weekly_cash_and_what_the_shop_can_afford():
    flows = pd.DataFrame({"cash_in": [0.0, 0.0, 500.0], "cash_out": [300.0, 400.0, 0.0]},
                         index=pd.to_datetime(["2025-01-06", "2025-01-13", "2025-01-20"]))
    week = finance.weekly_cash(flows, opening_cash=1000)
    assert week.index.tolist() == list(pd.to_datetime(["2025-01-12", "2025-01-19", "2025-01-26"]))
    assert week["closing_balance"].tolist() == [700, 300, 800]
    # a payment in the first week lowers every later balance: the lowest (300) limits it
    assert finance.affordable_spend(week["closing_balance"], "2025-01-12") == 300
    assert finance.affordable_spend(week["closing_balance"], "2025-01-12", 100) == 200
    assert finance.affordable_spend(week["closing_balance"], "2025-01-26") == 800
    assert finance.affordable_spend(week["closing_balance"], "2025-01-12", 500) == 0
    assert finance.weekly_cash(flows, 1000, start="2025-01-13")["closing_balance"].tolist() == [
        600, 1100]


def test_the_shop_never_runs_out_of_cash_but_double_11_ties_it_up(parameters):
    t = {n: load_table(n) for n in ("orders", "shipments", "fees", "purchase_orders",
                                    "ad_campaigns", "livestreams", "fixed_costs")}
    flows = finance.daily_cash_flows(*t.values(), payment_days=parameters["supplier_payment_days"])
    balance = finance.weekly_cash(flows, parameters["opening_cash"])["closing_balance"]
    assert balance.min() > 0
    low = balance[balance.index.year == 2024].idxmin()
    assert low.month in (10, 11)  # the stock for Double 11 is paid before its sales arrive


# --- tax -------------------------------------------------------------------------------------


def test_vat_by_hand():
    # ¥1.01 M VAT-inclusive sales at the 1 % levy: ¥10,000
    assert finance.vat_small_scale(1_010_000, 0.01) == pytest.approx(10_000)
    # ¥1.13 M sales, ¥0.565 M invoiced purchases at 13 %: 130,000 − 65,000
    assert finance.vat_general(1_130_000, 565_000, 0.13) == pytest.approx(65_000)
    assert finance.vat_general(100, 200, 0.13) == 0.0


def test_vat_break_even_is_where_both_statuses_pay_the_same():
    # (0.01 / 1.01) × (1.13 / 0.13) = 0.0861; at the statutory 3 %: (0.03 / 1.03) × 8.692
    share = finance.vat_break_even_value_added(0.13, 0.01)
    assert share == pytest.approx(0.0861, abs=1e-4)
    sales = 1_000_000
    assert finance.vat_general(sales, sales * (1 - share), 0.13) == pytest.approx(
        finance.vat_small_scale(sales, 0.01))
    assert finance.vat_break_even_value_added(0.13, 0.03) == pytest.approx(0.2532, abs=1e-4)


def test_parameters_table_is_documented_and_plausible(parameters):
    table = load_table("parameters")
    assert table["name"].is_unique and (table["description"].str.len() > 20).all()
    assert 0.15 <= parameters["holding_cost_rate"] <= 0.35
    assert parameters["ordering_cost"] > 0 and parameters["supplier_payment_days"] > 0
    assert parameters["vat_small_scale_rate"] < parameters["vat_small_scale_statutory_rate"]
    # 2025's GMV is under the small-scale ceiling, 2026 at 2025's growth would not be
    gmv = books.pnl_by_month(load_table)["gmv"]
    by_year = gmv.groupby(gmv.index.year).sum()
    assert by_year[2025] < parameters["small_scale_sales_ceiling"]
    assert by_year[2025] ** 2 / by_year[2024] > parameters["small_scale_sales_ceiling"]


# --- risk ------------------------------------------------------------------------------------


def test_shares_largest_first():
    s = finance.shares(pd.Series({"a": 1.0, "b": 3.0}))
    assert s.index.tolist() == ["b", "a"] and s.tolist() == [0.75, 0.25]


def test_risk_costs_by_hand():
    # two paid orders in the window (platform ¥100 of A, livestream ¥50 of A), one platform ¥200
    # of B after it, one cancelled platform order of A in it
    orders = pd.DataFrame({
        "order_id": [1, 2, 3, 4],
        "status": ["completed", "refunded", "completed", "cancelled"],
        "channel": ["platform", "livestream", "platform", "platform"],
        "order_time": pd.to_datetime(["2025-11-02", "2025-11-05", "2025-12-01", "2025-11-03"]),
        "order_amount": [100.0, 50.0, 200.0, 80.0],
    })
    items = pd.DataFrame({"order_id": [1, 2, 3, 4], "sku": ["A", "A", "B", "A"],
                          "unit_price": [50.0, 50.0, 200.0, 80.0], "quantity": [2, 1, 1, 1]})
    products = pd.DataFrame({"sku": ["A", "B"], "unit_cost": [20.0, 90.0]})
    fees = pd.DataFrame({"channel": ["platform", "livestream"], "commission_rate": [0.1, 0.2],
                         "payment_fee_rate": [0.0, 0.0], "return_rate_assumption": [0.0, 0.1]})
    costs = finance.risk_costs(orders, items, products, fees, 1000.0, sku="A",
                               days=("2025-11-01", "2025-11-11 23:59:59"))
    # commission: 2 % of the platform's paid GMV ¥300; cpc: 20 % of ¥1000;
    # stockout: 2 × (50 × 0.9 − 20) + 1 × (50 × 0.7 − 20) = 50 + 15
    assert costs.to_dict() == pytest.approx({"commission": 6.0, "cpc": 200.0, "stockout": 65.0})
    everywhere = finance.risk_costs(orders, items, products, fees, 1000.0, sku="A",
                                    days=("2025-11-01", "2025-11-11 23:59:59"),
                                    commission_channels=None)
    assert everywhere["commission"] == pytest.approx(0.02 * 350)


def test_what_if_by_hand():
    lines = _lines(gmv=1000, refunds=-50, product_cost=-500, commission=-50, payment_fees=-6,
                   net_shipping=-44, gifts=-10, ad_spend=-200, livestream_fees=-30,
                   fixed_costs=-100)
    lines["net_profit"] = lines.sum()
    same = finance.what_if(lines)
    assert same.to_dict() == pytest.approx(lines.to_dict())
    # +2 commission points and +1 return point on ¥1000 GMV: ¥30 less
    worse = finance.what_if(lines, commission_points=0.02, return_points=0.01)
    assert worse["net_profit"] == pytest.approx(lines["net_profit"] - 30)
    # a 10 % price rise at elasticity −2: units × 1.1^−2, GMV × 1.1^−1
    dearer = finance.what_if(lines, price_change=0.1, elasticity=-2)
    assert dearer["gmv"] == pytest.approx(1000 / 1.1)
    assert dearer["product_cost"] == pytest.approx(-500 / 1.21)
    assert dearer["fixed_costs"] == -100 and dearer["livestream_fees"] == -30
    # doubling ads that drive half the sales, at exponent 1: sales × 1.5
    more_ads = finance.what_if(lines, ad_budget_change=1.0, ad_share=0.5, ad_exponent=1.0)
    assert more_ads["gmv"] == pytest.approx(1500) and more_ads["ad_spend"] == -400
    assert more_ads["net_profit"] == pytest.approx(more_ads.drop("net_profit").sum())


# --- the P&L what-if widget ------------------------------------------------------------------


def test_what_if_widget_redraws_the_waterfall_from_the_books(pnl):
    from shoplab.widgets.finance import BARS, pnl_what_if

    year = pnl[pnl.index.year == 2025]
    widget = pnl_what_if(year, elasticity=-2.0, ad_share=0.4, ad_exponent=0.7)
    bars = widget.figure.data[0]
    assert list(bars.y[:-1]) == pytest.approx([year[name].sum() for name in BARS])
    assert bars.y[-1] == pytest.approx(year["net_profit"].sum())
    widget.commission.value = 0.02
    assert widget.figure.data[0].y[-1] == pytest.approx(
        year["net_profit"].sum() - 0.02 * year["gmv"].sum())
    assert "−¥" in widget.readout.value  # profit fell, and the readout says so
    with widget.holding_redraw():
        widget.commission.value = 0.0
        widget.price.value = 0.1
    assert widget.figure.data[0].y[0] == pytest.approx(year["gmv"].sum() * 1.1 ** -1)
