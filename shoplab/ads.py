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


def paid_new_customers_by_year(orders: pd.DataFrame, customers: pd.DataFrame) -> pd.Series:
    """New customers per year whose first paid order came from an ad click (its campaign_id).

    Ad spend ÷ these is the *paid* CAC; ÷ all new customers (`new_customers_by_year`) it is the
    *blended* CAC, which is lower whenever customers also arrive unpaid (search, friends).
    """
    first = metrics.new_customer_first_orders(orders, customers)
    first = first[first["campaign_id"].fillna("") != ""]
    return first.groupby(first["order_time"].dt.year).size()


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

    def scaled(self, factor: float) -> ResponseCurve:
        """The same curve with every ¥ of revenue × `factor` (e.g. the holdout's incrementality)."""
        return ResponseCurve(self.scale * factor, self.elasticity)


def fit_response_curve(spend, orders, order_value: float) -> ResponseCurve:
    """Poisson regression of daily orders on log spend (log link), in ¥ of revenue.

    Orders on a day are counts, often 0 or 1 for a small campaign: a least-squares line
    through log revenue would have to drop the zero days, which bends the curve flat. The
    Poisson fit keeps them (expected orders = a × spend ^ elasticity, found by Newton's method
    on the log-likelihood); revenue = orders × the campaign's `order_value`.
    """
    spend, orders = np.asarray(spend, dtype=float), np.asarray(orders, dtype=float)
    keep = spend > 0
    x = np.column_stack([np.ones(keep.sum()), np.log(spend[keep])])
    y = orders[keep]
    beta = np.array([np.log(y.mean()), 0.0])
    for _ in range(50):
        mu = np.exp(x @ beta)
        step = np.linalg.solve(x.T @ (x * mu[:, None]), x.T @ (y - mu))
        beta += step
        if np.abs(step).max() < 1e-10:
            break
    return ResponseCurve(float(order_value * np.exp(beta[0])), float(beta[1]))


def with_last_click(campaigns: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """Campaign days plus the shop's own last-click paid orders and revenue from them.

    `last_click_orders` / `last_click_revenue` count the paid orders whose `campaign_id` is the
    campaign, on the day they were placed: the shop's own attribution. The console's
    `attributed_*` figures claim more (any order of a clicker within 7 days), so budgets are
    sized on these instead.
    """
    ad = metrics.paid(orders)
    ad = ad[ad["campaign_id"].fillna("") != ""]
    by_day = ad.groupby([ad["campaign_id"], ad["order_time"].dt.normalize()])["order_amount"]
    key = pd.MultiIndex.from_frame(campaigns[["campaign_id", "date"]])
    return campaigns.assign(
        last_click_orders=by_day.size().reindex(key).fillna(0).astype(int).to_numpy(),
        last_click_revenue=by_day.sum().reindex(key).fillna(0.0).to_numpy())


def fit_response_curves(campaigns: pd.DataFrame) -> dict[str, ResponseCurve]:
    """One response curve per campaign, fitted on its daily last-click orders.

    The rows need `last_click_orders` and `last_click_revenue` (`with_last_click`): the
    shop's own orders, not the console's inflated claims. Per campaign, not per channel: a
    channel's daily total mixes campaigns that run on different days (a festival blitz spends
    big exactly when shoppers buy most), and that mix can masquerade as returns that grow
    with spend.
    """
    return {
        campaign: fit_response_curve(
            rows["spend"], rows["last_click_orders"],
            rows["last_click_revenue"].sum() / rows["last_click_orders"].sum())
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
    `order_value` the channel's last-click revenue per last-click order, ¥.
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
            float(rows["last_click_revenue"].sum() / rows["last_click_orders"].sum()))
    return result


def marginal_roas(curve: ResponseCurve, spend):
    """Revenue the next ¥ of spend brings: d revenue / d spend = elasticity × ROAS at `spend`."""
    return curve.elasticity * curve.roas(spend)


def profit_maximising_spend(scale: float, elasticity: float, break_even: float) -> float:
    """The daily spend that earns the most contribution after ads (0 < elasticity < 1), ¥.

    Contribution after ads = margin × revenue(s) − s is largest where the *marginal* ROAS,
    elasticity × scale × s ^ (elasticity − 1), equals the break-even ROAS (1 ÷ margin): past
    that point the next ¥ brings back less contribution than it costs (Farris et al.,
    *Marketing Metrics*, on marginal versus average returns).
    """
    return (elasticity * scale / break_even) ** (1.0 / (1.0 - elasticity))


def zero_profit_spend(scale: float, elasticity: float, break_even: float) -> float:
    """The daily spend at which the *average* ROAS falls to break-even, ¥ (0 ≤ elasticity < 1).

    There the campaign's whole contribution after ads is zero: every ¥ it earned below this
    point has been given back. Solves scale × s ^ (elasticity − 1) = break-even for s.
    """
    return (scale / break_even) ** (1.0 / (1.0 - elasticity))


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


def holdout_lift(holdout: pd.DataFrame) -> pd.Series:
    """What the ads caused, measured by a holdout: exposed minus holdout, per searcher.

    The holdout group's orders and revenue per searcher are what the exposed group would have
    bought without the ads; the rest of the exposed group's orders and revenue are incremental
    (增量). `incremental_orders_se` is the standard error of the incremental orders (Poisson
    counts: variance = count), so ± 1.96 of it is a 95 % interval.
    """
    t = holdout.groupby("group")[["brand_searchers", "orders", "revenue"]].sum()
    exposed, control = t.loc["exposed"], t.loc["holdout"]
    scale = exposed["brand_searchers"] / control["brand_searchers"]
    return pd.Series({
        "incremental_orders": exposed["orders"] - scale * control["orders"],
        "incremental_orders_se": math.sqrt(exposed["orders"] + scale**2 * control["orders"]),
        "incremental_revenue": exposed["revenue"] - scale * control["revenue"],
    })


def incrementality(holdout: pd.DataFrame, campaign_days: pd.DataFrame,
                   revenue: str = "last_click_revenue") -> float:
    """Share of a campaign's attributed revenue that the holdout shows it caused.

    The holdout's incremental revenue (`holdout_lift`) ÷ the campaign's `revenue` column over the
    test's days: `last_click_revenue` (the shop's own attribution, what the response curves are
    fitted on) or the console's `attributed_revenue`. `campaign_days` are the tested campaign's
    rows. Its response curve × this share is what more spend would really bring (Farris et al.:
    ROMI on incremental revenue).
    """
    tested = campaign_days[campaign_days["date"].isin(holdout["date"])]
    return float(holdout_lift(holdout)["incremental_revenue"] / tested[revenue].sum())


def best_allocation(curves: dict[str, ResponseCurve], budget: float,
                    break_even: float) -> pd.Series:
    """Daily spend per campaign that earns the most contribution after ads, at most `budget`.

    Contribution is largest where every campaign's marginal ROAS is the same number m (else
    moving a ¥ from the lower to the higher earns more) and m is at least break-even (else
    the last ¥ loses money). Spend at marginal ROAS m is (elasticity × scale ÷ m) ^
    (1 ÷ (1 − elasticity)) per campaign; m = break-even if that fits in the budget, else the
    m > break-even at which the spends add up to the budget (found by bisection).
    """
    def spends(m: float) -> pd.Series:
        return pd.Series({c: profit_maximising_spend(k.scale, k.elasticity, m)
                          for c, k in curves.items()})

    if spends(break_even).sum() <= budget:
        return spends(break_even)
    low, high = math.log(break_even), math.log(break_even) + 1.0
    while spends(math.exp(high)).sum() > budget:
        high += 1.0
    for _ in range(100):
        mid = (low + high) / 2
        low, high = (mid, high) if spends(math.exp(mid)).sum() > budget else (low, mid)
    return spends(math.exp(high))
