"""Paid advertising on numbers: the ad metric tree, ROAS versus ROI, break-even ROAS, CAC.

The metric tree runs impressions → clicks → orders → revenue, and every ad metric is one
step of it divided by another:

* CTR (点击率) = clicks ÷ impressions; CVR (转化率) = orders ÷ clicks (`metrics.conversion_rate`:
  each click is a visit);
* CPC = spend ÷ clicks; CPM = spend ÷ impressions × 1,000; CPA = spend ÷ orders;
* ROAS = attributed revenue ÷ spend.

Rates (CTR, CVR, ROAS) are 0 when their denominator is 0, as everywhere in the course
(`metrics.rate`: no clicks means no conversion). Costs (CPC, CPM, CPA) are *infinite* when
their denominator is 0: money went out and nothing came back, which is the worst cost there
is, not the best.

ROI versus ROAS. The "ROI" (投产比) that Chinese ad consoles such as 直通车 and 千川 report
is GMV ÷ spend, i.e. ROAS. Marketing ROI in the standard sense (return on marketing
investment; Farris, Bendle, Pfeifer & Reibstein, *Marketing Metrics*, 2nd ed., 2010) is
(attributed revenue × contribution margin − spend) ÷ spend: profit, not sales, per ¥ spent.
The two meet at the break-even ROAS = 1 ÷ contribution margin, where profit ROI is 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from shoplab import metrics
from shoplab.metrics import rate

# Chapter 06 teaches unit economics and new customers for CAC, so its lesson and exercises — and
# chapter 09's, which reuse them, learners' released copies included — call them
# `ads.unit_economics` and `ads.new_customers_by_year`. They are defined once, in `metrics`,
# because other chapters share them; these names are the same functions, not twins
# (tests/topics/test_metrics.py checks it). Topic modules and graders import `metrics`.
unit_economics = metrics.unit_economics
new_customers_by_year = metrics.new_customers_by_year

AD_TOTALS = ["impressions", "clicks", "spend", "attributed_orders", "attributed_revenue"]
METRICS = ["ctr", "cpc", "cpm", "cvr", "cpa", "roas"]


def cost_per(spend, count):
    """`spend ÷ count`, infinite where `count` is 0 (paid for, got nothing). Numbers or Series."""
    if isinstance(count, pd.Series):
        return (spend / count.where(count != 0)).astype(float).fillna(math.inf)
    return float(spend) / float(count) if count else math.inf


def click_through_rate(clicks, impressions):
    """CTR (点击率): share of impressions that were clicked, as a fraction."""
    return rate(clicks, impressions)


def cost_per_click(spend, clicks):
    """CPC: ¥ paid per click."""
    return cost_per(spend, clicks)


def cost_per_mille(spend, impressions):
    """CPM: ¥ paid per thousand impressions (mille = thousand)."""
    return 1000 * cost_per(spend, impressions)


def cost_per_acquisition(spend, orders):
    """CPA: ¥ of ad spend per attributed order."""
    return cost_per(spend, orders)


def return_on_ad_spend(revenue, spend):
    """ROAS: attributed revenue per ¥ of spend — the "ROI" of Chinese ad consoles."""
    return rate(revenue, spend)


def profit_roi(revenue, spend, contribution_margin: float):
    """Marketing ROI on profit: (revenue × contribution margin − spend) ÷ spend, a fraction.

    0 means the ads exactly paid for themselves; −0.3 means 30 fen of every ¥ spent is lost.
    """
    return rate(revenue * contribution_margin - spend, spend)


def break_even_roas(contribution_margin: float) -> float:
    """The ROAS at which ads pay for themselves: 1 ÷ contribution margin."""
    return 1.0 / contribution_margin


def campaign_metrics(campaigns: pd.DataFrame, by: str = "campaign_id") -> pd.DataFrame:
    """Totals and the six ad metrics per `by` (campaign, channel, audience) over all days.

    Metrics are computed from the summed totals, never averaged over days: a day with 10
    impressions must not weigh as much as a day with 10,000.
    """
    t = campaigns.groupby(by)[AD_TOTALS].sum()
    return t.assign(
        ctr=click_through_rate(t["clicks"], t["impressions"]),
        cpc=cost_per_click(t["spend"], t["clicks"]),
        cpm=cost_per_mille(t["spend"], t["impressions"]),
        cvr=metrics.conversion_rate(t["attributed_orders"], t["clicks"]),
        cpa=cost_per_acquisition(t["spend"], t["attributed_orders"]),
        roas=return_on_ad_spend(t["attributed_revenue"], t["spend"]),
    )


def customer_acquisition_cost(ad_spend: float, new_customers: int) -> float:
    """CAC (获客成本): ad spend per new customer won, ¥ (infinite if nobody new came)."""
    return cost_per(ad_spend, new_customers)


@dataclass(frozen=True)
class ResponseCurve:
    """Daily revenue = scale × spend ^ elasticity: diminishing returns when elasticity < 1.

    ROAS falls as spend grows (ROAS = scale × spend ^ (elasticity − 1)), so the next ¥ on a
    channel always returns less than the average ¥ already there.
    """

    scale: float
    elasticity: float

    def revenue(self, spend):
        return self.scale * np.power(spend, self.elasticity)

    def roas(self, spend):
        return return_on_ad_spend(self.revenue(spend), spend)


def fit_response_curve(spend, revenue) -> ResponseCurve:
    """Least-squares line through (log spend, log revenue); days without both are left out."""
    spend, revenue = np.asarray(spend, dtype=float), np.asarray(revenue, dtype=float)
    keep = (spend > 0) & (revenue > 0)
    elasticity, log_scale = np.polyfit(np.log(spend[keep]), np.log(revenue[keep]), 1)
    return ResponseCurve(float(np.exp(log_scale)), float(elasticity))


def fit_response_curves(campaigns: pd.DataFrame) -> dict[str, ResponseCurve]:
    """One response curve per campaign, fitted on its daily rows.

    Per campaign, not per channel: a channel's daily total mixes campaigns that run on
    different days (a festival blitz spends big exactly when shoppers buy most), and that
    mix can masquerade as returns that grow with spend.
    """
    return {
        campaign: fit_response_curve(rows["spend"], rows["attributed_revenue"])
        for campaign, rows in campaigns.groupby("campaign_id")
    }


def always_on(campaigns: pd.DataFrame) -> list[str]:
    """Campaigns that ran every day from their first day to their last (no event-only ones)."""
    span = campaigns.groupby("campaign_id")["date"].agg(["min", "max", "nunique"])
    days = (span["max"] - span["min"]).dt.days + 1
    return list(span.index[span["nunique"] == days])


@dataclass(frozen=True)
class ChannelCurve:
    """A channel's always-on campaigns as one budget: split in today's shares, each on its curve.

    `budget` is today's daily spend (the campaigns' average daily spends added up) and
    `order_value` the channel's attributed revenue per attributed order, ¥.
    """

    curves: dict[str, ResponseCurve]
    shares: dict[str, float]
    budget: float
    order_value: float

    def revenue(self, spend):
        return sum(curve.revenue(self.shares[c] * spend) for c, curve in self.curves.items())


def channel_curves(campaigns: pd.DataFrame) -> dict[str, ChannelCurve]:
    """A `ChannelCurve` per ad channel, from its always-on campaigns' daily rows."""
    daily = campaigns[campaigns["campaign_id"].isin(always_on(campaigns))]
    curves = fit_response_curves(daily)
    result = {}
    for channel, rows in daily.groupby("ad_channel"):
        per_day = rows.groupby("campaign_id")["spend"].mean()
        result[channel] = ChannelCurve(
            {c: curves[c] for c in per_day.index}, (per_day / per_day.sum()).to_dict(),
            float(per_day.sum()),
            float(rows["attributed_revenue"].sum() / rows["attributed_orders"].sum()))
    return result


def max_spend_at_roas(scale: float, elasticity: float, target_roas: float) -> float:
    """Largest daily spend whose ROAS still reaches `target_roas` (0 ≤ elasticity < 1), ¥.

    Solves scale × spend ^ (elasticity − 1) = target for spend.
    """
    return (scale / target_roas) ** (1.0 / (1.0 - elasticity))


def plan(curves: dict[str, ChannelCurve], spend: dict[str, float],
         contribution_margin: float) -> pd.DataFrame:
    """Predicted daily revenue, orders, contribution after ads and ROAS per channel, plus total.

    Orders = predicted revenue ÷ the channel's attributed order value; contribution after
    ads = revenue × contribution margin − spend; the total row's ROAS is the blended ROAS.
    """
    rows = {}
    for channel, curve in curves.items():
        s = float(spend[channel])
        revenue = float(curve.revenue(s)) if s > 0 else 0.0
        rows[channel] = {"spend": s, "revenue": revenue,
                         "orders": revenue / curve.order_value,
                         "contribution": revenue * contribution_margin - s}
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.loc["total"] = table.sum()
    table["roas"] = return_on_ad_spend(table["revenue"], table["spend"])
    return table
