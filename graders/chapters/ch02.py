"""Chapter 02 — Products, SKUs, categories & brand: the A SKUs by revenue, each SKU's
contribution, the SKU that carries revenue but not profit, the profit SKUs that earn no profit,
the weak product's fix/reprice/delist decision, view → cart by SKU, the launch's cannibalisation
rate and the competitor gap to close first.

The mistakes are the usual ones of product reviews: ranking by units or by the wrong metric,
profit before fees and refunds, reading revenue as profit, comparing a contribution margin with
a gross margin, deciding on sales, a before/after difference read without the category's trend,
and gaps compared in their raw units.
"""

from __future__ import annotations

import pandas as pd

from graders.answers import Label, LabelSet, Number, Series
from graders.spec import Exercise, Mistake
from shoplab import metrics
from shoplab import products as pr

YEAR = 2025
# 02.5: the weak product and its options
WEAK_SKU = "HW-005"
FIX_EXTRA_COST = 6.0  # ¥ a unit for the supplier's better coating
REPRICE_PRICE = 69.0  # an honest budget price ...
REPRICE_UNITS = 1.5  # ... which sells half as many units again
HW005_CHOICES = ("fix", "reprice", "delist")
# 02.7: the launch
LAUNCH_SKU, NEIGHBOUR = "HW-032", "HW-029"
BEFORE, AFTER = (-26, -1), (8, 33)  # weeks since launch: the half-year before, after the ramp
# 02.8: the competitor analysis
GAP_CATEGORY = "Cookware"


def _lines(data) -> pd.DataFrame:
    lines = pr.paid_lines(data.orders, data.order_items)
    return lines[lines["order_time"].dt.year == YEAR]


def _totals(data) -> pd.DataFrame:
    return pr.sku_totals(_lines(data), data.products, data.fees)


def _class_a(values: pd.Series) -> list[str]:
    classes = pr.abc_classes(values)
    return list(classes.index[classes == "A"])


def _gross_profit(data) -> pd.Series:
    lines = _lines(data)
    cost = lines["sku"].map(data.products.set_index("sku")["unit_cost"]) * lines["quantity"]
    profit = (lines["line_amount"] - cost).groupby(lines["sku"]).sum()
    return profit.reindex(data.products["sku"], fill_value=0.0)


def _without_refunds(data) -> pd.Series:
    lines = _lines(data).assign(status="completed")
    return pr.sku_totals(lines, data.products, data.fees)["contribution"]


def _refunded_lines_dropped(data) -> pd.Series:
    lines = _lines(data)
    lines = lines[lines["status"] != "refunded"]
    return pr.sku_totals(lines, data.products, data.fees)["contribution"]


def _margins(data) -> tuple[pd.Series, float]:
    t = _totals(data)
    return t["contribution"] / t["revenue"], t["contribution"].sum() / t["revenue"].sum()


def _profit_roles(data) -> pd.Series:
    return data.products.set_index("sku")["portfolio_role"] == "profit"


def _not_earning(data) -> list[str]:
    margin, shop = _margins(data)
    return list(margin.index[_profit_roles(data) & (margin < shop)])


def _below_gross_margin(data) -> list[str]:
    margin, _ = _margins(data)
    lines = _lines(data)
    cost = (lines["sku"].map(data.products.set_index("sku")["unit_cost"]) * lines["quantity"]).sum()
    gross = 1 - cost / lines["line_amount"].sum()
    return list(margin.index[_profit_roles(data) & (margin < gross)])


def _all_roles_below(data) -> list[str]:
    margin, shop = _margins(data)
    return list(margin.index[margin < shop])


def _weak_options(data) -> pd.DataFrame:
    """Per option: price, unit cost, refund share and units a year; contribution and revenue."""
    lines = _lines(data)
    product = data.products.set_index("sku").loc[WEAK_SKU]
    category = lines["sku"].map(data.products.set_index("sku")["category"])
    weak = lines[lines["sku"] == WEAK_SKU]
    rest = lines[(category == product["category"]) & (lines["sku"] != WEAK_SKU)]
    refunds = (weak["status"] == "refunded").mean()
    units = float(weak["quantity"].sum())
    price, cost = product["list_price"], product["unit_cost"]
    options = pd.DataFrame(
        {"price": [price, REPRICE_PRICE, 0.0], "unit_cost": [cost + FIX_EXTRA_COST, cost, 0.0],
         "refund_rate": [(rest["status"] == "refunded").mean(), refunds, 0.0],
         "units": [units, units * REPRICE_UNITS, 0.0]}, index=list(HW005_CHOICES))
    terms = data.fees.set_index("channel").loc["platform"]
    per_unit = metrics.unit_contribution(
        options["price"], options["unit_cost"], commission_rate=terms["commission_rate"],
        payment_fee_rate=terms["payment_fee_rate"], refund_rate=options["refund_rate"])
    return options.assign(contribution=per_unit * options["units"],
                          revenue=options["price"] * options["units"])


def _launch_lines(data) -> pd.DataFrame:
    lines = pr.paid_lines(data.orders, data.order_items)
    launch = data.products.set_index("sku").at[LAUNCH_SKU, "launch_date"]
    return lines.assign(week=pr.weeks_since(lines["order_time"], launch))


def _baseline(data) -> list[str]:
    """The category's other SKUs on sale for the whole before window."""
    p = data.products.set_index("sku")
    launch = p.at[LAUNCH_SKU, "launch_date"]
    start = launch + pd.Timedelta(weeks=BEFORE[0])
    same = p[(p["category"] == p.at[LAUNCH_SKU, "category"]) & (p["launch_date"] <= start)]
    return [s for s in same.index if s not in (LAUNCH_SKU, NEIGHBOUR)]


def _cannibalisation(data) -> float:
    return pr.cannibalisation_rate(_launch_lines(data), LAUNCH_SKU, NEIGHBOUR, _baseline(data),
                                   BEFORE, AFTER)


def _units(lines, sku, weeks) -> float:
    return float(lines.loc[(lines["sku"] == sku) & lines["week"].between(*weeks), "quantity"].sum())


def _raw_fall(data) -> float:
    lines = _launch_lines(data)
    fall = _units(lines, NEIGHBOUR, BEFORE) - _units(lines, NEIGHBOUR, AFTER)
    return fall / _units(lines, LAUNCH_SKU, AFTER)


def _share_of_neighbour(data) -> float:
    lines = _launch_lines(data)
    expected = pr.expected_units(lines, NEIGHBOUR, _baseline(data), BEFORE, AFTER)
    return (expected - _units(lines, NEIGHBOUR, AFTER)) / expected


def _gaps(data) -> tuple[pd.Series, pd.DataFrame]:
    rivals = data.competitors[data.competitors["category"] == GAP_CATEGORY]
    reviews = data.reviews[data.reviews["review_date"].dt.year == YEAR]
    ours = pr.shop_profile(_lines(data), data.products, reviews, data.shipments, GAP_CATEGORY,
                           rivals["comparable_sku"].iloc[0])
    return ours, rivals


def _gap_to_close(data) -> str:
    return str(pr.trailing_gaps(*_gaps(data)).idxmax())


def _raw_gap(data) -> str:
    ours, rivals = _gaps(data)
    raw = (ours[list(pr.DIMENSIONS)] - rivals[list(pr.DIMENSIONS)].mean()) * -pd.Series(
        pr.DIMENSIONS)
    return str(raw.astype(float).idxmax())


EXERCISES = (
    Exercise(
        id="02.1",
        kind="computation",
        name="a_by_revenue",
        title="The A SKUs by revenue",
        answer=LabelSet(),
        reference=lambda data: _class_a(_totals(data)["revenue"]),
        mistakes=(
            Mistake("by_units", lambda data: _class_a(_totals(data)["units"]),
                    "These are the A SKUs by units sold: cheap SKUs sell many units and little "
                    "revenue. Rank by revenue (line_amount)."),
            Mistake("by_contribution", lambda data: _class_a(_totals(data)["contribution"]),
                    "These are the A SKUs by contribution; this exercise ranks by revenue "
                    "(line_amount), the next one turns to profit."),
        ),
        hints=("Sum line_amount per SKU over 2025's paid order lines, sort largest first, and "
               "take the cumulative share of the total.",
               "A SKU is an A while the cumulative share *before* it is below 0.80: "
               "products.abc_classes does exactly this."),
        points=2,
    ),
    Exercise(
        id="02.2",
        kind="computation",
        name="contribution",
        title="What each SKU contributed in 2025",
        answer=Series("yuan"),
        reference=lambda data: _totals(data)["contribution"],
        mistakes=(
            Mistake("gross_profit", _gross_profit,
                    "That is gross profit (revenue − unit cost): the commission, the payment "
                    "fee and the refunds are costs of every sale too."),
            Mistake("refunds_ignored", _without_refunds,
                    "Refunded lines are counted as kept sales: a refunded line loses its price "
                    "and keeps its cost (refund rate 1)."),
            Mistake("refunded_dropped", _refunded_lines_dropped,
                    "Refunded lines are left out, as if they had never happened: they still "
                    "cost the goods and the fees, and lose the price."),
        ),
        hints=("Use products.line_contribution on the paid lines of 2025 (it applies "
               "metrics.unit_contribution at each line's channel rates), then sum per SKU.",
               "A line of a refunded order has refund rate 1, any other line 0."),
        points=2,
    ),
    Exercise(
        id="02.3",
        kind="diagnosis",
        name="revenue_not_profit",
        title="Carried by revenue, not by profit",
        answer=LabelSet(),
        reference=lambda data: sorted(set(_class_a(_totals(data)["revenue"]))
                                      - set(_class_a(_totals(data)["contribution"]))),
        mistakes=(
            Mistake("reversed", lambda data: sorted(
                set(_class_a(_totals(data)["contribution"])) - set(_class_a(_totals(data)[
                    "revenue"]))),
                "These are A by contribution but not by revenue: the other way round."),
        ),
        hints=("Compute the A class twice on 2025's totals: by revenue and by contribution.",
               "The answer is the SKUs in the first set and not in the second."),
        points=3,
    ),
    Exercise(
        id="02.4",
        kind="diagnosis",
        name="profit_skus_not_earning",
        title="Profit SKUs (利润款) that do not earn their role",
        answer=LabelSet(),
        reference=_not_earning,
        mistakes=(
            Mistake("against_gross_margin", _below_gross_margin,
                    "That compares each SKU's contribution margin with the shop's gross "
                    "margin: compare like with like, the shop's contribution margin."),
            Mistake("all_roles", _all_roles_below,
                    "That includes SKUs of every role: only the ones labelled profit are meant "
                    "to carry the margin."),
        ),
        hints=("A SKU's contribution margin is its 2025 contribution ÷ its 2025 revenue; the "
               "shop's is the total contribution ÷ the total revenue.",
               "Keep the SKUs with portfolio_role 'profit' whose margin is below the shop's."),
        points=2,
    ),
    Exercise(
        id="02.5",
        kind="decision",
        name="weak_product_decision",
        title="What to do with the weak saucepan HW-005",
        answer=Label(HW005_CHOICES),
        reference=lambda data: str(_weak_options(data)["contribution"].idxmax()),
        mistakes=(
            Mistake("by_revenue", lambda data: str(_weak_options(data)["revenue"].idxmax()),
                    "That option sells the most, in ¥: a decision on a product is made on what "
                    "it leaves (contribution), refunds and costs included."),
        ),
        hints=("Per option, the contribution a year = units × metrics.unit_contribution(price, "
               "unit cost, the platform's commission and payment fee, the refund share).",
               f"The fix keeps the price and units, adds ¥{FIX_EXTRA_COST:g} a unit and brings "
               "the refund share down to the rest of Cookware's; delisting contributes ¥0."),
        points=3,
    ),
    Exercise(
        id="02.6",
        kind="computation",
        name="view_to_cart",
        title="View → cart by product page",
        answer=Series("fraction"),
        reference=lambda data: pr.view_to_cart(data.sessions),
        mistakes=(
            Mistake("over_all_visits", lambda data: data.sessions.groupby("viewed_sku")[
                "placed_order"].mean(),
                "That is view → order; this step ends at the cart (added_to_cart)."),
        ),
        hints=("Keep the sessions that viewed a product and group them by viewed_sku.",
               "The share of them with added_to_cart is the conversion (a fraction)."),
        points=2,
    ),
    Exercise(
        id="02.7",
        kind="diagnosis",
        name="cannibalisation_rate",
        title="How much of the launch was taken from the rice cooker",
        answer=Number("fraction"),
        reference=_cannibalisation,
        mistakes=(
            Mistake("raw_fall", _raw_fall,
                    "That reads the rice cooker's fall in units as lost to the launch: part of "
                    "it is the season. Take the category's trend as the baseline."),
            Mistake("share_of_neighbour", _share_of_neighbour,
                    "That is the share of the rice cooker's own expected units it lost; the "
                    "cannibalisation rate divides the lost units by the new SKU's units."),
        ),
        hints=("Weeks since launch: (order_time − HW-032's launch_date).days // 7. Before = "
               "weeks −26…−1, after = weeks 8…33. The baseline: the other small appliances on "
               "sale through the whole before window.",
               "Expected HW-029 units after = its units before × the baseline's units after ÷ "
               "the baseline's units before; lost = expected − actual; rate = lost ÷ HW-032's "
               "units after."),
        points=3,
    ),
    Exercise(
        id="02.8",
        kind="decision",
        name="gap_to_close",
        title="The competitor gap to close first",
        answer=Label(tuple(pr.DIMENSIONS)),
        reference=_gap_to_close,
        mistakes=(
            Mistake("raw_units", _raw_gap,
                    "That gap is largest only in its own units: ¥, days, stars and SKUs cannot "
                    "be compared raw. Divide each gap by the competitors' average."),
        ),
        hints=("Our figures for Cookware: products.shop_profile on 2025's lines and reviews; "
               "the rivals: the competitors rows of Cookware.",
               "products.trailing_gaps turns each gap into a share of the competitors' "
               "average, positive where we trail; close the largest first."),
        points=3,
    ),
)
