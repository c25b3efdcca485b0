"""Chapter 04 — Pricing: margin vs markup, cost-plus prices, elasticity from the price test,
the profit-maximising price, the discount break-even and the charm-price test in the orders.

The price decisions (04.6 – 04.8) are taken on the contribution of a unit, with the shop's
costs that grow with a sale (`pricing.sale_costs`, from `metrics.unit_economics`): the old
gross-margin answer is each one's named mistake `gross_margin_rule`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from graders.answers import Function, LabelSet, Number, Series, Table
from graders.spec import Case, Exercise, Mistake
from shoplab import metrics, pricing

ARC_SKU = "HW-008"
CHARM_SKU = "HW-001"  # the wok: the price test's charm arm, ¥199 vs ¥200
ELASTICITY_TOLERANCE = 0.005  # elasticities rounded to two decimals still pass
PROMOTION_DISCOUNT = 0.10  # 04.7: the promotion's cut, as a share of the list price
PROMOTION_LIFT = 0.30  # 04.7: the sales uplift the shop expects from it


def _catalogue(data) -> pd.DataFrame:
    return data.products.set_index("sku")


def _arc_levels(data) -> tuple[float, float, float, float]:
    """(lowest price, its weekly units, highest price, its weekly units) of ARC_SKU."""
    levels = pricing.demand_by_price(data.price_tests).query("sku == @ARC_SKU")
    low, high = levels.loc[levels.price.idxmin()], levels.loc[levels.price.idxmax()]
    return float(low.price), float(low.units), float(high.price), float(high.units)


def _simple_change_elasticity(p_old, q_old, p_new, q_new) -> float:
    """The misconception: % changes measured from one level instead of the midpoint."""
    return ((q_new - q_old) / q_old) / ((p_new - p_old) / p_old)


def _fitted_elasticity(data) -> pd.Series:
    return pricing.fit_demand(data.price_tests)["elasticity"]


def _level_mean_elasticity(data) -> pd.Series:
    """Another estimator than the one asked for: one point per price level (average week)."""
    levels = pricing.demand_by_price(data.price_tests)
    return pricing.fit_demand(levels)["elasticity"]


def _linear_slope(data) -> pd.Series:
    """The misconception: units per ¥ (slope in levels), which is not an elasticity."""
    return pd.Series({sku: np.polyfit(w.price, w.units, 1)[0]
                      for sku, w in data.price_tests.groupby("sku")})


def _sale_costs(data) -> dict[str, float]:
    return pricing.sale_costs(data.orders, data.order_items, data.products, data.fees,
                              data.shipments)


def _best_prices(data, rule=None) -> pd.Series:
    """p* of every tested SKU from its fitted elasticity; `rule(c, e, f, s)` for a mistake."""
    costs, catalogue = _sale_costs(data), _catalogue(data)
    rule = rule or pricing.profit_maximising_price
    return pd.Series({sku: rule(catalogue.at[sku, "unit_cost"], e, pricing.price_share(costs),
                                costs["net_shipping"])
                      for sku, e in _fitted_elasticity(data).items()})


def _gross_margin_rule(c, e, f, s):
    return pricing.profit_maximising_price(c, e)


def _priced_below(data, rule=None) -> list[str]:
    best = _best_prices(data, rule)
    return [sku for sku, p in best.items() if _catalogue(data).at[sku, "list_price"] < p]


def _promotable(data, margin=None, price_share=None) -> list[str]:
    """SKUs a PROMOTION_DISCOUNT cut pays for at PROMOTION_LIFT: the uplift needed is no more.

    The mistakes pass another `margin(data)` per SKU or another `price_share` f.
    """
    costs, catalogue = _sale_costs(data), _catalogue(data)
    if margin is None:
        margins = metrics.contribution_margin(catalogue.list_price, catalogue.unit_cost, **costs)
    else:
        margins = margin(data)
    f = pricing.price_share(costs) if price_share is None else price_share
    return [sku for sku, m in margins.items()
            if pricing.required_uplift(m, PROMOTION_DISCOUNT, f) <= PROMOTION_LIFT]


def _gross_margins(data) -> pd.Series:
    return pricing.gross_margin(_catalogue(data).list_price, _catalogue(data).unit_cost)


def _contribution_margins(data) -> pd.Series:
    return metrics.contribution_margin(_catalogue(data).list_price, _catalogue(data).unit_cost,
                                       **_sale_costs(data))


GROSS_MARGIN_RULE = ("That is the gross-margin answer: it prices as if the unit cost were the "
                     "only cost of a sale. Commission, payment fee and expected refunds grow "
                     "with the price (f in `costs`), and the shop pays net shipping on every "
                     "unit (s): decide on the contribution.")


def _charm_test(data, orders=None, revenue=None) -> pd.DataFrame:
    """The wok's weekly sales at each test price, from its paid platform order lines.

    The misconceptions pass other `orders` (completed only), or a `revenue(lines, data)` to
    count instead of line_amount.
    """
    lines = pricing.price_test_lines(data.orders if orders is None else orders,
                                     data.order_items, data.price_tests, CHARM_SKU)
    if revenue is not None:
        lines = lines.assign(line_amount=revenue(lines, data))
    tests = data.price_tests
    return pricing.weekly_sales_by_price(lines, tests[tests["sku"] == CHARM_SKU])


def _list_price_revenue(lines, data):
    return lines["quantity"] * lines["sku"].map(_catalogue(data).list_price)


def _completed_only(data) -> pd.DataFrame:
    return _charm_test(data, orders=data.orders[data.orders["status"] == "completed"])


COMPLETED_NOT_PAID = ("Refunded orders were paid too (the money went back later), and the test "
                      "counts every paid unit: keep status completed and refunded — paid(orders).")


def _shop_cost(sku: str):
    return lambda data: float(_catalogue(data).at[sku, "unit_cost"])


EXERCISES = (
    Exercise(
        id="04.1",
        kind="computation",
        name="margin",
        title="Gross margin of every product",
        answer=Series("fraction"),
        reference=lambda data: pricing.gross_margin(
            _catalogue(data).list_price, _catalogue(data).unit_cost),
        mistakes=(
            Mistake("markup_for_margin",
                    lambda data: pricing.markup(_catalogue(data).list_price,
                                                _catalogue(data).unit_cost),
                    "That is markup (profit ÷ unit cost). Gross margin divides the profit by the "
                    "selling price."),
            Mistake("cost_share",
                    lambda data: _catalogue(data).unit_cost / _catalogue(data).list_price,
                    "That is the cost's share of the price (unit cost ÷ price): the margin is "
                    "what is left, the profit's share."),
        ),
        hints=(
            "Gross margin (毛利率) is the profit per unit as a share of the selling price.",
            "Profit per unit is list_price − unit_cost. Index the products by sku first.",
            "margin = (list_price − unit_cost) ÷ list_price, one value per SKU.",
        ),
        points=2,
    ),
    Exercise(
        id="04.2",
        kind="computation",
        name="markup",
        title="Markup of every product",
        answer=Series("fraction"),
        reference=lambda data: pricing.markup(
            _catalogue(data).list_price, _catalogue(data).unit_cost),
        mistakes=(
            Mistake("margin_for_markup",
                    lambda data: pricing.gross_margin(_catalogue(data).list_price,
                                                      _catalogue(data).unit_cost),
                    "That is gross margin (profit ÷ price). Markup divides the profit by the "
                    "unit cost."),
            Mistake("price_over_cost",
                    lambda data: _catalogue(data).list_price / _catalogue(data).unit_cost,
                    "That is price ÷ cost, which is 1 + markup: the markup is only the part "
                    "added on top of the cost."),
        ),
        hints=(
            "Markup (加价率) is the profit per unit as a share of what the unit cost you.",
            "Same numerator as the margin, different denominator.",
            "markup = (list_price − unit_cost) ÷ unit_cost, one value per SKU.",
        ),
        points=2,
    ),
    Exercise(
        id="04.3",
        kind="computation",
        name="price_for_margin",
        title="Cost-plus price for a target margin",
        answer=Function(returns=Number("yuan")),
        reference=pricing.price_for_margin,
        cases=(
            Case("a ¥100 cost and a 20 % margin", {"unit_cost": 100.0, "margin": 0.2}),
            Case("a 100 % margin", {"unit_cost": 48.0, "margin": 1.0}),
            Case("the chef knife's cost and a 60 % margin",
                 lambda data: {"unit_cost": _shop_cost("HW-008")(data), "margin": 0.6}),
        ),
        hidden=(
            Case("a zero margin", {"unit_cost": 48.0, "margin": 0.0}),
            Case("a margin above 100 %", {"unit_cost": 48.0, "margin": 1.25}),
            Case("a negative margin (selling below cost)", {"unit_cost": 80.0, "margin": -0.25}),
        ),
        mistakes=(
            Mistake("markup_for_margin", lambda unit_cost, margin: unit_cost * (1 + margin),
                    "cost × (1 + m) adds m as a markup on cost; then the margin on the price "
                    "comes out smaller than m. Solve (p − c) ÷ p = m for p."),
        ),
        hints=(
            "Start from the definition: margin m = (p − c) ÷ p, and solve it for the price p.",
            "p − c = m·p, so p·(1 − m) = c.",
            "p = c ÷ (1 − m). When m ≥ 1 no price works: return math.inf before dividing.",
        ),
        points=3,
    ),
    Exercise(
        id="04.4",
        kind="computation",
        name="arc",
        title=f"Arc elasticity of {ARC_SKU} in the price test",
        answer=Number("number", tol=ELASTICITY_TOLERANCE),
        reference=lambda data: pricing.arc_elasticity(*_arc_levels(data)),
        mistakes=(
            Mistake("sign_flipped", lambda data: -pricing.arc_elasticity(*_arc_levels(data)),
                    "Right size, wrong sign: a higher price sold fewer units, so the elasticity "
                    "is negative. Subtract the low level from the high one in both changes."),
            Mistake("simple_change_from_low",
                    lambda data: _simple_change_elasticity(*_arc_levels(data)),
                    "You measured both % changes from the low price level. The arc (midpoint) "
                    "formula divides each change by the average of the two levels."),
            Mistake("simple_change_from_high",
                    lambda data: _simple_change_elasticity(*_arc_levels(data)[2:],
                                                           *_arc_levels(data)[:2]),
                    "You measured both % changes from the high price level. The arc (midpoint) "
                    "formula divides each change by the average of the two levels."),
            Mistake("inverted",
                    lambda data: 1 / pricing.arc_elasticity(*_arc_levels(data)),
                    "Upside down: elasticity is the % change in units divided by the % change "
                    "in price."),
        ),
        hints=(
            "First average the weekly units at each tested price of this SKU; then take the "
            "lowest and the highest price.",
            "Arc elasticity = (% change in units) ÷ (% change in price), where each % change is "
            "the difference divided by the midpoint (average) of the two values.",
            "((q2 − q1) ÷ ((q1 + q2)/2)) ÷ ((p2 − p1) ÷ ((p1 + p2)/2)); it should be negative.",
        ),
        points=2,
    ),
    Exercise(
        id="04.5",
        kind="computation",
        name="elasticity",
        title="Log-log elasticity of every tested SKU",
        answer=Series("number", tol=ELASTICITY_TOLERANCE),
        reference=_fitted_elasticity,
        mistakes=(
            Mistake("sign_flipped", lambda data: -_fitted_elasticity(data),
                    "Right sizes, wrong sign: fit ln(units) on ln(price) (units are y, price "
                    "is x), and the slope comes out negative."),
            Mistake("level_means", _level_mean_elasticity,
                    "You fitted one point per price level (the average week at each price). "
                    "That is a defensible estimator — it lands well inside the fit's error "
                    "band — but this exercise asks for the lesson's fit: every week of the "
                    "test, one point per row of price_tests."),
            Mistake("linear_slope", _linear_slope,
                    "That slope is in units per ¥, not an elasticity. Take logs of both price "
                    "and units before fitting."),
        ),
        hints=(
            "Constant-elasticity demand units = A · price^e becomes a straight line in logs: "
            "ln(units) = ln(A) + e · ln(price).",
            "For each SKU, fit a line through (ln price, ln units), one point per week: "
            "np.polyfit(x, y, 1) returns [slope, intercept].",
            "The slope is the elasticity. Collect one slope per SKU into a Series indexed by sku.",
        ),
        points=3,
    ),
    Exercise(
        id="04.6",
        kind="decision",
        name="best_price",
        title="The profit-maximising price of every tested product, on contribution",
        answer=Series("yuan"),
        reference=_best_prices,
        mistakes=(
            Mistake("gross_margin_rule", lambda data: _best_prices(data, _gross_margin_rule),
                    GROSS_MARGIN_RULE),
            Mistake("fees_left_out",
                    lambda data: _best_prices(
                        data, lambda c, e, f, s: pricing.profit_maximising_price(c + s, e)),
                    "Net shipping is in, but not the price-proportional costs: a share f of "
                    "every ¥ of price goes to commission, payment fee and refunds, so divide "
                    "the marginal cost by (1 − f)."),
            Mistake("shipping_left_out",
                    lambda data: _best_prices(
                        data, lambda c, e, f, s: pricing.profit_maximising_price(c, e, f)),
                    "The price-proportional costs are in, but not the net shipping the shop "
                    "pays on every unit: the marginal cost is unit cost + net_shipping."),
            Mistake("fees_added_on_cost",
                    lambda data: _best_prices(
                        data, lambda c, e, f, s: (c + s) * (1 + f) * e / (1 + e)),
                    "(c + s) × (1 + f) adds the fees as a share of the *cost*. They are a "
                    "share of the *price*: p(1 − f) must cover c + s, so divide by (1 − f)."),
            Mistake("sign_flipped",
                    lambda data: _best_prices(data, lambda c, e, f, s: (c + s) / (1 - f)
                                              * e / (e - 1)),
                    "That is the rule written for the size of the elasticity, |e|/(|e| − 1), "
                    "fed a negative e. With the signed elasticity it is e / (1 + e)."),
        ),
        hints=(
            "Contribution a week at price p is (p·(1 − f) − c − s) × units(p), with units(p) = "
            "A·p^e from 04.5, f = the price-proportional costs and s = net shipping per unit "
            "(both in `costs`).",
            "Setting its derivative to zero gives the markup rule on the marginal cost: "
            "p* = (c + s) ÷ (1 − f) · e ÷ (1 + e). Check: c + s = 90, f = 0.1, e = −2 gives 200.",
            "f = costs['commission_rate'] + costs['payment_fee_rate'] + costs['refund_rate']; "
            "s = costs['net_shipping']; e is each SKU's fitted elasticity (04.5).",
        ),
        points=3,
    ),
    Exercise(
        id="04.7",
        kind="decision",
        name="promote",
        title=f"Which products can take a {PROMOTION_DISCOUNT:.0%}-off promotion?",
        answer=LabelSet(),
        reference=_promotable,
        mistakes=(
            Mistake("gross_margin_rule", lambda data: _promotable(data, _gross_margins, 0.0),
                    "That is the gross-margin answer, d ÷ (m − d) on the gross margin: it "
                    "counts the unit cost as the only cost, so thin products look as if they "
                    "could afford the cut. Use each SKU's contribution margin."),
            Mistake("fees_not_cut", lambda data: _promotable(data, price_share=0.0),
                    "Right margin, but the discount does not take its whole size off the "
                    "contribution: the commission, payment fee and refunds on the ¥ given away "
                    "go too, so a cut of d costs only d·(1 − f) per old ¥."),
            Mistake("discount_over_margin",
                    lambda data: [sku for sku, m in _contribution_margins(data).items()
                                  if m > 0 and PROMOTION_DISCOUNT / m <= PROMOTION_LIFT],
                    "d ÷ m is the share of the contribution the discount gives away, not the "
                    "extra sales that win it back: each unit now earns m − d·(1 − f), so "
                    "divide by that."),
        ),
        hints=(
            "For every product, its contribution margin m at list price: "
            "metrics.contribution_margin(list_price, unit_cost, **costs).",
            "The uplift a cut d needs to keep the same contribution is d(1 − f) ÷ (m − d(1 − f)): "
            "per old ¥ of price a unit earns m − d(1 − f) instead of m. Infinite when "
            "d(1 − f) ≥ m.",
            f"Keep the SKUs whose needed uplift is at most the {PROMOTION_LIFT:.0%} the "
            "promotion is expected to bring.",
        ),
        points=3,
    ),
    Exercise(
        id="04.8",
        kind="decision",
        name="underpriced",
        title="Which tested products are priced below their profit-maximising price?",
        answer=LabelSet(),
        reference=_priced_below,
        mistakes=(
            Mistake("gross_margin_rule", lambda data: _priced_below(data, _gross_margin_rule),
                    GROSS_MARGIN_RULE),
        ),
        hints=(
            "Use your 04.6 prices: p* on contribution for each tested SKU.",
            "Compare p* with the SKU's list_price.",
            "Under-priced means list_price < p*: raising the price towards p* would add profit.",
        ),
        points=3,
    ),
    Exercise(
        id="04.9",
        kind="diagnosis",
        name="charm_test",
        title="The wok's charm-price test, measured from the orders",
        answer=Table("price", {"units_per_week": Number("units"),
                               "revenue_per_week": Number("yuan")}),
        reference=_charm_test,
        points={"units_per_week": 1, "revenue_per_week": 2},
        mistakes=(
            Mistake("completed_only", lambda data: _completed_only(data).units_per_week,
                    COMPLETED_NOT_PAID, part="units_per_week"),
            Mistake("list_price_for_paid",
                    lambda data: _charm_test(data, revenue=_list_price_revenue).revenue_per_week,
                    "That is units × the list price. In a price test the price actually charged "
                    "changes week by week: sum the lines' line_amount (quantity × unit_price).",
                    part="revenue_per_week"),
            Mistake("order_amount_for_line",
                    lambda data: _charm_test(
                        data, revenue=lambda lines, _: lines["order_amount"]).revenue_per_week,
                    "order_amount is the whole order: other products in the basket too, after "
                    "满减 and coupons. The wok's revenue is its own lines' line_amount.",
                    part="revenue_per_week"),
            Mistake("completed_only_revenue", lambda data: _completed_only(data).revenue_per_week,
                    COMPLETED_NOT_PAID, part="revenue_per_week"),
        ),
        hints=(
            "Keep the paid orders (paid(orders)) on the platform channel placed in the test's "
            "weeks: from the first week_start in price_tests up to, not including, the Monday "
            "after the last one.",
            "Merge them with the HW-001 rows of order_items on order_id. Group the lines by "
            "unit_price: the sum of quantity is units, the sum of line_amount is revenue.",
            "Divide each price's totals by the number of weeks the test charged that price: "
            'price_tests[price_tests.sku == "HW-001"].price.value_counts().',
        ),
    ),
)
