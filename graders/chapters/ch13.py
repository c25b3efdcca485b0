"""Chapter 13 — Capstone: the shop health dashboard read as a merchant reads it, and the last
Double 11 diagnosed from the data (funnel, ads), then a written case analysis graded by hand.

The mistakes are the usual ones of a monthly review: conversion per visitor or on placed
orders, a festival month read against the month before it (环比) instead of the same month last
year (同比), one-driver-at-a-time shares that do not add up, a low level read as a fall, the
leakiest step in place of the one with the most orders at stake, and the console's ROAS or the
gross margin as the bar a campaign must clear.

13.7 is the Double 11 plan, graded by running the shop (`shoplab.capstone`, `graders.plan`):
its named mistakes are whole plans a merchant hands in — last year's unchanged, the stock at
the average demand (sold out on the peak day), each campaign pushed to where its ROAS is 1.

The written case analysis (案例分析) is in `WRITTEN`: the instructor grades it in formgrader.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from graders.answers import Label, LabelSet, Number, Series
from graders.plan import Plan
from graders.spec import DECISION, Exercise, Mistake, Written
from shoplab import ads, capstone, dashboard, funnel, metrics

MONTH = "2025-11"  # the last Double 11's month
MONTH_NAME = "November 2025"
YEAR = 2025
DOUBLE_11 = ("2025-10-21", "2025-11-11")  # the campaign: pre-sale to the peak day
MONTHS = tuple(str(pd.Period(f"{YEAR}-01", freq="M") + i) for i in range(12))


def _indicators(data, month) -> pd.Series:
    return dashboard.indicators(data.sessions, data.orders, data.customers, month)


def _yoy(data, month=MONTH) -> tuple[pd.Series, pd.Series]:
    return _indicators(data, dashboard.month_of(month) - 12), _indicators(data, month)


def _one_at_a_time(data) -> pd.Series:
    """Each driver's own change × last year's GMV: leaves the drivers' joint change out."""
    before, after = _yoy(data)
    return pd.Series({d: before["gmv"] * (after[d] / before[d] - 1) for d in dashboard.DRIVERS})


def _mom_drivers(data) -> pd.Series:
    return dashboard.gmv_drivers(_indicators(data, dashboard.month_of(MONTH) - 1),
                                 _indicators(data, MONTH))


def _month_table(data) -> pd.DataFrame:
    return dashboard.monthly(data.sessions, data.orders, data.customers)


def _conversion_cost(data) -> pd.Series:
    """¥ each month of YEAR gained (+) or lost (−) through its conversion rate, against the
    same month a year before."""
    table = _month_table(data)
    return pd.Series({m: dashboard.gmv_drivers(table.loc[str(dashboard.month_of(m) - 12)],
                                               table.loc[m])["conversion_rate"]
                      for m in MONTHS})


def _double_11_sessions(data) -> pd.DataFrame:
    return funnel.with_paid(dashboard.in_month(data.sessions, "start_time", MONTH), data.orders)


def _campaign_roas(data, revenue: str) -> pd.Series:
    days = ads.with_last_click(data.ad_campaigns, data.orders)
    window = days[(days["date"] >= DOUBLE_11[0]) & (days["date"] <= DOUBLE_11[1])]
    totals = window.groupby("campaign_id")[["spend", revenue]].sum()
    return ads.return_on_ad_spend(totals[revenue], totals["spend"])


def _shares(data) -> pd.Series:
    return metrics.unit_economics(data.orders, data.order_items, data.products, data.fees,
                                  data.shipments)


def _losing(data, revenue: str = "last_click_revenue", margin: str = "contribution_margin"):
    roas = _campaign_roas(data, revenue)
    return list(roas[roas < ads.break_even_roas(_shares(data)[margin])].index)


def _stocked_to_average() -> dict:
    """The optimiser's plan with each SKU stocked to its expected festival demand: half the
    time demand runs above the mean, so the best sellers sell out on the peak day."""
    best = capstone.best_plan()
    demand = capstone.simulate(best).outcome.stock.set_index("sku")["demand"]
    return {**best, "stock": {sku: float(round(demand[sku])) for sku in capstone.STOCK_SKUS}}


ROAS_SEARCH_TOP = 1_000_000.0  # ¥ per campaign: far above any spend the model buys clicks for


@cache
def _roas_of_one() -> dict:
    """The optimiser's plan with each campaign spending until its ROAS (the GMV it adds ÷ its
    spend) falls to 1: every ¥ back in sales, but a ¥ of sales keeps only the contribution
    margin, so most of that spend loses money (chapter 06)."""
    best = capstone.best_plan()
    plan = best
    for campaign in capstone.CAMPAIGNS:
        without = capstone.simulate(capstone.with_budget(best, campaign, 0.0)).revenue

        def roas(yuan, campaign=campaign, without=without):
            spent = capstone.with_budget(best, campaign, yuan)
            return (capstone.simulate(spent).revenue - without) / yuan

        low, high = 1.0, ROAS_SEARCH_TOP
        if roas(low) < 1:
            plan = capstone.with_budget(plan, campaign, 0.0)
            continue
        while high - low > 1:  # ROAS falls as spend grows: bisect for ROAS = 1
            mid = (low + high) / 2
            low, high = (mid, high) if roas(mid) > 1 else (low, mid)
        plan = capstone.with_budget(plan, campaign, float(round(low)))
    return plan


EXERCISES = (
    Exercise(
        id="13.1",
        kind="computation",
        name="conversion_nov",
        title=f"The dashboard's conversion rate for {MONTH_NAME}",
        answer=Number("fraction"),
        reference=lambda data: float(_indicators(data, MONTH)["conversion_rate"]),
        mistakes=(
            Mistake("per_visitor",
                    lambda data: metrics.rate(_indicators(data, MONTH)["paid_orders"],
                                              _indicators(data, MONTH)["visitors"]),
                    "That divides by unique visitors. The dashboard counts conversion per "
                    "visit: divide by the month's sessions."),
            Mistake("placed_not_paid",
                    lambda data: metrics.rate(
                        len(dashboard.in_month(data.orders, "order_time", MONTH)),
                        _indicators(data, MONTH)["visits"]),
                    "That counts every order placed, cancelled ones too. A conversion is a "
                    "paid order (completed or refunded)."),
        ),
        hints=(
            "Conversion rate (转化率) = the month's paid orders ÷ the month's visits.",
            "Orders by order_time in November 2025 with status completed or refunded; "
            "sessions by start_time in the same month.",
            "dashboard.indicators(sessions, orders, customers, '2025-11') computes it with the "
            "others.",
        ),
        points=2,
    ),
    Exercise(
        id="13.2",
        kind="computation",
        name="gmv_split",
        title=f"{MONTH_NAME}'s GMV change on a year before, split into its three drivers",
        answer=Series("yuan"),
        reference=lambda data: dashboard.gmv_drivers(*_yoy(data)),
        mistakes=(
            Mistake("one_at_a_time", _one_at_a_time,
                    "Each driver's own change times last year's GMV leaves out what they "
                    "changed together: those shares do not add up to the change in GMV. Use the "
                    "log-mean split, L(GMV₁, GMV₀) × ln(x₁ ÷ x₀)."),
            Mistake("previous_month", _mom_drivers,
                    "That compares November with October, and November always beats October. "
                    "Compare with the same month a year before (同比)."),
        ),
        hints=(
            "GMV = visits × conversion rate × AOV, for November 2025 and November 2024.",
            "Each driver's share of the change is L(GMV₁, GMV₀) × ln(x₁ ÷ x₀), with "
            "L(a, b) = (a − b) ÷ (ln a − ln b); the three add up to GMV₁ − GMV₀.",
            "dashboard.gmv_drivers(before, after) on two months' dashboard.indicators.",
        ),
        points=3,
    ),
    Exercise(
        id="13.3",
        kind="diagnosis",
        name="held_back",
        title="Which driver held the last Double 11 back",
        answer=Label(dashboard.DRIVERS),
        reference=lambda data: str(dashboard.gmv_drivers(*_yoy(data)).idxmin()),
        mistakes=(
            Mistake("previous_month", lambda data: str(_mom_drivers(data).idxmin()),
                    "That reads November against October: the festival month always wins there. "
                    "Read it against November a year before."),
        ),
        hints=(
            "Split the change in GMV from November 2024 to November 2025 into its three "
            "drivers (your 13.2).",
            "The driver that held it back is the one that cost the most ¥ (the most "
            "negative share).",
        ),
        points=3,
    ),
    Exercise(
        id="13.4",
        kind="diagnosis",
        name="worst_month",
        title=f"The month of {YEAR} whose conversion cost it most against a year before",
        answer=Label(MONTHS),
        reference=lambda data: str(_conversion_cost(data).idxmin()),
        mistakes=(
            Mistake("lowest_rate",
                    lambda data: str(_month_table(data).loc[list(MONTHS), "conversion_rate"]
                                     .idxmin()),
                    "That month has the lowest conversion rate, but some months always convert "
                    "worse. A fall is against the same month a year before: split each month's "
                    "change and compare the ¥ its conversion rate cost."),
            Mistake("weakest_gmv_growth",
                    lambda data: str(dashboard.yoy_gmv_change(_month_table(data))
                                     .loc[list(MONTHS)].idxmin()),
                    "That month's GMV grew least, but not because of its conversion rate alone. "
                    "Split each month's change into its drivers and compare the conversion "
                    "share."),
        ),
        hints=(
            "For each month of 2025, split its GMV change against the same month of 2024 into "
            "visits, conversion rate and AOV.",
            "Keep the conversion-rate share of each month; the answer is the month where it "
            "is the most negative.",
            "dashboard.monthly(...) gives every month's indicators; dashboard.gmv_drivers the "
            "split.",
        ),
        points=3,
    ),
    Exercise(
        id="13.5",
        kind="decision",
        name="fix_first",
        title="The funnel step to fix before the next Double 11",
        answer=Label(funnel.STEPS),
        reference=lambda data: str(funnel.orders_at_stake(_double_11_sessions(data)).idxmax()),
        mistakes=(
            Mistake("leakiest_step",
                    lambda data: funnel.leakiest_step(
                        funnel.stage_counts(_double_11_sessions(data))),
                    "That step loses the largest share of its visitors, but every shop loses "
                    "most viewers there. Fix first where the most orders are at stake: the gap "
                    "between mobile and PC at each step."),
        ),
        hints=(
            "Take the sessions of November 2025 with their paid flag (funnel.with_paid).",
            "Per step, the orders at stake are the extra paid orders if every device converted "
            "at that step as well as the best one (chapter 08).",
            "funnel.orders_at_stake(sessions) and take the step with the most.",
        ),
        points=3,
    ),
    Exercise(
        id="13.6",
        kind="diagnosis",
        name="overspent",
        title="Campaigns that lost money over the last Double 11",
        answer=LabelSet(),
        reference=_losing,
        mistakes=(
            Mistake("console_revenue", lambda data: _losing(data, "attributed_revenue"),
                    "That judges the campaigns on the console's attributed revenue, which "
                    "claims orders the shop's last click does not give them. Use the shop's own "
                    "last-click revenue."),
            Mistake("gross_margin_bar", lambda data: _losing(data, margin="gross_margin"),
                    "That uses 1 ÷ gross margin as the bar, which leaves out commission, fees, "
                    "shipping and refunds: use 1 ÷ the contribution margin."),
        ),
        hints=(
            "Keep the campaign days from 21 October to 11 November 2025 and add the shop's "
            "last-click revenue (ads.with_last_click).",
            "Each campaign's ROAS over the window = its last-click revenue ÷ its spend.",
            "A campaign loses money when its ROAS is below the break-even ROAS, 1 ÷ the shop's "
            "contribution margin (metrics.unit_economics).",
        ),
        points=3,
    ),
    Exercise(
        id="13.7",
        kind=DECISION,
        name="plan",
        title="Your plan for the next Double 11",
        answer=Plan(),
        reference=lambda data: capstone.best_plan(),
        mistakes=(
            Mistake("last_years_plan", lambda data: capstone.baseline_plan(),
                    "That is last year's plan unchanged: it can only tie with itself. Change "
                    "what its warnings point at — the budgets beyond their profit-maximising "
                    "spend, the 满减 — and run `capstone.simulate` again.",
                    part="beats_baseline"),
            Mistake("stocked_to_average", lambda data: _stocked_to_average(),
                    "That stocks each SKU to its average festival demand, so in about half of "
                    "the festivals it sells out, the peak day among them. Stock to the "
                    "newsvendor's critical ratio (chapter 03): a lost sale costs more than a "
                    "unit left over.", part="matches_optimiser"),
            Mistake("roas_of_one", lambda data: _roas_of_one(),
                    "Those budgets spend until each campaign's ROAS is 1: every ¥ comes back "
                    "in sales, but a ¥ of sales keeps only the contribution margin. Spend "
                    "until the last ¥ brings back ¥1 of contribution (chapter 06).",
                    part="beats_baseline"),
        ),
        hints=(
            "Start from `capstone.baseline_plan()`, run `capstone.simulate` on it and read "
            "`capstone.warnings`: each warning names a lever that loses money.",
            "Stock: `capstone.newsvendor_stock(plan, sku)` for each SKU (chapter 03). Price: "
            "try each priceable SKU at a few prices and keep the most profitable (chapter 04). "
            "满减: compare the plan's profit with and without it (chapter 05).",
            "Budgets: raise each campaign's budget while the next ¥1 adds more than ¥1 of "
            "contribution, i.e. while the simulated profit still rises (chapter 06). Ads change "
            "the demand the stock must meet: redo stock and budgets until the plan stops "
            "changing.",
        ),
        points={name: 2 for name, _ in capstone.BANDS},
    ),
)

WRITTEN = (
    Written(
        id="13.case",
        title="Case analysis: the last Double 11",
        rubric=(
            ("背景 background", 1, "the shop, the month and the figures the case rests on, "
                                  "each computed in the notebook"),
            ("问题 problem", 2, "what went wrong, located by the dashboard's drivers (13.2–13.4) "
                               "and stated in ¥, not in adjectives"),
            ("决策 decision", 2, "what to do before the next Double 11 and by which rule "
                                "(orders at stake, break-even ROAS on the contribution margin), "
                                "and the plan's trade-offs (13.7: stock against leftovers, "
                                "reach against the last ¥'s return, the 满减 against margin)"),
            ("启示 lesson", 1, "what a merchant should check every month, and one limit of the "
                              "analysis (what the data cannot show)"),
        ),
    ),
)
