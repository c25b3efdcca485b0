"""Pricing formulas: margin and markup, cost-plus prices, price elasticity, the profit-maximising
price, the discount break-even, and a price test's sales measured from the orders. Chapter 04's
lesson, widget and exercises all call these.

Conventions: margins, markups, discounts and uplifts are fractions (0.25 means 25 %); prices
and costs are ¥ per unit; an elasticity is the signed % change in units per 1 % change in
price, so normal demand has a negative elasticity.

Price decisions are taken on the **contribution** of a unit (`metrics.unit_contribution`), not on
its gross margin: a price change moves the commission, the payment fee and the expected refund
with it (they are shares of the price, together `price_share` f), and the shop pays the net
shipping s per unit whatever the price. So the cost a price must cover is the *marginal* cost of
a sale, and the markup rule and the discount break-even below take f and s (`sale_costs` reads
them off the shop's books). With f = s = 0 they reduce to the gross-margin textbook versions.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from shoplab import metrics
from shoplab.metrics import paid

PRICE_TEST_CHANNEL = "platform"  # the price test ran on the platform store only


def gross_margin(price, unit_cost):
    """Gross margin (毛利率): profit per unit as a share of the selling price, (p − c) / p."""
    return (price - unit_cost) / price


def markup(price, unit_cost):
    """Markup (加价率): profit per unit as a share of the unit cost, (p − c) / c."""
    return (price - unit_cost) / unit_cost


def markup_from_margin(margin):
    """The markup that gives this margin: m / (1 − m). A 50 % margin is a 100 % markup."""
    return margin / (1 - margin)


def margin_from_markup(markup_rate):
    """The margin that this markup gives: k / (1 + k). A 100 % markup is a 50 % margin."""
    return markup_rate / (1 + markup_rate)


def price_for_margin(unit_cost: float, margin: float) -> float:
    """Cost-plus price (成本加成定价) that earns `margin` of the selling price: c / (1 − m).

    A margin of 100 % or more cannot be reached at any price, so it returns infinity.
    """
    if margin >= 1:
        return math.inf
    return unit_cost / (1 - margin)


def is_charm_price(price: float) -> bool:
    """A charm price (尾数定价) ends in 9: its last non-zero digit, in fen, is a 9.

    ¥199, ¥39.9 and ¥1,299 are charm prices; ¥200, ¥45 and ¥1,000 are not.
    """
    fen = round(price * 100)
    while fen and fen % 10 == 0:
        fen //= 10
    return fen % 10 == 9


def arc_elasticity(price_1: float, units_1: float, price_2: float, units_2: float) -> float:
    """Arc (midpoint) elasticity between two price levels.

    Each % change is taken against the midpoint of the two levels, so the answer is the same
    whichever level you call "old" (the simple % change from the old level is not).
    """
    units_change = (units_2 - units_1) / ((units_1 + units_2) / 2)
    price_change = (price_2 - price_1) / ((price_1 + price_2) / 2)
    return units_change / price_change


def demand_by_price(price_tests: pd.DataFrame) -> pd.DataFrame:
    """Average weekly units and number of weeks at each tested price, per SKU."""
    return (
        price_tests.groupby(["sku", "price"], as_index=False)
        .agg(units=("units", "mean"), weeks=("units", "size"))
    )


def fit_demand(price_tests: pd.DataFrame) -> pd.DataFrame:
    """Constant-elasticity demand units = scale × price^elasticity per SKU, one point per week.

    Fitted by least squares on logs: ln(units) = ln(scale) + elasticity × ln(price). In a
    log-log fit the slope *is* the elasticity: 1 % more price, `elasticity` % more units.
    Returns columns `elasticity`, its standard error `elasticity_se` (the OLS slope's:
    √(residual variance ÷ Σ(ln p − mean ln p)²), residual variance on n − 2 degrees of
    freedom) and `scale` (weekly units at ¥1, a fitting constant), indexed by sku.
    """
    rows = {}
    for sku, weeks in price_tests.groupby("sku"):
        x, y = np.log(weeks["price"]), np.log(weeks["units"])
        slope, intercept = np.polyfit(x, y, 1)
        residuals = y - (intercept + slope * x)
        variance = float((residuals**2).sum()) / (len(weeks) - 2)
        se = math.sqrt(variance / float(((x - x.mean()) ** 2).sum()))
        rows[sku] = {"elasticity": float(slope), "elasticity_se": se,
                     "scale": float(np.exp(intercept))}
    fitted = pd.DataFrame.from_dict(rows, orient="index")
    fitted.index.name = "sku"
    return fitted


def price_test_lines(orders: pd.DataFrame, order_items: pd.DataFrame,
                     price_tests: pd.DataFrame, sku: str) -> pd.DataFrame:
    """The order lines of `sku` that the price test sold: paid platform orders in its weeks.

    The test ran on the platform store from the first `week_start` in `price_tests` to the
    Sunday after the last; other channels kept the list price, and a cancelled order was never
    paid. Each line keeps its order's columns (order_time, status, order_amount, ...).
    """
    start = price_tests["week_start"].min()
    end = price_tests["week_start"].max() + pd.Timedelta(days=7)
    orders = paid(orders)
    in_test = orders[(orders["channel"] == PRICE_TEST_CHANNEL)
                     & (orders["order_time"] >= start) & (orders["order_time"] < end)]
    return order_items[order_items["sku"] == sku].merge(in_test, on="order_id")


def weekly_sales_by_price(lines: pd.DataFrame, test_weeks: pd.DataFrame) -> pd.DataFrame:
    """Average units and revenue a week at each price a SKU was actually charged.

    `lines` are the SKU's order lines (see `price_test_lines`), `test_weeks` its rows of
    `price_tests`, which say how many weeks each price ran. Revenue is `line_amount`, the units
    times the price actually charged (`unit_price`, before order-level discounts): units times
    the list price would credit every test week with the same price. One row per tested price,
    indexed by `price`.
    """
    weeks = test_weeks["price"].value_counts().sort_index()
    totals = (lines.groupby("unit_price")[["quantity", "line_amount"]].sum()
              .reindex(weeks.index, fill_value=0))
    table = pd.DataFrame({"units_per_week": totals["quantity"] / weeks,
                          "revenue_per_week": totals["line_amount"] / weeks})
    table.index.name = "price"
    return table


def constant_elasticity_units(price, scale: float, elasticity: float):
    """Units demanded at `price` on the curve scale × price^elasticity."""
    return scale * np.power(price, elasticity)


def sale_costs(orders, order_items, products, fees, shipments) -> dict[str, float]:
    """The shop's costs that grow with a sale, as `metrics.unit_contribution` takes them.

    The price-proportional rates are the shares of GMV that commission, payment fees and
    refunds take in the shop's books (`metrics.unit_economics`: each channel's rates weighted by
    its sales, the refunded share of goods value); `net_shipping` is the carriers' cost less
    the shipping buyers paid, per unit sold in a paid order. Pass the result as keywords:
    `metrics.unit_contribution(price, cost, **sale_costs(...))`.
    """
    shares = metrics.unit_economics(orders, order_items, products, fees, shipments)
    paid_items = order_items[order_items["order_id"].isin(paid(orders)["order_id"])]
    units = float(paid_items["quantity"].sum())
    return {
        "commission_rate": float(shares["commission"]),
        "payment_fee_rate": float(shares["payment_fees"]),
        "refund_rate": float(shares["returns"]),
        "net_shipping": float(shares["shipping"]) * metrics.gmv(orders) / units,
    }


def price_share(costs: dict[str, float]) -> float:
    """f: the costs that are a share of the price (commission, payment fee, expected refund)."""
    return costs["commission_rate"] + costs["payment_fee_rate"] + costs["refund_rate"]


def unit_profit(price, unit_cost, units, **costs):
    """Contribution of `units` sold at `price`: `metrics.unit_contribution` × units.

    `costs` are `unit_contribution`'s keywords (`sale_costs` gives the shop's); without them
    this is gross profit, (price − unit cost) × units.
    """
    return metrics.unit_contribution(price, unit_cost, **costs) * units


def profit_maximising_price(unit_cost: float, elasticity: float, price_share: float = 0.0,
                            net_shipping: float = 0.0) -> float:
    """The markup rule on contribution, for constant elasticity e < −1:
    p* = (c + s) ÷ (1 − f) · e ÷ (1 + e).

    Contribution a week is (p(1 − f) − c − s) · A · p^e; its derivative is zero where
    p(1 − f)(1 + e) = e(c + s). The price covers the *marginal* cost of a sale: the unit cost and
    net shipping s, grossed up for the share f of the price that commission, payment fee and
    refunds take. With f = s = 0 it is the textbook c · e ÷ (1 + e), whose margin is −1/e (the
    Lerner index); on contribution it is the *contribution* margin that equals −1/e. When demand
    is inelastic (e ≥ −1) every price rise raises profit, so there is no finite optimum and the
    function returns infinity.
    """
    if elasticity >= -1:
        return math.inf
    return (unit_cost + net_shipping) / (1 - price_share) * elasticity / (1 + elasticity)


def required_uplift(margin: float, discount: float, price_share: float = 0.0) -> float:
    """Extra units a price cut needs to keep the same contribution: d(1 − f) ÷ (m − d(1 − f)).

    `margin` m is the contribution margin before the discount, `discount` d the cut, both as
    fractions of the old price, `price_share` f the costs that fall with the price (commission,
    payment fee, refunds). A cut of d takes d off the price but only d(1 − f) off the
    contribution, since the fees on the lost d go too: per old ¥ a unit now earns m − d(1 − f),
    so units must rise by m ÷ (m − d(1 − f)). With f = 0 and m the gross margin it is the
    textbook d ÷ (m − d). When the discount eats the whole contribution no volume is enough:
    infinity.
    """
    cut = discount * (1 - price_share)
    if cut >= margin:
        return math.inf
    return cut / (margin - cut)
