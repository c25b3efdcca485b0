"""Promotions: what 满减 really gives away, where baskets bunch, what coupons cost, and lift
measured against a baseline instead of against the quiet days before a festival.

满减 (spend-threshold reduction) takes a fixed sum off a basket that reaches a threshold; 每满
(per every) takes it off for every full threshold. Its *effective discount* is the money off ÷
the basket, so it is deepest just at the threshold and thins out above it. Lift follows
Farris et al., *Marketing Metrics* (2nd ed., 2010), ch. 8: incremental sales = sales in the
promotion − the baseline (what would have sold without it), and a promotion is judged on the
contribution of its incremental sales less its cost, not on GMV.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shoplab import metrics


def threshold_reduction(basket, threshold: float, reduction: float, per_every: bool = False):
    """¥ off a basket of gross value `basket` under 满`threshold`减`reduction` (每满 if
    `per_every`: the reduction for every full threshold); 0 below the threshold."""
    basket = np.asarray(basket, dtype=float)
    times = np.floor(basket / threshold) if per_every else (basket >= threshold).astype(float)
    return times * reduction


def effective_discount(basket, threshold: float, reduction: float, per_every: bool = False):
    """Money off ÷ basket: the discount rate a buyer of this basket really gets."""
    basket = np.asarray(basket, dtype=float)
    return threshold_reduction(basket, threshold, reduction, per_every) / basket


def bunching_ratio(baskets: pd.Series, threshold: float, width: float = 0.1) -> float:
    """Baskets just over a threshold per basket just under it: the count in [T, T + w·T) ÷ the
    count in [T − w·T, T). Well above its value outside promotions = buyers top up (凑单)."""
    below = baskets.between(threshold * (1 - width), threshold, inclusive="left").sum()
    above = baskets.between(threshold, threshold * (1 + width), inclusive="left").sum()
    return float(above / below)


def redemption_rates(coupons: pd.DataFrame, audience: pd.Series) -> pd.Series:
    """Share of issued coupons redeemed (核销率), per audience; `audience` maps promo_id to it."""
    issued = coupons[coupons["promo_id"].isin(audience.index)]
    redeemed = issued["redeemed_order_id"].notna()
    return redeemed.groupby(issued["promo_id"].map(audience)).mean().rename("redemption_rate")


def baseline_lift(daily: pd.Series, window: pd.DatetimeIndex, baseline_days) -> float:
    """Incremental sales over `window`: its total − the baseline's mean day × its days.

    `daily` is sales per day; `baseline_days` are days with no promotion and no pull-forward
    that stand for the same season (Farris et al., ch. 8)."""
    return float(daily.reindex(window, fill_value=0).sum()
                 - daily.reindex(baseline_days, fill_value=0).mean() * len(window))


def incremental_contribution(incremental_gmv: float, contribution_margin: float,
                             promotion_cost: float) -> float:
    """What a promotion earned: contribution of its incremental GMV less the money it gave away."""
    return incremental_gmv * contribution_margin - promotion_cost


def order_contribution(orders: pd.DataFrame, product_cost: pd.Series, fees: pd.DataFrame,
                       net_shipping: pd.Series):
    """¥ each order leaves after its goods, commission, payment fee and net shipping
    (`metrics.unit_contribution` with the order's amount as the price): negative = sold below
    cost. `product_cost` and `net_shipping` (carrier cost − shipping fee paid) by order_id."""
    terms = fees.set_index("channel").reindex(orders["channel"])
    ids = orders["order_id"]
    return pd.Series(metrics.unit_contribution(
        orders["order_amount"].to_numpy(), product_cost.reindex(ids).to_numpy(),
        commission_rate=terms["commission_rate"].to_numpy(),
        payment_fee_rate=terms["payment_fee_rate"].to_numpy(),
        net_shipping=net_shipping.reindex(ids, fill_value=0.0).to_numpy()), index=orders.index)


def rule_outcome(baskets: pd.Series, threshold: float, reduction: float,
                 contribution_margin: float, top_up_gap: float, top_up_rate: float) -> dict:
    """满T减R over a basket distribution: the baskets within `top_up_gap` × T under T move up to T
    with chance `top_up_rate` (the bunching measured in the shop's data, as an expected value).

    Returns the effective discount on the baskets that get the reduction, the share of baskets
    that move up, the AOV after, and the contribution left per basket: gross × the shop's
    `contribution_margin` less the reduction (the money off is given away in full)."""
    g = baskets.to_numpy(float)
    near = (g < threshold) & (g >= threshold * (1 - top_up_gap))
    moved = np.where(near, top_up_rate, 0.0)
    after = np.where(near, threshold, g)
    gets = after >= threshold
    weight = np.where(near, moved, gets.astype(float))  # chance each basket gets the reduction
    paid_gross = g * (1 - moved) + after * moved
    off = weight * reduction
    return {
        "effective_discount": float(off.sum() / (weight * after).sum()),
        "moved_up": float(moved.mean()),
        "aov": float((paid_gross - off).mean()),
        "contribution_per_basket": float(((paid_gross * contribution_margin) - off).mean()),
    }
