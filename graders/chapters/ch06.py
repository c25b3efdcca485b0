"""Chapter 06 exercises: keyword CTR, the ad metric tree per campaign, break-even ROAS from the
shop's unit economics, the campaigns that lose money, the channel to cut, paid CAC, the
profit-maximising daily budget, and the reallocation of a fixed budget over the campaigns.

The mistakes are the ones ad reports invite: the console's "ROI" that is really ROAS, a
break-even that forgets every cost but the product, refunded goods costed as if restocked,
CTR and CVR over the wrong denominator, CPM per impression instead of per thousand, CPA
per click, blended CAC read as the cost of a paid customer, a budget sized where the average
ROAS (not the marginal one) meets break-even, and a budget split by average ROAS, on the
console's attributed revenue or without the holdout's incrementality.
"""

from __future__ import annotations

import pandas as pd

from graders.answers import Function, Label, LabelSet, Number, Series, Table
from graders.spec import Case, Exercise, Mistake
from shoplab import ads
from shoplab.metrics import (
    first_paid_orders,
    gmv,
    new_customers_by_year,
    paid,
    rate,
    unit_economics,
)

CAC_YEAR = 2025
CURVE_CAMPAIGN = "AD02"  # Search - generic cookware: near break-even, worth sizing
HOLDOUT_CAMPAIGN = "AD01"  # brand terms: the campaign the holdout tested
SPLIT_TOLERANCE = 1.0  # 06.11: ¥1 a day, so another sound optimiser's answer passes


def _shares(data) -> pd.Series:
    return unit_economics(data.orders, data.order_items, data.products, data.fees,
                          data.shipments)


def _margin(data) -> float:
    return float(_shares(data)["contribution_margin"])


def _margin_restocking_refunds(data) -> float:
    """The margin if refunded goods were restocked: product cost of completed orders only.

    The shop writes refunded goods off (datasets/README.md, inventory), so this is a mistake.
    """
    completed = data.orders.loc[data.orders["status"] == "completed", "order_id"]
    items = data.order_items[data.order_items["order_id"].isin(completed)]
    shares = unit_economics(data.orders, items, data.products, data.fees, data.shipments)
    return float(shares["contribution_margin"])


def _totals(data) -> pd.DataFrame:
    return ads.campaign_metrics(data.ad_campaigns)


def _daily_mean(data, numerator: str, denominator: str) -> pd.Series:
    days = data.ad_campaigns.assign(
        r=rate(data.ad_campaigns[numerator], data.ad_campaigns[denominator]))
    return days.groupby("campaign_id")["r"].mean()


def _keyword_ctr(keywords: pd.DataFrame) -> pd.Series:
    t = keywords.groupby("keyword_type")[["clicks", "impressions"]].sum()
    return ads.click_through_rate(t["clicks"], t["impressions"])


def _roas_by_channel(data) -> pd.DataFrame:
    return ads.campaign_metrics(data.ad_campaigns, by="ad_channel")


def _losing(data, threshold: float) -> list[str]:
    roas = _totals(data)["roas"]
    return list(roas[roas < threshold].index)


def _nothing_bought_costs_zero(campaigns: pd.DataFrame) -> pd.DataFrame:
    t = ads.campaign_metrics(campaigns)
    free = {"cpc": t["clicks"] == 0, "cpm": t["impressions"] == 0,
            "cpa": t["attributed_orders"] == 0}
    return t.assign(**{col: t[col].where(~mask, 0.0) for col, mask in free.items()})


def _daily_average_metrics(campaigns: pd.DataFrame) -> pd.DataFrame:
    days = ads.campaign_metrics(campaigns, by=["campaign_id", "date"])
    return days.groupby("campaign_id")[ads.METRICS].mean()


def _cac_parts(data) -> dict:
    """2025 ad spend, and who counts as a customer in 2025 by each reading of "new"."""
    in_year = data.ad_campaigns[data.ad_campaigns["date"].dt.year == CAC_YEAR]
    first = first_paid_orders(data.orders)
    paid_orders = paid(data.orders)
    return {
        "spend": float(in_year["spend"].sum()),
        "new": int(new_customers_by_year(data.orders, data.customers)[CAC_YEAR]),
        "paid_new": int(ads.paid_new_customers_by_year(data.orders, data.customers)[CAC_YEAR]),
        "with_legacy": int((first["order_time"].dt.year == CAC_YEAR).sum()),
        "buyers": int(paid_orders.loc[paid_orders["order_time"].dt.year == CAC_YEAR,
                                      "customer_id"].nunique()),
        "signups": int((data.customers["signup_date"].dt.year == CAC_YEAR).sum()),
        "orders": int(in_year["attributed_orders"].sum()),
        "all_spend": float(data.ad_campaigns["spend"].sum()),
    }


def _cac_with(reading: str, spend: str = "spend"):
    """CAC with another reading of the spend or of who is new (for the mistakes)."""
    def cac(data) -> float:
        parts = _cac_parts(data)
        return ads.customer_acquisition_cost(parts[spend], parts[reading])

    return cac


def _hand_campaigns() -> pd.DataFrame:
    """Three campaigns over two days: C2 is shown but never clicked, C3 is clicked but never
    bought from, and C3 sits idle on its second day (no impressions, no spend)."""
    return pd.DataFrame({
        "date": pd.to_datetime(["2026-01-05", "2026-01-06"] * 3),
        "campaign_id": ["C1", "C1", "C2", "C2", "C3", "C3"],
        "ad_channel": ["search_ads"] * 2 + ["display_ads"] * 2 + ["social_ads"] * 2,
        "impressions": [12000, 8000, 3000, 2000, 5000, 0],
        "clicks": [300, 100, 0, 0, 60, 0],
        "spend": [900.0, 500.0, 45.0, 30.0, 240.0, 0.0],
        "attributed_orders": [9, 3, 0, 0, 0, 0],
        "attributed_revenue": [2700.0, 1100.0, 0.0, 0.0, 0.0, 0.0],
    })


def _never_shown() -> pd.DataFrame:
    """C4: ¥20 spent, no impressions at all — every rate's denominator is 0."""
    return pd.DataFrame({
        "date": pd.to_datetime(["2026-01-05"]), "campaign_id": ["C4"],
        "ad_channel": ["display_ads"], "impressions": [0], "clicks": [0], "spend": [20.0],
        "attributed_orders": [0], "attributed_revenue": [0.0],
    })


def _month(data, which: str) -> dict:
    """The shop's campaign rows of its first or last month."""
    days = data.ad_campaigns
    edge = days["date"].min() if which == "first" else days["date"].max()
    in_month = days["date"].dt.to_period("M") == edge.to_period("M")
    return {"campaigns": days[in_month]}


def _campaign_curve_case(data) -> dict:
    daily = ads.with_last_click(data.ad_campaigns, data.orders)
    curve = ads.fit_response_curves(daily)[CURVE_CAMPAIGN]
    return {"scale": curve.scale, "elasticity": curve.elasticity,
            "break_even": ads.break_even_roas(_margin(data))}


def _plan_days(data, console: bool = False) -> pd.DataFrame:
    """The always-on campaigns' days with the shop's last-click orders and revenue.

    `console=True` puts the console's attributed orders and revenue in their place (a mistake).
    """
    days = ads.with_last_click(data.ad_campaigns, data.orders)
    days = days[days["campaign_id"].isin(ads.always_on(data.ad_campaigns))]
    if console:
        days = days.assign(last_click_orders=days["attributed_orders"],
                           last_click_revenue=days["attributed_revenue"])
    return days


def _plan_curves(data, console: bool = False, holdout: bool = True) -> dict:
    """Response curves of the always-on campaigns, the holdout campaign's × its incrementality."""
    days = _plan_days(data, console)
    curves = ads.fit_response_curves(days)
    if holdout:
        share = ads.incrementality(data.ad_holdout,
                                   days[days["campaign_id"] == HOLDOUT_CAMPAIGN])
        curves[HOLDOUT_CAMPAIGN] = curves[HOLDOUT_CAMPAIGN].scaled(share)
    return curves


def _today(data) -> pd.Series:
    """Today's daily spend of each always-on campaign: its average spend a day."""
    return _plan_days(data).groupby("campaign_id")["spend"].mean()


def _best_split(data, console: bool = False, holdout: bool = True) -> pd.Series:
    return ads.best_allocation(_plan_curves(data, console, holdout), float(_today(data).sum()),
                               ads.break_even_roas(_margin(data)))


def _split_by_average_roas(data) -> pd.Series:
    """The mistake: today's total shared in proportion to each campaign's average ROAS."""
    days = _plan_days(data)
    totals = days.groupby("campaign_id")[["last_click_revenue", "spend"]].sum()
    roas = ads.return_on_ad_spend(totals["last_click_revenue"], totals["spend"])
    roas[HOLDOUT_CAMPAIGN] *= ads.incrementality(
        data.ad_holdout, days[days["campaign_id"] == HOLDOUT_CAMPAIGN])
    return float(_today(data).sum()) * roas / roas.sum()


def _split_equal_average_roas(data) -> pd.Series:
    """The mistake: every campaign at the same *average* ROAS, spending the whole total.

    Marginal ROAS is elasticity × average ROAS, so equal average ROAS on a curve is equal
    marginal ROAS on the curve with scale ÷ elasticity.
    """
    curves = {c: ads.ResponseCurve(k.scale / k.elasticity, k.elasticity)
              for c, k in _plan_curves(data).items()}
    return ads.best_allocation(curves, float(_today(data).sum()),
                               ads.break_even_roas(_margin(data)))


def _cut(split):
    """The campaigns whose spend in `split(data)` is below today's."""
    def campaigns(data) -> list[str]:
        below = split(data) < _today(data)
        return list(below.index[below])

    return campaigns


def _channel_by(data, by: str, largest: bool = False) -> str:
    column = _roas_by_channel(data)[by]
    return str(column.idxmax() if largest else column.idxmin())


def _channel_to_cut(data) -> str:
    roi = ads.profit_roi(_roas_by_channel(data)["attributed_revenue"],
                         _roas_by_channel(data)["spend"], _margin(data))
    return str(roi.idxmin())


IGNORED_HOLDOUT = (f"{HOLDOUT_CAMPAIGN}'s curve is fitted on last clicks, but the holdout shows "
                   "only part of that revenue was caused by the ads: scale its curve by the "
                   "measured incrementality (ads.holdout_lift) before giving it money.")
BY_AVERAGE_ROAS = ("That shares the budget by average ROAS: the average says what the ¥ "
                   "already spent brought, not what the next ¥ brings. Move money until every "
                   "campaign's *marginal* ROAS is the same (ads.best_allocation).")


FRACTION, YUAN = Number("fraction"), Number("yuan")
METRICS_TABLE = Table("campaign_id", {"ctr": FRACTION, "cpc": YUAN, "cpm": YUAN,
                                      "cvr": FRACTION, "cpa": YUAN, "roas": Number("ratio")})

EXERCISES = (
    Exercise(
        id="06.1",
        kind="computation",
        name="keyword_ctr",
        title="Click-through rate of head and long-tail keywords",
        answer=Series("fraction"),
        reference=lambda data: _keyword_ctr(data.keywords),
        mistakes=(
            Mistake("impressions_per_click",
                    lambda data: 1 / _keyword_ctr(data.keywords),
                    "That is impressions per click: CTR puts the clicks on top and the "
                    "impressions underneath."),
            Mistake("mean_of_ratios",
                    lambda data: data.keywords.assign(
                        r=rate(data.keywords["clicks"], data.keywords["impressions"])
                    ).groupby("keyword_type")["r"].mean(),
                    "That averages each row's CTR, so a keyword shown 50 times weighs as much "
                    "as one shown 50,000 times. Sum the clicks and the impressions per type "
                    "first, then divide."),
        ),
        hints=(
            "Group the keywords table by keyword_type and add up clicks and impressions.",
            "CTR = total clicks ÷ total impressions, per type — divide the sums, don't "
            "average the rows' ratios.",
        ),
        points=2,
    ),
    Exercise(
        id="06.2",
        kind="computation",
        name="metrics",
        title="The ad metric tree of every campaign",
        answer=METRICS_TABLE,
        reference=_totals,
        mistakes=(
            Mistake("ctr_inverted", lambda data: 1 / _totals(data)["ctr"],
                    "That is impressions per click. CTR = clicks ÷ impressions.", part="ctr"),
            Mistake("ctr_daily_average", lambda data: _daily_mean(data, "clicks", "impressions"),
                    "That averages the daily CTRs. Add up each campaign's clicks and "
                    "impressions over all its days first, then divide.", part="ctr"),
            Mistake("cpc_per_impression",
                    lambda data: _totals(data)["spend"] / _totals(data)["impressions"],
                    "That divides spend by impressions. CPC is the cost of one click: spend ÷ "
                    "clicks.", part="cpc"),
            Mistake("cpm_not_per_thousand", lambda data: _totals(data)["cpm"] / 1000,
                    "That is the cost of one impression. CPM is the cost of a thousand "
                    "(mille): multiply by 1,000.", part="cpm"),
            Mistake("cvr_per_impression",
                    lambda data: rate(_totals(data)["attributed_orders"],
                                          _totals(data)["impressions"]),
                    "That divides orders by impressions. Ad CVR is orders per click: the "
                    "people who never clicked never saw the product page.", part="cvr"),
            Mistake("cpa_per_click", lambda data: _totals(data)["cpc"],
                    "That is spend per click (CPC). CPA is spend per attributed order.",
                    part="cpa"),
            Mistake("roas_inverted", lambda data: 1 / _totals(data)["roas"],
                    "That is spend per ¥ of revenue. ROAS = attributed revenue ÷ spend.",
                    part="roas"),
            Mistake("roas_minus_spend",
                    lambda data: _totals(data)["roas"] - 1,
                    "That is (revenue − spend) ÷ spend. ROAS is plain revenue ÷ spend; "
                    "taking costs off comes later, with the margin.", part="roas"),
        ),
        hints=(
            "Group ad_campaigns by campaign_id and sum impressions, clicks, spend, "
            "attributed_orders and attributed_revenue; compute every metric from these sums.",
            "CTR = clicks/impressions, CPC = spend/clicks, CPM = spend/impressions×1000, "
            "CVR = orders/clicks, CPA = spend/orders, ROAS = revenue/spend.",
        ),
        points={"ctr": 1, "cpc": 1, "cpm": 1, "cvr": 1, "cpa": 1, "roas": 1},
    ),
    Exercise(
        id="06.3",
        kind="computation",
        name="campaign_metrics",
        title="campaign_metrics(campaigns) for any campaign report",
        answer=Function(returns=METRICS_TABLE),
        reference=ads.campaign_metrics,
        cases=(
            Case("the shop's campaigns in its last month", lambda data: _month(data, "last")),
            Case("three hand-made campaigns, one never clicked, one never bought from",
                 {"campaigns": _hand_campaigns()}),
        ),
        hidden=(
            Case("the shop's campaigns in its first month", lambda data: _month(data, "first")),
            Case("a report of one campaign that was shown but never clicked",
                 {"campaigns": _hand_campaigns().query("campaign_id == 'C2'")}),
            Case("a campaign that paid a set-up fee but was never shown",
                 {"campaigns": pd.concat([_hand_campaigns(), _never_shown()])}),
        ),
        mistakes=(
            Mistake("nothing_bought_costs_zero", _nothing_bought_costs_zero,
                    "Where a campaign got no clicks (or no orders) your CPC / CPA is 0, as "
                    "if those clicks were free. Money was spent and nothing came back: the "
                    "cost is infinite (math.inf)."),
            Mistake("daily_average", _daily_average_metrics,
                    "That averages the daily metrics. Sum each campaign's totals over its "
                    "days first, then divide."),
        ),
        hints=(
            "Start from your 06.2 code, wrapped in a function of `campaigns`.",
            "Rates with a zero denominator are 0: `rate(part, whole)` from shoplab.metrics "
            "does that. Costs with a zero denominator are infinite: pandas already gives "
            "inf for spend ÷ 0 — but not for 0 ÷ 0, so handle rates with `rate`.",
        ),
        points=2,
    ),
    Exercise(
        id="06.4",
        kind="computation",
        name="contribution_margin",
        title="Contribution margin per ¥ of GMV",
        answer=Number("fraction"),
        reference=_margin,
        mistakes=(
            Mistake("gross_margin_only", lambda data: _shares(data)["gross_margin"],
                    "That takes off the product cost only (gross margin). Commission, "
                    "payment fees, shipping and refunds also come out of every ¥ of GMV."),
            Mistake("returns_left_out",
                    lambda data: _margin(data) + _shares(data)["returns"],
                    "Refunds are missing: the goods value of refunded orders goes back to "
                    "the buyer."),
            Mistake("fees_left_out",
                    lambda data: _margin(data) + _shares(data)["commission"]
                    + _shares(data)["payment_fees"],
                    "The platform's commission and the payment fees are missing: use each "
                    "order's channel rates from the fees table."),
            Mistake("shipping_fee_not_netted",
                    lambda data: _margin(data)
                    - paid(data.orders)["shipping_fee"].sum() / gmv(data.orders),
                    "Shipping is the carriers' cost minus the shipping fee buyers paid you; "
                    "you left out the fee buyers paid."),
            Mistake("refunded_goods_restocked", _margin_restocking_refunds,
                    "Your product cost covers completed orders only, as if refunded goods came "
                    "back to the shelf. This shop writes refunded goods off (see the inventory "
                    "table in datasets/README.md): count the goods of every paid order, "
                    "refunded ones included."),
        ),
        hints=(
            "Start from GMV (paid orders' order_amount). Take off: product cost of all paid "
            "orders, commission and payment fees of paid orders, carriers' cost minus the "
            "shipping fee buyers paid, and the order_amount of refunded orders.",
            "Commission of an order = order_amount × its channel's commission_rate (map "
            "orders.channel onto fees). Product cost = quantity × unit_cost over the "
            "order_items of paid orders, refunded ones included: refunded goods are written "
            "off, not restocked. Margin = what is left ÷ GMV.",
        ),
        points=2,
    ),
    Exercise(
        id="06.5",
        kind="computation",
        name="break_even",
        title="Break-even ROAS",
        answer=Number("ratio"),
        reference=lambda data: ads.break_even_roas(_margin(data)),
        mistakes=(
            Mistake("one_over_gross_margin",
                    lambda data: 1 / _shares(data)["gross_margin"],
                    "That is 1 ÷ gross margin: it forgets commission, fees, shipping and "
                    "refunds, so campaigns look safe that actually lose money."),
            Mistake("margin_not_inverted", _margin,
                    "That is the contribution margin itself. Break-even ROAS is the revenue "
                    "per ¥ of spend at which margin × revenue = spend: 1 ÷ margin."),
            Mistake("roas_of_one", lambda data: 1.0,
                    "A ROAS of 1 only returns the spend as sales; the goods, fees and "
                    "shipping still have to be paid out of those sales."),
        ),
        hints=(
            "At break-even, the contribution the ads bring in equals what they cost: "
            "revenue × contribution margin = spend.",
            "Divide both sides by spend × margin: revenue ÷ spend = 1 ÷ contribution margin.",
        ),
        points=2,
    ),
    Exercise(
        id="06.6",
        kind="diagnosis",
        name="losing",
        title="Campaigns that lose money",
        answer=LabelSet(),
        reference=lambda data: _losing(data, ads.break_even_roas(_margin(data))),
        mistakes=(
            Mistake("console_roi_below_one", lambda data: _losing(data, 1.0),
                    "Those are the campaigns whose revenue is below their spend (console "
                    '"ROI" < 1). A campaign loses money as soon as its ROAS is below the '
                    "break-even ROAS."),
            Mistake("gross_margin_break_even",
                    lambda data: _losing(data, 1 / _shares(data)["gross_margin"]),
                    "That uses 1 ÷ gross margin as the bar, which leaves out commission, fees, "
                    "shipping and refunds."),
        ),
        hints=(
            "Take each campaign's ROAS over all its days (your 06.2 table).",
            "Keep the campaign_ids whose ROAS is below your break-even ROAS from 06.5.",
        ),
        points=3,
    ),
    Exercise(
        id="06.7",
        kind="decision",
        name="cut_channel",
        title="Which ad channel to cut",
        answer=Label(),
        reference=_channel_to_cut,
        mistakes=(
            Mistake("least_revenue",
                    lambda data: _channel_by(data, "attributed_revenue"),
                    "That channel brings the least revenue, but it is small because little is "
                    "spent on it. Judge each ¥: profit ROI = (revenue × margin − spend) ÷ spend."),
            Mistake("largest_spend",
                    lambda data: _channel_by(data, "spend", largest=True),
                    "That is the biggest bill, not the worst buy: a large budget that earns more "
                    "than it costs is the last to cut. Compare profit ROI."),
        ),
        hints=(
            "Sum spend and attributed_revenue per ad_channel.",
            "Profit ROI = (revenue × contribution_margin − spend) ÷ spend; below 0 the channel "
            "loses money.",
            "Cut the channel whose profit ROI is lowest (here the one below 0).",
        ),
        points=3,
    ),
    Exercise(
        id="06.8",
        kind="computation",
        name="paid_cac",
        title=f"Paid customer acquisition cost (CAC) in {CAC_YEAR}",
        answer=Number("yuan"),
        reference=_cac_with("paid_new"),
        mistakes=(
            Mistake("blended_cac", _cac_with("new"),
                    "That is the blended CAC: it divides the ad spend by every new customer, "
                    "also those who came by search, livestream or a friend, so it is only a "
                    "lower bound on what the ads paid per customer. The paid CAC divides by "
                    "the new customers whose first paid order came from an ad click."),
            Mistake("all_buyers", _cac_with("buyers"),
                    f"That divides by everyone who bought in {CAC_YEAR}, returning customers "
                    "included. CAC counts only customers whose first paid order fell in "
                    f"{CAC_YEAR}, and the paid CAC only those an ad brought."),
            Mistake("signups", _cac_with("signups"),
                    "That divides by registrations. A registrant who never pays is not a "
                    "customer won; count first paid orders."),
            Mistake("cpa_not_cac", _cac_with("orders"),
                    "That is the cost per attributed order (CPA). CAC divides by new "
                    "customers, not by orders."),
            Mistake("both_years_spend", _cac_with("paid_new", spend="all_spend"),
                    f"That uses the ad spend of every year. Take only the spend dated "
                    f"{CAC_YEAR}."),
        ),
        hints=(
            "A customer is new in the year of their first paid order (completed or refunded): "
            "sort paid orders by order_time and keep each customer_id's first. Leave out "
            "customers whose acquisition_channel is 'legacy'.",
            "Won by ads: that first order has a campaign_id (the shop's last click was an ad).",
            f"Paid CAC = ad spend dated {CAC_YEAR} ÷ the new customers of {CAC_YEAR} won by ads.",
        ),
        points=2,
    ),
    Exercise(
        id="06.9",
        kind="decision",
        name="best_daily_spend",
        title="The daily budget that earns the most",
        answer=Function(returns=Number("yuan")),
        reference=ads.profit_maximising_spend,
        cases=(
            Case("scale 100, elasticity 0.5, break-even ROAS 2",
                 {"scale": 100.0, "elasticity": 0.5, "break_even": 2.0}),
            Case(f"campaign {CURVE_CAMPAIGN}'s fitted curve at the shop's break-even ROAS",
                 _campaign_curve_case),
        ),
        hidden=(
            Case("a steep curve (elasticity 0.3), break-even ROAS 4",
                 {"scale": 250.0, "elasticity": 0.3, "break_even": 4.0}),
            Case("nearly constant returns (elasticity 0.9), break-even ROAS 1.5",
                 {"scale": 8.0, "elasticity": 0.9, "break_even": 1.5}),
        ),
        mistakes=(
            Mistake("average_roas_break_even", ads.zero_profit_spend,
                    "That is the budget at which the campaign's *average* ROAS falls to "
                    "break-even: there its whole contribution after ads is zero. Profit is "
                    "largest where the *last* ¥ just pays for itself: marginal ROAS "
                    "(elasticity × ROAS) = break-even ROAS."),
        ),
        hints=(
            "Contribution after ads at spend s is margin × scale × s^elasticity − s. It is "
            "largest where one more ¥ adds exactly ¥1 of contribution: the marginal ROAS, "
            "d revenue / d s = elasticity × scale × s^(elasticity − 1), equals 1 ÷ margin, "
            "the break-even ROAS.",
            "Solve elasticity × scale × s^(elasticity − 1) = break_even for s: "
            "s = (elasticity × scale ÷ break_even) ^ (1 ÷ (1 − elasticity)).",
        ),
        points=3,
    ),
    Exercise(
        id="06.10",
        kind="decision",
        name="cut",
        title="Which always-on campaigns lose budget in the best split",
        answer=LabelSet(),
        reference=_cut(_best_split),
        mistakes=(
            Mistake("ignored_holdout", _cut(lambda data: _best_split(data, holdout=False)),
                    IGNORED_HOLDOUT),
            Mistake("by_average_roas", _cut(_split_by_average_roas), BY_AVERAGE_ROAS),
        ),
        hints=(
            "Fit the always-on campaigns' curves on the shop's last clicks "
            "(ads.with_last_click, ads.fit_response_curves); multiply "
            f"{HOLDOUT_CAMPAIGN}'s by ads.incrementality(ad_holdout, its rows).",
            "Split today's total (the campaigns' average daily spends added up) with "
            "ads.best_allocation(curves, total, break_even).",
            "Keep the campaigns whose best daily spend is below today's.",
        ),
        points=3,
    ),
    Exercise(
        id="06.11",
        kind="decision",
        name="best_split",
        title="Where the money goes: the best daily budget of every always-on campaign",
        answer=Series("yuan", tol=SPLIT_TOLERANCE),
        reference=_best_split,
        mistakes=(
            Mistake("ignored_holdout", lambda data: _best_split(data, holdout=False),
                    IGNORED_HOLDOUT),
            Mistake("console_revenue", lambda data: _best_split(data, console=True),
                    "Those curves are fitted on the console's attributed orders and revenue, "
                    "which claim more than the shop's own last clicks (any order within 7 days "
                    "of a click). Fit on the shop's last-click orders (ads.with_last_click)."),
            Mistake("by_average_roas", _split_by_average_roas, BY_AVERAGE_ROAS),
            Mistake("equal_average_roas", _split_equal_average_roas,
                    "That puts every campaign at the same *average* ROAS. The split that earns "
                    "the most equalises the *marginal* ROAS, elasticity × average ROAS: a "
                    "campaign with a flatter curve (higher elasticity) deserves more."),
        ),
        hints=(
            "Your 06.10 split, as a Series of daily spend indexed by campaign_id.",
            "Contribution is largest where every campaign's marginal ROAS is the same and not "
            "below break-even; ads.best_allocation finds it for a total budget.",
        ),
        points=4,
    ),
)
