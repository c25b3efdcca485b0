"""Chapter 09 — Customers & membership: repurchase rate, cohort retention, RFM recency, which
dormant segment the win-back budget goes to, customer lifetime value, the most the shop can pay
to win a customer, whether the win-back coupon pays, and whom to send it to first.

The mistakes are the usual ones of customer reports: every registered customer (or every
order) in the denominator, cancelled orders counted as purchases, members from before 2024
counted as new, recency off by a day, counts where rates belong, revenue where margin belongs,
the rule of thumb taken for the break-even, M without R and F.
"""

from __future__ import annotations

import math

import pandas as pd

from graders.answers import Function, Label, LabelSet, Number, Series
from graders.spec import Case, Exercise, Mistake
from shoplab import customers, metrics
from shoplab.metrics import paid, repurchase_rate

YEAR = 2025
WIN_BACK = "PR002"  # the win-back coupon batch
REACTIVATION_FROM = "2025-07-01"  # 09.4: segments scored on this day, returns in the 6 months after
DORMANT_SEGMENTS = ("at risk", "hibernating")
TOP_SHARE = 0.25  # 09.8: the top quarter by M gets the coupon first

CANCELLED_COUNTED = ("A cancelled order was never paid, so it is not a purchase: keep orders with "
                     "status completed or refunded only.")


def _in_year(orders: pd.DataFrame) -> pd.DataFrame:
    return orders[orders["order_time"].dt.year == YEAR]


def _repeat_order_share(data) -> float:
    """The misconception: counting orders, not customers (orders by repeat buyers ÷ orders)."""
    per_customer = paid(_in_year(data.orders)).groupby("customer_id").size()
    return float(per_customer[per_customer >= 2].sum() / per_customer.sum())


def _repurchasers_over_registered(data) -> float:
    per_customer = paid(_in_year(data.orders)).groupby("customer_id").size()
    return float((per_customer >= 2).sum() / len(data.customers))


def _month1(orders: pd.DataFrame, customers_table: pd.DataFrame) -> pd.Series:
    """Month-1 retention of every cohort whose month 1 is in the data."""
    return customers.cohort_retention(orders, customers_table, months=1)[1].dropna()


def _month1_with_legacy(data) -> pd.Series:
    no_legacy = data.customers.assign(acquisition_channel="search")
    return _month1(data.orders, no_legacy)


def _month1_orders(data) -> pd.Series:
    """The misconception: month-1 paid orders of the cohort ÷ cohort size."""
    first = metrics.new_customer_first_orders(data.orders, data.customers)
    cohort = first.set_index("customer_id")["order_time"].dt.to_period("M")
    bought = paid(data.orders)
    bought = bought[bought["customer_id"].isin(cohort.index)]
    start = bought["customer_id"].map(cohort)
    next_month = bought["order_time"].dt.to_period("M") == start + 1
    orders_in_1 = start[next_month].astype(str).value_counts()
    size = cohort.astype(str).value_counts()
    expected = _month1(data.orders, data.customers)
    return (orders_in_1.reindex(expected.index, fill_value=0) / size[expected.index]).astype(float)


def _recency_from_first(data) -> pd.Series:
    first = paid(data.orders).groupby("customer_id")["order_time"].min()
    return (customers.REFERENCE_DATE - first.dt.normalize()).dt.days


def _ltv_parts(data) -> dict:
    margin = float(metrics.unit_economics(data.orders, data.order_items, data.products,
                                          data.fees, data.shipments)["contribution_margin"])
    return {
        "margin": customers.margin_per_customer(data.orders, YEAR, margin),
        "revenue": customers.margin_per_customer(data.orders, YEAR, 1.0),
        "retention": customers.yearly_retention(data.orders, YEAR),
    }


def _shop_clv_inputs(data) -> dict:
    parts = _ltv_parts(data)
    return {"margin_per_year": parts["margin"], "retention_rate": parts["retention"],
            "discount_rate": customers.DISCOUNT_RATE}


def _reactivation(data) -> pd.DataFrame:
    return customers.reactivation_by_segment(data.orders, REACTIVATION_FROM).loc[
        list(DORMANT_SEGMENTS)]


def _max_cac(value="margin", first_year=True, rule_of_thumb=False):
    """The CAC at which a new customer just pays back: their LTV (or a misconception)."""
    def ceiling(data) -> float:
        parts = _ltv_parts(data)
        worth = (customers.new_customer_value if first_year
                 else customers.customer_lifetime_value)
        value_ = worth(parts[value], parts["retention"], customers.DISCOUNT_RATE)
        return value_ / customers.LTV_CAC_RULE_OF_THUMB if rule_of_thumb else value_

    return ceiling


def _targets(data, segments=("at risk",)) -> list[str]:
    """The top TOP_SHARE by M of the customers in `segments` (the reference: at risk only)."""
    rfm = customers.rfm_table(data.orders)
    rfm["segment"] = customers.rfm_segment(rfm)
    pool = rfm[rfm["segment"].isin(segments)].assign(segment="at risk")
    return list(customers.win_back_targets(pool, TOP_SHARE))


def _win_back(data, margin_key="contribution_margin") -> tuple[float, float]:
    """(average redeemed order, contribution or gross margin) of the win-back coupon."""
    shares = metrics.unit_economics(data.orders, data.order_items, data.products, data.fees,
                                    data.shipments)
    batch = customers.coupon_redemption(data.coupons, data.orders, WIN_BACK)
    return batch["average_order"], float(shares[margin_key])


def _face_value(data) -> float:
    return float(data.coupons.loc[data.coupons["promo_id"] == WIN_BACK, "face_value"].iloc[0])


def _break_even(data, margin_key="contribution_margin") -> float:
    order, margin = _win_back(data, margin_key)
    return customers.win_back_break_even_share(order * margin, _face_value(data))


EXERCISES = (
    Exercise(
        id="09.1",
        kind="computation",
        name="repurchase",
        title=f"Repurchase rate in {YEAR}",
        answer=Number("fraction"),
        reference=lambda data: repurchase_rate(_in_year(data.orders)),
        mistakes=(
            Mistake("cancelled_counted",
                    lambda data: repurchase_rate(_in_year(data.orders).assign(status="completed")),
                    CANCELLED_COUNTED),
            Mistake("all_customers_denominator", _repurchasers_over_registered,
                    "You divided by every registered customer, including people who never paid "
                    f"in {YEAR}. 复购率 is a share of the customers who paid at least once."),
            Mistake("orders_not_customers", _repeat_order_share,
                    "You counted orders, not customers: the rate is the share of paying customers "
                    "with two or more paid orders, one vote per customer."),
            Mistake("whole_period", lambda data: repurchase_rate(data.orders),
                    f"That is over both years. Keep only orders placed in {YEAR}."),
        ),
        hints=(
            "Repurchase rate (复购率) = customers with 2+ paid orders ÷ customers with 1+ paid "
            f"order, both counted in {YEAR}.",
            "Keep paid orders (status completed or refunded) placed in the year, then count "
            "orders per customer_id with groupby(...).size().",
            "(per_customer >= 2).mean() is the share you need.",
        ),
        points=3,
    ),
    Exercise(
        id="09.2",
        kind="computation",
        name="month1",
        title="Month-1 retention of every monthly cohort",
        answer=Series("fraction"),
        reference=lambda data: _month1(data.orders, data.customers),
        mistakes=(
            Mistake("cancelled_counted",
                    lambda data: _month1(data.orders.assign(status="completed"), data.customers),
                    CANCELLED_COUNTED),
            Mistake("legacy_included", _month1_with_legacy,
                    "Members from before 2024 (acquisition_channel 'legacy') are in: their first "
                    "order in the data is not their first order ever. Leave them out of every "
                    "cohort."),
            Mistake("orders_not_customers", _month1_orders,
                    "You counted orders in month 1, not customers: a customer who ordered twice "
                    "that month counts once."),
        ),
        hints=(
            "A customer's cohort is the month of their first paid order, e.g. '2024-03'. Leave "
            "out the legacy members (joined before 2024).",
            "For each cohort, count its customers with a paid order in the next calendar month "
            "and divide by the cohort's size.",
            "Period arithmetic helps: order_time.dt.to_period('M') == cohort + 1. Label the "
            "Series by str(cohort); the last cohort has no month 1 in the data yet.",
        ),
        points=3,
    ),
    Exercise(
        id="09.3",
        kind="computation",
        name="recency",
        title="Recency in days of every paying customer",
        answer=Series("days"),
        reference=lambda data: customers.recency_days(data.orders),
        mistakes=(
            Mistake("off_by_one", lambda data: customers.recency_days(data.orders) - 1,
                    "Every value is one day short: count calendar days from the date of the "
                    "last order (order_time.dt.normalize()) to 2026-01-01, so an order on "
                    "31 December 2025 is 1 day old."),
            Mistake("cancelled_counted",
                    lambda data: customers.recency_days(data.orders.assign(status="completed")
                                                        ).reindex(paid(data.orders)["customer_id"]
                                                                  .unique()),
                    CANCELLED_COUNTED),
            Mistake("first_order", _recency_from_first,
                    "Those are days since the *first* paid order. Recency is the time since the "
                    "most recent one."),
        ),
        hints=(
            "Recency (R of RFM) is how long ago a customer last bought: days from their last "
            "paid order to the reference date 2026-01-01.",
            "Take the latest order_time per customer_id over paid orders, then drop the time "
            "of day with .dt.normalize().",
            "(pd.Timestamp('2026-01-01') - last_date).dt.days gives whole days.",
        ),
        points=3,
    ),
    Exercise(
        id="09.4",
        kind="decision",
        name="win_back_segment",
        title="Which dormant customers the win-back budget goes to",
        answer=Label(DORMANT_SEGMENTS),
        reference=lambda data: str(_reactivation(data)["came_back_rate"].idxmax()),
        mistakes=(
            Mistake("most_returners",
                    lambda data: str(_reactivation(data)["came_back"].idxmax()),
                    "That segment has the most customers who came back, because it is the "
                    "largest: most of its customers did not. A coupon goes to one customer at "
                    "a time, so compare the share of each segment that came back."),
        ),
        hints=(
            f"Score the customers on their paid orders placed before {REACTIVATION_FROM}, with "
            f"{REACTIVATION_FROM} as the reference date: recency in days and frequency. Dormant "
            "= recency over 180; at risk = dormant with 2+ orders, hibernating = dormant with 1.",
            "A customer came back if they have a paid order in the six months from "
            f"{REACTIVATION_FROM} (to 2025-12-31).",
            "Per segment: came back ÷ customers. Answer \"at risk\" or \"hibernating\".",
        ),
        points=3,
    ),
    Exercise(
        id="09.5",
        kind="computation",
        name="customer_lifetime_value",
        title="Customer lifetime value",
        answer=Function(returns=Number("yuan")),
        reference=customers.customer_lifetime_value,
        cases=(
            Case("¥100 a year, 80 % retention, 10 % discount rate",
                 {"margin_per_year": 100.0, "retention_rate": 0.8, "discount_rate": 0.1}),
            Case("everyone stays and no discounting",
                 {"margin_per_year": 60.0, "retention_rate": 1.0, "discount_rate": 0.0}),
            Case("¥250 a year, 40 % retention, 8 % discount rate",
                 {"margin_per_year": 250.0, "retention_rate": 0.4, "discount_rate": 0.08}),
        ),
        hidden=(
            Case("nobody comes back (retention 0)",
                 {"margin_per_year": 180.0, "retention_rate": 0.0, "discount_rate": 0.1}),
            Case("a zero discount rate", {"margin_per_year": 60.0, "retention_rate": 0.75,
                                    "discount_rate": 0.0}),
            Case("the shop's own margin and retention", _shop_clv_inputs),
        ),
        mistakes=(
            Mistake("first_year_included",
                    lambda margin_per_year, retention_rate, discount_rate: (
                        margin_per_year / (1 + discount_rate - retention_rate)
                        if 1 + discount_rate - retention_rate > 0 else math.inf),
                    "m ÷ (1 + d − r) leaves out the chance of staying: the next year's margin "
                    "only comes if the customer stays (probability r). Multiply by r."),
            Mistake("no_discounting",
                    lambda margin_per_year, retention_rate, discount_rate: (
                        margin_per_year * retention_rate / (1 - retention_rate)
                        if retention_rate < 1 else math.inf),
                    "The discount rate is missing: ¥1 next year is worth ¥1 ÷ (1 + d) today. "
                    "The denominator is 1 + d − r."),
        ),
        hints=(
            "Each year the customer is still there (probability r, r², …) brings the margin m, "
            "and money a year later is worth ÷ (1 + d).",
            "Summing that geometric series gives CLV = m × r ÷ (1 + d − r).",
            "When 1 + d − r is 0 or less (r = 1 and d = 0) the sum never stops: return "
            "math.inf before dividing. Retention 0 gives 0.",
        ),
        points=3,
    ),
    Exercise(
        id="09.6",
        kind="decision",
        name="max_cac",
        title=f"The most the shop can pay to win a customer in {YEAR}",
        answer=Number("yuan"),
        reference=_max_cac(),
        mistakes=(
            Mistake("revenue_ltv", _max_cac(value="revenue"),
                    "That lifetime value is revenue (GMV per customer), not margin. The ads, "
                    "goods and fees are paid out of the contribution, so multiply GMV per "
                    "customer by contribution_margin first."),
            Mistake("first_year_left_out", _max_cac(first_year=False),
                    "CLV counts only the years after today. A customer you win also brings this "
                    "year's margin: LTV = margin + CLV."),
            Mistake("rule_of_thumb", _max_cac(rule_of_thumb=True),
                    "That is the CAC the 3:1 rule of thumb aims for, leaving room for overheads "
                    "and error. The most the shop can pay before a new customer loses money is "
                    "the whole LTV: at that CAC LTV:CAC is 1:1."),
        ),
        hints=(
            f"Margin per year = {YEAR} GMV per paying customer × contribution_margin; yearly "
            f"retention = share of 2024's paying customers who paid again in {YEAR}.",
            "A new customer pays back their acquisition as long as CAC is at most their LTV = "
            "this year's margin + customer_lifetime_value(margin, retention, 0.10).",
        ),
        points=3,
    ),
    Exercise(
        id="09.7",
        kind="decision",
        name="break_even_share",
        title="How many win-back redemptions must be real for the coupon to pay",
        answer=Number("fraction"),
        reference=_break_even,
        mistakes=(
            Mistake("coupon_charged_twice",
                    lambda data: _face_value(data) / (_win_back(data)[0] * _win_back(data)[1]),
                    "You charged the coupon on every redemption *and* used the margin of an order "
                    "whose order_amount is already after the coupon. A real win-back earns its "
                    "margin; only a redemption that would have happened anyway loses the face "
                    "value: s·m = (1 − s)·f."),
            Mistake("revenue_not_margin",
                    lambda data: customers.win_back_break_even_share(_win_back(data)[0],
                                                                     _face_value(data)),
                    "A won-back order earns its margin, not its whole order_amount: multiply the "
                    "average redeemed order by contribution_margin."),
            Mistake("gross_margin",
                    lambda data: _break_even(data, "gross_margin"),
                    "Gross margin leaves out commission, payment fees, shipping and returns; use "
                    "the contribution margin."),
        ),
        hints=(
            "Win-back coupons are promo_id 'PR002' in the coupons table. Find the paid orders "
            "they were redeemed on and their average order_amount.",
            "Margin m of a won-back order = average order_amount × contribution_margin. A "
            "redemption that would have happened anyway only costs the face value f.",
            "A share s of real win-backs breaks even when s·m = (1 − s)·f, so s = f ÷ (m + f).",
        ),
        points=3,
    ),
    Exercise(
        id="09.8",
        kind="decision",
        name="coupon_first",
        title="Whom to send the win-back coupon to first",
        answer=LabelSet(),
        reference=_targets,
        mistakes=(
            Mistake("all_dormant", lambda data: _targets(data, DORMANT_SEGMENTS),
                    "That ranks every dormant customer by M, one-time buyers (hibernating) "
                    "too. A big basket once is not loyalty: R and F pick the segment — at risk, "
                    "repeat buyers gone quiet — and M ranks inside it."),
            Mistake("everyone",
                    lambda data: _targets(data, customers.SEGMENTS),
                    "That ranks every paying customer by M, recent ones too. A win-back coupon "
                    "is for customers gone quiet: rank the at-risk segment only."),
        ),
        hints=(
            "Score every paying customer on 2026-01-01: recency (09.3), frequency (paid orders) "
            "and monetary value (¥ of order_amount). At risk = recency over 180 and 2+ orders.",
            "Keep the at-risk customers; the first to get a coupon are those whose monetary "
            "value is at least the segment's 75th percentile: "
            "monetary >= monetary.quantile(0.75).",
            "The answer is a list of their customer_ids.",
        ),
        points=3,
    ),
)
