"""Pricing formulas: margin and markup, cost-plus prices, price elasticity, the profit-maximising
price, the discount break-even, and a price test's sales measured from the orders. Chapter 04's
lesson, widget and exercises all call these.

Conventions: margins, markups, discounts and uplifts are fractions (0.25 means 25 %); prices
and costs are ¥ per unit; an elasticity is the signed % change in units per 1 % change in
price, so normal demand has a negative elasticity.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

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


def unit_profit(price, unit_cost, units):
    """Gross profit: (price − unit cost) × units."""
    return (price - unit_cost) * units


def profit_maximising_price(unit_cost: float, elasticity: float) -> float:
    """The markup rule for constant elasticity e: p* = c · e / (1 + e), valid for e < −1.

    Equivalently the margin at the optimum is −1/e (the Lerner index). When demand is
    inelastic (e ≥ −1) every price rise raises profit, so there is no finite optimum and the
    function returns infinity.
    """
    if elasticity >= -1:
        return math.inf
    return unit_cost * elasticity / (1 + elasticity)


def required_uplift(margin: float, discount: float) -> float:
    """Extra units needed for a price cut to keep gross profit: d / (m − d).

    `margin` is the gross margin before the discount and `discount` the cut, both as fractions
    of the old price. Per-unit profit falls from m to m − d, so units must rise by m / (m − d),
    an uplift of d / (m − d). When the discount eats the whole margin (d ≥ m) no volume is
    enough: infinity.
    """
    if discount >= margin:
        return math.inf
    return discount / (margin - discount)
