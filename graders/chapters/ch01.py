"""Chapter 01 — Platforms & store setup: the take rate, what an order leaves, a commission claim
checked, the money a platform holds, the weighted platform score and an onboarding deadline."""

from __future__ import annotations

import pandas as pd

from graders.answers import Function, Label, LabelSet, Number, Series
from graders.spec import Case, Exercise, Mistake
from shoplab import metrics
from shoplab import platforms as pf

ORDER_VALUE = 100.0
ORDERS_PER_YEAR = 500  # a new store's first year
CAPITAL_RATE = 0.08
OWNER_WEIGHTS = {"traffic": 1, "fit": 4, "fees": 1, "capability": 3}
APPLY_ON = pd.Timestamp("2026-05-08")
OPEN_BY = pd.Timestamp("2026-06-01")  # the 618 pre-sale


def _terms(data) -> pd.DataFrame:
    return data.platforms.set_index("platform")


def _candidates(data) -> pd.DataFrame:
    terms = _terms(data)
    return terms[terms["shop_channel"].isna()]


def _difference(data, rates) -> float:
    """¥ more a ¥100 order leaves on the bargain marketplace than in the shop's store, counting
    the rates `rates(terms)`; goods and shipping are the same on both, so they cancel."""
    lost = rates(_terms(data)) * ORDER_VALUE
    return float(lost["marketplace_store"] - lost["bargain_marketplace"])


CLAIM_CHOICES = ("bargain_marketplace", "marketplace_store", "same")


def _leaves_more(gain: float) -> str:
    """Which platform a ¥100 order leaves more on, given the bargain marketplace's ¥ gain."""
    if round(gain, 2) == 0:
        return "same"
    return "bargain_marketplace" if gain > 0 else "marketplace_store"


def _all_rates(terms):
    return terms["commission_rate"] + terms["payment_fee_rate"] + terms["return_rate"]


def _raw_weighted_sum(data) -> str:
    """The misconception: weights on the raw columns, never rescaled (traffic's 0–100 wins)."""
    c = _candidates(data).assign(take_rate=lambda t: pf.take_rate(t))
    total = sum(OWNER_WEIGHTS[name] * c[column] * direction
                for name, (column, direction) in pf.CRITERIA.items())
    return str(total.idxmax())


def _costs_not_turned_round(data) -> str:
    """The misconception: a higher take rate and more capability needed score higher."""
    c = _candidates(data).assign(take_rate=lambda t: pf.take_rate(t))
    total = sum(OWNER_WEIGHTS[name] * (c[column] - c[column].min())
                / (c[column].max() - c[column].min())
                for name, (column, _) in pf.CRITERIA.items())
    return str(total.idxmax())


def _open_in_time(terms: pd.DataFrame) -> list[str]:
    ready = APPLY_ON + pd.to_timedelta(terms["onboarding_weeks"] * 7, unit="D")
    return list(terms.index[ready <= OPEN_BY])


def _contribution(order_value, unit_cost, commission_rate, payment_fee_rate, return_rate,
                  net_shipping):
    return metrics.unit_contribution(order_value, unit_cost, commission_rate=commission_rate,
                                     payment_fee_rate=payment_fee_rate, refund_rate=return_rate,
                                     net_shipping=net_shipping)


EXERCISES = (
    Exercise(
        id="01.1",
        kind="computation",
        name="take_rate",
        title="The take rate of every platform",
        answer=Series("fraction"),
        reference=lambda data: pf.take_rate(_terms(data)),
        mistakes=(
            Mistake("commission_only", lambda data: _terms(data)["commission_rate"],
                    "That is the commission alone; the payment provider takes its fee on every "
                    "order too."),
            Mistake("returns_added", lambda data: _all_rates(_terms(data)),
                    "That adds the return rate: refunds are a cost of the order, but not a cut "
                    "the platform takes. The take rate is commission plus payment fee."),
        ),
        hints=("The take rate (扣点) is what the platform and the payment provider keep of every "
               "order: commission_rate + payment_fee_rate.",
               'Index by platform: platforms.set_index("platform").'),
        points=2,
    ),
    Exercise(
        id="01.2",
        kind="computation",
        name="order_contribution",
        title="What an order leaves",
        answer=Function(returns=Number("yuan")),
        reference=_contribution,
        cases=(
            Case("a ¥100 order on the shop's store",
                 {"order_value": 100.0, "unit_cost": 52.0, "commission_rate": 0.05,
                  "payment_fee_rate": 0.006, "return_rate": 0.06, "net_shipping": 5.0}),
            Case("a ¥259 order on a cross-border platform",
                 {"order_value": 259.0, "unit_cost": 120.0, "commission_rate": 0.15,
                  "payment_fee_rate": 0.0, "return_rate": 0.08, "net_shipping": 31.5}),
        ),
        hidden=(
            Case("no refunds, free shipping paid by the buyer",
                 {"order_value": 88.0, "unit_cost": 40.0, "commission_rate": 0.02,
                  "payment_fee_rate": 0.006, "return_rate": 0.0, "net_shipping": 0.0}),
            Case("an order that loses money",
                 {"order_value": 39.9, "unit_cost": 30.0, "commission_rate": 0.08,
                  "payment_fee_rate": 0.006, "return_rate": 0.10, "net_shipping": 6.0}),
        ),
        mistakes=(
            Mistake("refunds_left_out",
                    lambda order_value, unit_cost, commission_rate, payment_fee_rate,
                    return_rate, net_shipping: _contribution(
                        order_value, unit_cost, commission_rate, payment_fee_rate, 0.0,
                        net_shipping),
                    "Refunds are left out: the share of orders refunded loses its whole value "
                    "(the goods are written off), so subtract order_value × return_rate."),
            Mistake("shipping_left_out",
                    lambda order_value, unit_cost, commission_rate, payment_fee_rate,
                    return_rate, net_shipping: _contribution(
                        order_value, unit_cost, commission_rate, payment_fee_rate, return_rate,
                        0.0),
                    "The shipping the shop pays is missing: subtract net_shipping too."),
        ),
        hints=("Every rate is a share of the order value: order_value × (1 − commission − "
               "payment fee − return rate).",
               "Then take off the goods (unit_cost) and the shipping the shop pays "
               "(net_shipping)."),
        points=3,
    ),
    Exercise(
        id="01.3",
        kind="diagnosis",
        name="leaves_more",
        title="Is the low-commission platform really cheaper?",
        answer=Label(choices=CLAIM_CHOICES),
        reference=lambda data: _leaves_more(_difference(data, _all_rates)),
        mistakes=(
            Mistake("commission_only",
                    lambda data: _leaves_more(_difference(data, lambda t: t["commission_rate"])),
                    "That compares the commissions only. Count everything that grows with the "
                    "order on each platform: commission, payment fee and the expected refunds."),
        ),
        hints=("Goods and shipping cost the same on both platforms, so only the rates differ.",
               "On each: ¥100 × (commission + payment fee + return rate) is lost; compare the "
               "two, to the fen."),
        points=3,
    ),
    Exercise(
        id="01.4",
        kind="computation",
        name="capital_cost",
        title="The money a platform holds, per order of a new store",
        answer=Series("yuan"),
        reference=lambda data: pf.capital_cost_per_order(
            ORDER_VALUE, _terms(data), ORDERS_PER_YEAR, CAPITAL_RATE),
        mistakes=(
            Mistake("deposit_not_spread",
                    lambda data: _terms(data)["deposit"] * CAPITAL_RATE
                    + ORDER_VALUE * _terms(data)["settlement_days"] / 365 * CAPITAL_RATE,
                    "The deposit's yearly cost is charged to one order: spread it over the "
                    "year's orders."),
            Mistake("settlement_in_years",
                    lambda data: _terms(data)["deposit"] * CAPITAL_RATE / ORDERS_PER_YEAR
                    + ORDER_VALUE * _terms(data)["settlement_days"] * CAPITAL_RATE,
                    "The settlement wait is counted as years: settlement_days is days, so the "
                    "order's money is tied up settlement_days ÷ 365 of a year."),
        ),
        hints=("Deposit: deposit × 8 % a year, shared by the 500 orders of the year.",
               "Waiting: ¥100 × settlement_days ÷ 365 × 8 %. Add the two, per platform."),
        points=2,
    ),
    Exercise(
        id="01.5",
        kind="decision",
        name="next_platform",
        title="Which platform to add next, on the owner's weights",
        answer=Label(),
        reference=lambda data: str(pf.weighted_score(_candidates(data), OWNER_WEIGHTS).idxmax()),
        mistakes=(
            Mistake("not_rescaled", _raw_weighted_sum,
                    "The criteria were weighted in their own units: traffic runs to 100 and fit "
                    "to 1, so traffic swamps the weights. Rescale each criterion to 0–1 first."),
            Mistake("costs_not_turned_round", _costs_not_turned_round,
                    "Fees and capability needed are costs: less is better, so the cheapest and "
                    "easiest platform should score 1 on them, not 0."),
        ),
        hints=("Use the six candidates only (shop_channel empty).",
               "Rescale each criterion to 0–1 across them (turned round for fees and capability), "
               "weight and add: shoplab.platforms.weighted_score does exactly that."),
        points=4,
    ),
    Exercise(
        id="01.6",
        kind="decision",
        name="open_for_618",
        title="Which candidates can be open for the 618 pre-sale",
        answer=LabelSet(),
        reference=lambda data: _open_in_time(_candidates(data)),
        mistakes=(
            Mistake("own_stores_included", lambda data: _open_in_time(_terms(data)),
                    "The shop's own stores are already open: list only candidates, the rows "
                    "with no shop_channel."),
        ),
        hints=("A store opens onboarding_weeks × 7 days after the application.",
               "Keep the candidates whose opening day is on or before 2026-06-01."),
        points=2,
    ),
)
