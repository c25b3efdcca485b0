"""Customers on numbers: cohort retention, RFM segments and whom to win back, dormant members,
lifetime value.

Chapter 09's lesson, widget and exercises call these. The definitions other chapters share
live in `shoplab.metrics` and are reused, not repeated: the repurchase rate (复购率,
`metrics.repurchase_rate`), new customers (`metrics.new_customer_first_orders`) and the
contribution margin (`metrics.unit_economics`); CAC is chapter 06's
`shoplab.ads.customer_acquisition_cost`, which the lesson calls directly.

Conventions, as in `shoplab.metrics`: a customer's orders are their **paid** orders (completed
or refunded); rates are fractions. Recency is counted in whole calendar days from the date of
the customer's last paid order to `REFERENCE_DATE`, the day after the data ends, as if the
analysis ran on New Year's Day 2026: an order on 31 December 2025 is 1 day old.

Lifetime value follows Farris, Bendle, Pfeifer & Reibstein, *Marketing Metrics*, 2nd ed.
(2010), §5.3: a customer's lifetime value CLV = m × r ÷ (1 + d − r), with margin m per year,
yearly retention r and discount rate d. It assumes a constant margin and retention, margins
arriving at the end of each year the customer stays, and no end date; it counts the years
*after* today, so a newly won customer is worth the first year's margin plus the CLV. That
sum is what the course calls LTV: practitioners' "LTV" usually includes the first margin,
Farris's CLV does not.
"""

from __future__ import annotations

import math

import pandas as pd

from shoplab.metrics import (
    among,
    average_order_value,
    gmv,
    new_customer_first_orders,
    paid,
    rate,
    share,
)

REFERENCE_DATE = pd.Timestamp("2026-01-01")
DORMANT_DAYS = 180  # the shop sends win-back coupons after 180 days without an order
ACTIVE_DAYS = 90
DISCOUNT_RATE = 0.10  # a year: what ¥1 a year from now is worth less than ¥1 today
LTV_CAC_RULE_OF_THUMB = 3.0  # a rule of thumb, not a law: LTV about 3× what the customer cost
SEGMENTS = ("champions", "new", "cooling", "at risk", "hibernating")


def cohort_retention(orders: pd.DataFrame, customers: pd.DataFrame,
                     months: int = 12) -> pd.DataFrame:
    """Monthly cohort retention (留存): share of each cohort with a paid order in month k.

    A cohort is the new customers whose first paid order fell in one calendar month (index
    "YYYY-MM"); column k (0 … `months`) is the share of them with a paid order k calendar
    months later, so column 0 is 1. Months after the data ends are NaN: not yet seen, which
    is not the same as nobody came back.
    """
    first = new_customer_first_orders(orders, customers)
    cohort = first.set_index("customer_id")["order_time"].dt.to_period("M")
    bought = paid(orders)
    bought = bought[among(bought["customer_id"], cohort.index)]
    month = bought["order_time"].dt.to_period("M")
    start = bought["customer_id"].map(cohort)
    age = (month.dt.year - start.dt.year) * 12 + (month.dt.month - start.dt.month)
    active = (pd.DataFrame({"cohort": start.astype(str), "age": age,
                            "customer_id": bought["customer_id"]})
              .drop_duplicates().groupby(["cohort", "age"]).size().unstack(fill_value=0))
    table = active.reindex(columns=range(months + 1), fill_value=0).div(active[0], axis=0)
    last = bought["order_time"].max().to_period("M")
    for name in table.index:
        seen = (last.year - int(name[:4])) * 12 + last.month - int(name[5:])
        table.loc[name, table.columns > seen] = float("nan")
    table.columns.name = "months after first order"
    return table


def recency_days(orders: pd.DataFrame, reference_date=REFERENCE_DATE) -> pd.Series:
    """Days from each paying customer's last paid order (its date) to `reference_date`."""
    last = paid(orders).groupby("customer_id")["order_time"].max()
    return (pd.Timestamp(reference_date) - last.dt.normalize()).dt.days.rename("recency_days")


def rfm_table(orders: pd.DataFrame, reference_date=REFERENCE_DATE) -> pd.DataFrame:
    """Recency (days), frequency (paid orders) and monetary value (¥ GMV) per paying customer."""
    bought = paid(orders).groupby("customer_id")
    return pd.DataFrame({
        "recency_days": recency_days(orders, reference_date),
        "frequency": bought.size(),
        "monetary": bought["order_amount"].sum(),
    })


def rfm_segment(rfm: pd.DataFrame, active_days: int = ACTIVE_DAYS,
                dormant_days: int = DORMANT_DAYS, repeat_orders: int = 2) -> pd.Series:
    """Rule-based segments from recency and frequency, one label per customer.

    M (monetary) is not in the rules: a segment names what to do (welcome, reward, win back),
    which R and F decide; M, a separate axis, ranks customers within a segment (whom to win
    back first), as the lesson does.

    * champions — bought within `active_days` and have `repeat_orders` or more orders;
    * new — bought within `active_days`, fewer orders (so far);
    * cooling — last order between `active_days` and `dormant_days` ago;
    * at risk — repeat buyers silent for more than `dormant_days`: the ones to win back;
    * hibernating (沉睡) — one-time buyers silent for more than `dormant_days`.
    """
    recent = rfm["recency_days"] <= active_days
    dormant = rfm["recency_days"] > dormant_days
    repeat = rfm["frequency"] >= repeat_orders
    segment = pd.Series("cooling", index=rfm.index, name="segment")
    segment[recent & repeat] = "champions"
    segment[recent & ~repeat] = "new"
    segment[dormant & repeat] = "at risk"
    segment[dormant & ~repeat] = "hibernating"
    return segment


def win_back_targets(rfm: pd.DataFrame, top_share: float = 0.25) -> pd.Index:
    """The customers to win back first: the *at risk* ones (repeat buyers gone quiet) whose
    monetary value is in the segment's top `top_share` — M at least the segment's
    (1 − top_share) quantile (pandas' default, linear).

    R and F pick the segment, M ranks inside it (RFM as in Hughes, *Strategic Database
    Marketing*): a big one-off basket (hibernating) is not loyalty, and a recent buyer needs
    no win-back. `rfm` needs a `segment` column (`rfm_segment`).
    """
    at_risk = rfm.loc[rfm["segment"] == "at risk", "monetary"]
    return at_risk.index[at_risk >= at_risk.quantile(1 - top_share)]


def reactivation_by_segment(orders: pd.DataFrame, as_of, months: int = 6) -> pd.DataFrame:
    """Per RFM segment on `as_of` (scored on the orders before it): its customers, how many
    paid for an order in the `months` after, and that share (`came_back_rate`).

    The evidence for whom a win-back budget should go to: the segment that comes back most
    often per customer reached, not the one with the most returners — a large segment has
    many returners and a low rate.
    """
    day = pd.Timestamp(as_of)
    rfm = rfm_table(orders[orders["order_time"] < day], day)
    rfm["segment"] = rfm_segment(rfm)
    later = orders[(orders["order_time"] >= day)
                   & (orders["order_time"] < day + pd.DateOffset(months=months))]
    rfm["came_back"] = rfm.index.isin(paid(later)["customer_id"])
    table = rfm.groupby("segment")["came_back"].agg(customers="size", came_back="sum")
    table["came_back_rate"] = table["came_back"] / table["customers"]
    return table


def dormant_share(recency: pd.Series, days: int = DORMANT_DAYS) -> float:
    """Share of paying customers whose last paid order is more than `days` days old."""
    return share(recency > days)


def yearly_retention(orders: pd.DataFrame, year: int) -> float:
    """Share of the previous year's paying customers who paid again in `year`."""
    bought = paid(orders)
    years = bought["order_time"].dt.year
    before = set(bought.loc[years == year - 1, "customer_id"])
    again = before & set(bought.loc[years == year, "customer_id"])
    return rate(len(again), len(before))


def margin_per_customer(orders: pd.DataFrame, year: int, contribution_margin: float) -> float:
    """Contribution a paying customer brings in a year: GMV per buyer × contribution margin."""
    bought = paid(orders)
    bought = bought[bought["order_time"].dt.year == year]
    return rate(gmv(bought), bought["customer_id"].nunique()) * contribution_margin


def customer_lifetime_value(margin_per_year: float, retention_rate: float,
                            discount_rate: float) -> float:
    """CLV (客户终身价值) = m × r ÷ (1 + d − r), ¥: the discounted margin of the years ahead.

    Each year the customer stays (probability r, r², …) brings m, worth less the later it
    comes (÷ (1 + d) a year); the geometric series sums to the formula. A customer who never
    leaves (r = 1) in a world without discounting (d = 0) is worth infinitely much.
    """
    remaining = 1 + discount_rate - retention_rate
    if remaining <= 0:
        return math.inf
    return margin_per_year * retention_rate / remaining


def new_customer_value(margin_per_year: float, retention_rate: float,
                       discount_rate: float) -> float:
    """What winning a customer is worth: the first year's margin plus the CLV after it, ¥.

    This is the value to set against CAC (Farris et al., §5.3: the initial margin is not
    part of CLV).
    """
    return margin_per_year + customer_lifetime_value(margin_per_year, retention_rate,
                                                     discount_rate)


def coupon_redemption(coupons: pd.DataFrame, orders: pd.DataFrame, promo_id: str) -> dict:
    """A coupon batch's issued and redeemed coupons, redemption rate and redeemed orders' AOV.

    A coupon counts as redeemed when its order was paid; the average order is `order_amount`,
    which is already after the coupon's discount.
    """
    batch = coupons[coupons["promo_id"] == promo_id]
    used = paid(orders)
    used = used[among(used["order_id"], batch["redeemed_order_id"])]
    return {"issued": len(batch), "redeemed": len(used),
            "redemption_rate": rate(len(used), len(batch)),
            "average_order": average_order_value(used)}


def win_back_break_even_share(order_margin: float, face_value: float) -> float:
    """Share of coupon redemptions that must be real win-backs for the coupon to pay, f ÷ (m + f).

    A redemption by a customer who would have bought anyway just gives away the face value f;
    a real win-back earns the order's margin m (its order_amount is already after the coupon).
    With a share s of real win-backs a redemption earns s·m − (1 − s)·f, zero at s = f ÷ (m + f).
    """
    return face_value / (order_margin + face_value)
