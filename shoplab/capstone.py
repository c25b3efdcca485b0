"""Chapter 13's Double 11 plan: write it, run the shop on it, see its profit and its score.

A plan is a small dict (every field is required):

    plan = {
        "stock": {"HW-001": 260, "HW-002": 210, ...},    # units on hand for the festival,
                                                         # one entry per SKU in STOCK_SKUS
        "ad_budget": {"AD01": 3000, "AD10": 15000, ...},  # ¥ per campaign over the festival
                                                         # (CAMPAIGNS; a campaign left out
                                                         # spends nothing)
        "promotion": {"threshold": 300, "reduction": 50},  # 每满300减50; reduction 0 = none
        "price": {"sku": "HW-001", "price": 199},        # one SKU of PRICEABLE and its price
    }

`simulate(plan)` runs it through the shop's own festival model (`shoplab.shopgen.model`: the
generator's demand, ad response, 满减, price elasticity and stock-outs, as expectations, so the
same plan always gives the same result) and returns its profit: the contribution after ad
spend (contribution as `shoplab.metrics` defines it) less the holding cost of stock left over.
`warnings(plan)` names what a plan does against the standard rules; `score(plan)` applies
the band rule below. A malformed plan raises `PlanError`, whose message names the field.

**The score rule** (the instructions print it): share = (profit − baseline profit) ÷ (the
optimiser's profit − baseline profit), where the baseline is last year's plan
(`baseline_plan`) and the optimiser is the course's own search (`best_plan`). The bands, each
a part of the exercise: share > 0 (beats last year), ≥ 0.25, ≥ 0.5, ≥ 0.75 and ≥ 1 (matches
the optimiser: share ≥ 0.98, or above it). A plan at or below last year's earns
nothing. The score is the result of running the shop, nothing else: run `simulate` before
handing a plan in.

This module imports the festival model besides `shoplab.metrics` (tests/topics/
test_import_rule.py allows it for this module only): the plan is scored on the generator's own
demand, and the model lives with the generator so that it is built from its constants.
"""

from __future__ import annotations

import json
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd

import shoplab.shopgen.model as model

PLANS_FILE = Path(__file__).with_name("capstone_plans.json")


@cache
def _stored() -> dict:
    return json.loads(PLANS_FILE.read_text(encoding="utf-8"))


# The SKUs a plan stocks (last year's best sellers) and the campaigns it can fund, as the model
# gave them when the plans were derived: stored beside the plans (shoplab.instructor.capstone
# writes both, and its --check fails when either is stale), since deriving them runs the model,
# which importing this module (every chapter 13 check does) should not have to.
STOCK_SKUS = tuple(_stored()["stock_skus"])
CAMPAIGNS = tuple(_stored()["campaigns"])
PRICEABLE = model.PRICEABLE
# the lowest and highest price each PRICEABLE SKU's test tried: a plan's price stays within them
TESTED_PRICES = {sku: model.tested_prices(sku) for sku in PRICEABLE}
FIELDS = ("stock", "ad_budget", "promotion", "price")
PEAK_DAY = pd.Timestamp(f"{model.YEAR}-{model.PEAK_DAY}").strftime("%-d %B")  # "11 November"
# (part name, lowest share of the way from the baseline to the optimiser that reaches it)
BANDS = (("beats_baseline", 0.0), ("quarter_way", 0.25), ("half_way", 0.5),
         ("three_quarters", 0.75), ("matches_optimiser", 0.98))
BAND_WORDS = {"beats_baseline": "beats last year's plan",
              "quarter_way": "a quarter of the way from last year's plan to the optimiser's",
              "half_way": "half-way there", "three_quarters": "three quarters of the way",
              "matches_optimiser": "matches the course optimiser (98 % of the way, or beats it)"}
# a peak-day stock-out worth a warning: at least this many units of demand expected lost, on
# stock below the newsvendor quantity (at or above it, the lost sales are the ones worth losing)
PEAK_LOSS_UNITS = 1.0
# the last share of a campaign's budget whose return the budget warning measures
MARGINAL_STEP = 0.01
# the budget warning's margin: a search to the nearest yuan leaves the last ¥ returning a hair
# under ¥1 (shown as "¥1.00"); only a return visibly under ¥1 is a budget beyond its optimum
MARGINAL_TOLERANCE = 0.01


class PlanError(ValueError):
    """A plan that cannot be run: the message says which field and why."""


def _number(value, where: str, *, positive: bool = False) -> float:
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Number):
        raise PlanError(f"{where} must be a number, not {type(value).__name__} ({value!r}).")
    number = float(value)
    if math.isnan(number) or math.isinf(number):
        raise PlanError(f"{where} is {number}: give a finite number.")
    if number < 0 or (positive and number == 0):
        raise PlanError(f"{where} must be {'above' if positive else 'at least'} 0.")
    return number


def _mapping(value, where: str) -> Mapping:
    if isinstance(value, pd.Series):
        value = value.to_dict()
    if not isinstance(value, Mapping):
        raise PlanError(f"{where} must be a dict, not {type(value).__name__}.")
    return value


def _known(keys, allowed, where: str) -> None:
    unknown = [k for k in keys if k not in allowed]
    if unknown:
        raise PlanError(f"{where} has {unknown[0]!r}, which is not one of "
                        f"{', '.join(allowed)}.")


def normalise(plan) -> dict:
    """The plan in canonical form (plain floats, sorted keys), or PlanError naming the field."""
    plan = _mapping(plan, "The plan")
    missing = [f for f in FIELDS if f not in plan]
    if missing:
        raise PlanError(f"The plan has no {missing[0]!r} field (it needs {', '.join(FIELDS)}).")
    _known(plan, FIELDS, "The plan")
    stock = _mapping(plan["stock"], "plan['stock']")
    _known(stock, STOCK_SKUS, "plan['stock']")
    absent = [s for s in STOCK_SKUS if s not in stock]
    if absent:
        raise PlanError(f"plan['stock'] has no entry for {absent[0]!r} (give one per SKU of "
                        f"{', '.join(STOCK_SKUS)}).")
    budget = _mapping(plan["ad_budget"], "plan['ad_budget']")
    _known(budget, CAMPAIGNS, "plan['ad_budget']")
    promo = _mapping(plan["promotion"], "plan['promotion']")
    _known(promo, ("threshold", "reduction"), "plan['promotion']")
    for key in ("threshold", "reduction"):
        if key not in promo:
            raise PlanError(f"plan['promotion'] has no {key!r}.")
    threshold = _number(promo["threshold"], "plan['promotion']['threshold']", positive=True)
    reduction = _number(promo["reduction"], "plan['promotion']['reduction']")
    if reduction >= threshold:
        raise PlanError("plan['promotion']['reduction'] must be below its threshold.")
    price = _mapping(plan["price"], "plan['price']")
    _known(price, ("sku", "price"), "plan['price']")
    for key in ("sku", "price"):
        if key not in price:
            raise PlanError(f"plan['price'] has no {key!r}.")
    if not isinstance(price["sku"], str) or price["sku"].strip().upper() not in PRICEABLE:
        raise PlanError(f"plan['price']['sku'] must be one of {', '.join(PRICEABLE)} (the SKUs "
                        f"with a known price elasticity), not {price['sku']!r}.")
    sku = price["sku"].strip().upper()
    amount = _number(price["price"], "plan['price']['price']", positive=True)
    low, high = TESTED_PRICES[sku]
    if not low <= amount <= high:
        raise PlanError(f"plan['price']['price'] for {sku} must lie within the prices its test "
                        f"tried, ¥{low:g} to ¥{high:g}: outside them the elasticity is an "
                        "extrapolation (chapter 04), so the shop's model cannot say what sells.")
    return {
        "stock": {s: _number(stock[s], f"plan['stock'][{s!r}]") for s in STOCK_SKUS},
        "ad_budget": {c: _number(budget[c], f"plan['ad_budget'][{c!r}]")
                      for c in CAMPAIGNS if c in budget},
        "promotion": {"threshold": threshold, "reduction": reduction},
        "price": {"sku": sku, "price": amount},
    }


def _festival(plan: dict) -> model.FestivalPlan:
    return model.FestivalPlan(
        ad_spend=plan["ad_budget"], stock=plan["stock"],
        threshold=plan["promotion"]["threshold"], reduction=plan["promotion"]["reduction"],
        prices={plan["price"]["sku"]: plan["price"]["price"]})


@dataclass
class Result:
    """What running the shop on a plan gives (¥ and units are expectations)."""

    profit: float
    revenue: float  # GMV: goods value paid, after discounts
    contribution: float
    ad_spend: float
    orders: float
    discount_per_order: float
    units: pd.Series  # per stocked SKU
    peak_stockouts: pd.Series  # per stocked SKU: P(sold out by the end of the peak day)
    lost_units: pd.Series  # per stocked SKU: demand the stock could not serve
    elasticity: float  # the constant price elasticity used for the priced SKU
    outcome: model.Outcome  # everything else (by channel, by day, clicks per campaign)


def _run(plan: dict) -> model.Outcome:
    return model.run(_festival(plan))


def simulate(plan) -> Result:
    """Run the shop's Double 11 on `plan` (any form `normalise` accepts)."""
    out = _run(normalise(plan))
    st = out.stock.set_index("sku")
    return Result(
        profit=out.profit, revenue=out.gmv, contribution=out.contribution,
        ad_spend=out.ad_spend, orders=out.orders, discount_per_order=out.discount_per_order,
        units=out.units[list(STOCK_SKUS)], peak_stockouts=st["p_out_by_peak"],
        lost_units=st["lost"], elasticity=next(iter(out.elasticity.values())), outcome=out)


def marginal_return(plan, campaign: str) -> float:
    """¥ the last MARGINAL_STEP of `campaign`'s budget brings back per ¥ spent: the extra
    contribution, less the extra holding cost of the stock it leaves (or plus the holding it
    saves). Under 1, the last ¥ loses money: the budget is beyond the profit-maximising spend."""
    plan = normalise(plan)
    return _marginal(plan, campaign, _run(plan).profit)


def _marginal(plan: dict, campaign: str, profit: float) -> float:
    """`marginal_return` of a normalised plan whose profit is `profit`."""
    spend = plan["ad_budget"].get(campaign, 0.0)
    if spend <= 0:
        return math.nan
    step = spend * MARGINAL_STEP
    return 1.0 + (profit - _run(with_budget(plan, campaign, spend - step)).profit) / step


def warnings(plan) -> list[str]:
    """What the plan does against the standard rules, one sentence each (empty: none)."""
    plan = normalise(plan)
    out = _run(plan)
    found = []
    st = out.stock.set_index("sku")
    for sku in STOCK_SKUS:
        short = plan["stock"][sku] < round(newsvendor_stock(plan, sku))
        if short and st.at[sku, "lost_on_peak"] >= PEAK_LOSS_UNITS:
            found.append(f"Stock-out on the peak day ({PEAK_DAY}): {sku} is expected to turn "
                         f"away about {st.at[sku, 'lost_on_peak']:.0f} units of demand that day "
                         f"(sold out by then with probability {st.at[sku, 'p_out_by_peak']:.0%}), "
                         "on less stock than the newsvendor quantity (chapter 03).")
    for campaign in CAMPAIGNS:
        ret = _marginal(plan, campaign, out.profit)
        if not math.isnan(ret) and ret < 1.0 - MARGINAL_TOLERANCE:
            found.append(f"{campaign}'s budget is beyond its profit-maximising spend: its last ¥ "
                         f"brings back ¥{ret:.2f} (under ¥1).")
    if out.discount > 0 and out.discount > out.discounted_contribution:
        found.append("The 满减 loses money per order: the orders it applies to contribute "
                     f"¥{out.discounted_contribution / out.discount:.2f} per ¥1 of discount "
                     "before it (under ¥1).")
    return found


# --- the baseline, the optimiser and the score ---------------------------------------------------

def plan_dict(festival: model.FestivalPlan, price_sku: str = PRICEABLE[0]) -> dict:
    """A model plan as the learner's dict (the price field names one SKU)."""
    price = festival.prices.get(price_sku, model.sku_table().at[price_sku, "list_price"])
    return {"stock": {s: festival.stock[s] for s in STOCK_SKUS},
            "ad_budget": {c: festival.ad_spend.get(c, 0.0) for c in CAMPAIGNS},
            "promotion": {"threshold": festival.threshold, "reduction": festival.reduction},
            "price": {"sku": price_sku, "price": float(price)}}


def baseline_plan() -> dict:
    """Last year's plan, what the shop did at Double 11 2025: the generator's ad spend per
    campaign over the window, its 每满300减50, list prices and the stock it had on hand
    (start of 21 October plus deliveries in the window, from the inventory table)."""
    return normalise(_stored()["baseline"])


def best_plan() -> dict:
    """The course optimiser's plan (precomputed by `python -m shoplab.instructor.capstone`)."""
    return normalise(_stored()["best"])


Z_LIMIT = 8.0  # the newsvendor quantile is kept within ±8 standard deviations


def with_budget(plan: dict, campaign: str, yuan: float) -> dict:
    """`plan` with `campaign`'s budget set to `yuan` (the other fields as they are)."""
    return {**plan, "ad_budget": {**plan["ad_budget"], campaign: yuan}}


def newsvendor_stock(plan: dict, sku: str) -> float:
    """Chopra–Meindl's newsvendor stock for `sku`: the demand quantile at the critical ratio
    Cu / (Cu + Co), Cu = the contribution a lost unit takes with it (net of its substitute),
    Co = the holding cost of a unit left over."""
    mean, sd = model.demand(_festival(plan), sku)
    without = {**plan, "stock": {**plan["stock"], sku: 0.0}}
    unlimited = {**plan, "stock": {k: v for k, v in plan["stock"].items() if k != sku}}
    under = (_run(unlimited).contribution - _run(without).contribution) / mean
    over = model.holding_cost(sku)
    ratio = under / (under + over)
    z = NormalDist().inv_cdf(ratio) if ratio > 0 else -Z_LIMIT  # a lost unit costs nothing
    return max(0.0, mean + sd * min(max(z, -Z_LIMIT), Z_LIMIT))


THRESHOLDS = tuple(range(100, 601, 50))
REDUCTIONS = tuple(range(0, 101, 10))


def _golden(f, lo: float, hi: float, tol: float = 1.0) -> float:
    """The maximiser of a unimodal `f` on [lo, hi], to `tol`."""
    g = (math.sqrt(5) - 1) / 2
    a, b = lo, hi
    c, d = b - g * (b - a), a + g * (b - a)
    fc, fd = f(c), f(d)
    while b - a > tol:
        if fc > fd:
            b, d, fd = d, c, fc
            c = b - g * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + g * (b - a)
            fd = f(d)
    return (a + b) / 2


def profit_maximising_budget(plan, campaign: str, tolerance: float = 1.0) -> float:
    """Chapter 06's rule for one campaign, the rest of `plan` as it is: the spend where the
    last ¥1 brings back ¥1 of contribution, i.e. where profit stops rising (profit is concave
    in spend: clicks grow as spend**BETA), found by a golden-section search on 0 … 4 × its
    budget (at least ¥5,000) to `tolerance` ¥, rounded down to whole yuan; 0 if no spend
    beats spending nothing."""
    plan = normalise(plan)

    def profit(yuan):
        return _run(with_budget(plan, campaign, yuan)).profit

    high = max(4 * plan["ad_budget"].get(campaign, 0.0), 5000.0)
    best = float(math.floor(_golden(profit, 0.0, high, tolerance)))
    return best if profit(best) > profit(0.0) else 0.0


def optimise(start: dict, max_rounds: int = 6) -> dict:
    """The course optimiser: coordinate ascent from `start` on the model's profit.

    Each round sets, in turn: the 满减 on the grid THRESHOLDS × REDUCTIONS; the priced SKU and
    its price on PRICEABLE × whole yuan within its tested prices; every SKU's stock at
    the newsvendor quantity (whole units); every campaign's `profit_maximising_budget` (to
    the yuan). Rounds repeat until one changes nothing."""
    plan = normalise(start)

    def profit(p):
        return _run(p).profit

    for _ in range(max_rounds):
        before = plan
        grid = [(t, r) for t in THRESHOLDS for r in REDUCTIONS if r < t]
        t, r = max(grid, key=lambda tr: profit(
            {**plan, "promotion": {"threshold": float(tr[0]), "reduction": float(tr[1])}}))
        plan = {**plan, "promotion": {"threshold": float(t), "reduction": float(r)}}
        options = [(s, float(p)) for s, (low, high) in TESTED_PRICES.items()
                   for p in range(math.ceil(low), math.floor(high) + 1)]
        s, p = max(options, key=lambda sp: profit({**plan, "price": {"sku": sp[0],
                                                                     "price": sp[1]}}))
        plan = {**plan, "price": {"sku": s, "price": p}}
        for s in STOCK_SKUS:
            plan = {**plan, "stock": {**plan["stock"], s: float(round(newsvendor_stock(plan, s)))}}
        for c in CAMPAIGNS:
            plan = with_budget(plan, c, profit_maximising_budget(plan, c))
        plan = normalise(plan)
        if plan == before:
            break
    return plan


@dataclass(frozen=True)
class Score:
    """A plan's result against the two reference plans, and the bands it reaches."""

    profit: float
    baseline: float
    best: float
    share: float  # (profit − baseline) ÷ (best − baseline)
    bands: dict[str, bool]

    @property
    def fraction(self) -> float:
        """The share of full marks with equal bands (the exercise may weigh them)."""
        return sum(self.bands.values()) / len(self.bands)


@cache
def _targets() -> tuple[float, float]:
    return float(_run(baseline_plan()).profit), float(_run(best_plan()).profit)


def score(plan) -> Score:
    """The plan's bands by the score rule (module docstring). PlanError if malformed."""
    profit = float(_run(normalise(plan)).profit)
    baseline, best = _targets()
    return Score(profit, baseline, best, (profit - baseline) / (best - baseline),
                 bands(profit, baseline, best))


def rule() -> str:
    """The score rule in words (the instructions print it)."""
    lows = ", ".join(f"{BAND_WORDS[name]} ({'share > 0' if low == 0 else f'share ≥ {low:g}'})"
                     for name, low in BANDS[:-1])
    return ("The plan is run through the shop's own Double 11 model (`capstone.simulate`) and "
            "scored on its profit (contribution after ad spend, less the holding cost of "
            "leftover stock): share = (profit − last year's profit) ÷ (the course optimiser's "
            "profit − last year's profit). Each band earns its points: "
            f"{lows}, and {BAND_WORDS[BANDS[-1][0]]}. A plan no better than last year's earns "
            "nothing; a plan that cannot be run (a missing field, an unknown SKU or campaign, "
            "a negative or non-numeric value, a price outside the range its test tried) earns "
            "nothing and the check says which field.")


def bands(profit: float, baseline: float, best: float) -> dict[str, bool]:
    """Which BANDS a profit reaches: share > 0 for the first, share ≥ its low for the others."""
    share = (profit - baseline) / (best - baseline)
    reached = {name: bool(share > low if low == 0.0 else share >= low) for name, low in BANDS}
    return reached
