"""Platform choice: what an order leaves on each platform, the cost of the money a platform
holds, and a weighted score over the platforms. Chapter 01's lesson, widget and exercises all
call these; the rows they take are the `platforms` table's.

What an order leaves is the shop's one contribution definition (`metrics.unit_contribution`)
with the platform's rates: this module only lays it out step by step. Rates are fractions of
the order value; money is ¥.
"""

from __future__ import annotations

import pandas as pd

from shoplab.metrics import unit_contribution

# Criterion → (column, +1 if more is better, −1 if less is better)
CRITERIA = {
    "traffic": ("traffic_index", 1),
    "fit": ("category_fit", 1),
    "fees": ("take_rate", -1),
    "capability": ("capability_needed", -1),
}


def take_rate(platforms: pd.DataFrame) -> pd.Series:
    """The platform's cut of every order (扣点): commission plus payment fee, a fraction."""
    return platforms["commission_rate"] + platforms["payment_fee_rate"]


def order_contribution(order_value, unit_cost, platforms: pd.DataFrame, net_shipping=0.0):
    """¥ an order of `order_value` whose goods cost `unit_cost` leaves on each platform row.

    The contribution (边际贡献) after commission, payment fee, expected refunds at the
    platform's return rate, and shipping net of what the buyer paid. With `unit_cost` 0 it is
    what the platform pays out per order, net of refunds and shipping.
    """
    return unit_contribution(
        order_value,
        unit_cost,
        commission_rate=platforms["commission_rate"],
        payment_fee_rate=platforms["payment_fee_rate"],
        refund_rate=platforms["return_rate"],
        net_shipping=net_shipping,
    )


def payout_waterfall(order_value: float, unit_cost: float, terms: pd.Series,
                     net_shipping: float = 0.0) -> pd.Series:
    """One order on one platform, step by step: the order value, each cost as a negative ¥
    amount, and the contribution left (the steps add up to it)."""
    steps = pd.Series({
        "order value": order_value,
        "commission": -order_value * terms["commission_rate"],
        "payment fee": -order_value * terms["payment_fee_rate"],
        "expected refunds": -order_value * terms["return_rate"],
        "shipping": -net_shipping,
        "product cost": -unit_cost,
    })
    left = order_contribution(order_value, unit_cost, terms, net_shipping)
    return pd.concat([steps, pd.Series({"contribution": float(left)})])


def capital_cost_per_order(order_value, platforms: pd.DataFrame, orders_per_year: float,
                           annual_rate: float):
    """¥ per order that the money a platform holds costs the shop, at `annual_rate` a year.

    Two sums are tied up: the deposit (保证金), all year, spread over the year's orders; and
    each order's value until it is settled, `settlement_days` of the year. Each costs what the
    money would earn (or save) elsewhere: the cost of capital.
    """
    deposit = platforms["deposit"] * annual_rate / orders_per_year
    waiting = order_value * platforms["settlement_days"] / 365 * annual_rate
    return deposit + waiting


def criterion_scores(platforms: pd.DataFrame) -> pd.DataFrame:
    """Each criterion rescaled to 0–1 across the rows given: 1 for the best platform, 0 for the
    worst (min–max, turned round where less is better). Equal values all score 1."""
    values = platforms.assign(take_rate=take_rate(platforms))
    scores = {}
    for name, (column, direction) in CRITERIA.items():
        x = values[column] * direction
        spread = x.max() - x.min()
        scores[name] = (x - x.min()) / spread if spread else x * 0 + 1.0
    return pd.DataFrame(scores, index=platforms.index)


def weighted_score(platforms: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """The weighted score (加权评分) of each platform, 0–1: Σ weight × criterion score ÷ Σ weight.

    `weights` maps some of CRITERIA's names to non-negative weights; a criterion left out
    weighs 0. The score ranks; it does not say how much money a platform makes.
    """
    unknown = set(weights) - set(CRITERIA)
    if unknown:
        raise ValueError(f"unknown criteria {sorted(unknown)}; use {sorted(CRITERIA)}")
    w = pd.Series(weights, dtype=float).reindex(list(CRITERIA), fill_value=0.0)
    if (w < 0).any() or w.sum() == 0:
        raise ValueError("weights must be non-negative and not all zero")
    return criterion_scores(platforms) @ (w / w.sum())
