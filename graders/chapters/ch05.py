"""Chapter 05 — Promotions, coupons & festivals: what 满减 gives away, where baskets bunch,
which 满减 rule to run, coupon redemption by audience, the stacking trap, lift against a
baseline and which festival to cut back.

The mistakes are the usual ones of promotion reports: an average of per-order ratios for the
discount, coupons counted as 满减, the whole year for the festival, GMV in place of
contribution, and lift measured against the quiet days before a festival.
"""

from __future__ import annotations

import pandas as pd

from graders.answers import Label, Number, Series
from graders.spec import Exercise, Mistake
from shoplab import metrics, promotions

D11, F618 = "Double 11 2025", "618 mid-year festival 2025"
RULES = {f"满{t}减{(t + 1) // 10}": (t, (t + 1) // 10) for t in (199, 299, 399, 499)}  # 10 % off
TOP_UP_GAP, TOP_UP_RATE = 0.2, 0.5  # the bunching measured in the lesson
AUDIENCES = {"New-member coupon": "new", "Loyal-customer coupon": "loyal",
             "Win-back coupon": "dormant"}
BASELINE_WEEKS = 4  # the non-promotion weeks either side of the dips that stand for the season
DIP_DAYS = 10  # the pull-forward windows before and after a festival


def _promo(data, name: str) -> pd.Series:
    return data.promotions.set_index("name").loc[name]


def _festival_orders(data, name: str) -> pd.DataFrame:
    """Paid orders that got the festival's 满减."""
    paid = metrics.paid(data.orders)
    return paid[paid["promo_id"] == _promo(data, name)["promo_id"]]


def _money_off(data, name: str) -> pd.Series:
    p, orders = _promo(data, name), _festival_orders(data, name)
    return pd.Series(promotions.threshold_reduction(
        orders["gross_amount"], p["threshold"], p["discount_value"], per_every=True),
        index=orders.index)


def _d11_discount(data) -> float:
    return float(_money_off(data, D11).sum() / _festival_orders(data, D11)["gross_amount"].sum())


def _d11_discount_mean_of_ratios(data) -> float:
    return float((_money_off(data, D11) / _festival_orders(data, D11)["gross_amount"]).mean())


def _d11_discount_with_coupons(data) -> float:
    orders = _festival_orders(data, D11)
    return float(orders["discount_amount"].sum() / orders["gross_amount"].sum())


def _bunching(data, orders: pd.DataFrame) -> float:
    return promotions.bunching_ratio(orders["gross_amount"], _promo(data, D11)["threshold"])


def _in_d11(data) -> pd.DataFrame:
    p, paid = _promo(data, D11), metrics.paid(data.orders)
    day = paid["order_time"].dt.normalize()
    return paid[(day >= p["start_date"]) & (day <= p["end_date"])]


def _promotion_days(data) -> pd.DatetimeIndex:
    rows = data.promotions[data.promotions["promo_type"] != "coupon"]
    return pd.DatetimeIndex(sorted(set().union(*(
        pd.date_range(r.start_date, r.end_date) for r in rows.itertuples()))))


def _contribution_margin(data) -> float:
    return float(metrics.unit_economics(data.orders, data.order_items, data.products, data.fees,
                                        data.shipments)["contribution_margin"])


def _baskets(data) -> pd.Series:
    """Gross baskets of 2025's paid orders placed on days without any promotion."""
    paid = metrics.paid(data.orders)
    day = paid["order_time"].dt.normalize()
    keep = (day.dt.year == 2025) & ~day.isin(_promotion_days(data))
    return paid.loc[keep, "gross_amount"]


def _rule_by(data, key: str) -> str:
    baskets, margin = _baskets(data), _contribution_margin(data)
    outcome = {rule: promotions.rule_outcome(baskets, t, r, margin, TOP_UP_GAP, TOP_UP_RATE)[key]
               for rule, (t, r) in RULES.items()}
    return max(outcome, key=outcome.get)


def _redemption(data, issued=None) -> pd.Series:
    audience = data.promotions.set_index("promo_id")["name"].map(AUDIENCES).dropna()
    rates = promotions.redemption_rates(data.coupons, audience)
    return rates if issued is None else rates * issued(data, audience)


def _product_cost(data) -> pd.Series:
    items = data.order_items
    cost = items["quantity"] * items["sku"].map(data.products.set_index("sku")["unit_cost"])
    return cost.groupby(items["order_id"]).sum()


def _stacked_below_cost(data, with_shipping: bool = True) -> int:
    stacked = _festival_orders(data, D11)
    stacked = stacked[stacked["coupon_id"].notna()]
    shipping = data.shipments.set_index("order_id")["shipping_cost"] - metrics.paid(
        data.orders).set_index("order_id")["shipping_fee"]
    left = promotions.order_contribution(stacked, _product_cost(data), data.fees,
                                         shipping if with_shipping else pd.Series(dtype=float))
    return int((left < 0).sum())


def _windows(data, name: str) -> tuple[pd.DatetimeIndex, pd.DatetimeIndex, pd.DatetimeIndex]:
    """(festival days, festival + the dips before and after, the seasonal baseline's days)."""
    p, day = _promo(data, name), pd.Timedelta(days=1)
    # Double 11's 12 November is still a sales day; the dip after it starts on the 13th
    last = p["end_date"] + (day if p["end_date"].month == 11 else 0 * day)
    festival = pd.date_range(p["start_date"], last)
    window = pd.date_range(p["start_date"] - DIP_DAYS * day, last + DIP_DAYS * day)
    weeks = BASELINE_WEEKS * 7 * day
    around = pd.date_range(window[0] - weeks, window[0] - day).append(
        pd.date_range(window[-1] + day, window[-1] + weeks))
    return festival, window, around[~around.isin(_promotion_days(data))]


def _daily_gmv(data) -> pd.Series:
    paid = metrics.paid(data.orders)
    return paid.groupby(paid["order_time"].dt.normalize())["order_amount"].sum()


def _lift(data, name: str, how: str = "baseline") -> float:
    festival, window, baseline = _windows(data, name)
    daily = _daily_gmv(data)
    if how == "festival_only":
        return promotions.baseline_lift(daily, festival, baseline)
    if how == "days_before":
        return promotions.baseline_lift(daily, festival, window[:DIP_DAYS])
    return promotions.baseline_lift(daily, window, baseline)


def _earned(data, name: str, how: str = "baseline", margin=None) -> float:
    margin = _contribution_margin(data) if margin is None else margin
    return promotions.incremental_contribution(_lift(data, name, how), margin,
                                               float(_money_off(data, name).sum()))


def _cut_back(data, how: str = "baseline", margin=None) -> str:
    per_yuan = {label: _earned(data, name, how, margin) / _money_off(data, name).sum()
                for label, name in (("618", F618), ("Double 11", D11))}
    return min(per_yuan, key=per_yuan.get)


EXERCISES = (
    Exercise(
        id="05.1",
        kind="computation",
        name="effective_discount",
        title="Effective discount of Double 11 2025's 满减",
        answer=Number("fraction"),
        reference=_d11_discount,
        mistakes=(
            Mistake("mean_of_ratios", _d11_discount_mean_of_ratios,
                    "That averages each order's rate, so a ¥300 basket counts as much as a "
                    "¥3,000 one. Divide the total money off by the total gross amount."),
            Mistake("coupons_counted", _d11_discount_with_coupons,
                    "discount_amount also holds the coupons. Count only the 满减: every full ¥300 "
                    "of gross takes off the festival's discount_value."),
        ),
        hints=(
            "Effective discount (实际折扣率) = money off ÷ gross amount, over the orders that got "
            "the reduction.",
            "Keep paid orders whose promo_id is Double 11 2025's; money off = floor(gross ÷ 300) "
            "× 50 (promotions.threshold_reduction with per_every=True).",
            "money_off.sum() / orders.gross_amount.sum()",
        ),
        points=2,
    ),
    Exercise(
        id="05.2",
        kind="computation",
        name="bunching",
        title="Baskets just over ¥300 per basket just under it at Double 11 2025",
        answer=Number("ratio"),
        reference=lambda data: _bunching(data, _in_d11(data)),
        mistakes=(
            Mistake("whole_year",
                    lambda data: _bunching(data, metrics.paid(data.orders)[
                        metrics.paid(data.orders)["order_time"].dt.year == 2025]),
                    "That is over all of 2025. Keep the paid orders placed during Double 11 2025 "
                    "(its start_date to end_date)."),
            Mistake("upside_down",
                    lambda data: 1 / _bunching(data, _in_d11(data)),
                    "Upside down: divide the baskets just over ¥300 by those just under it."),
        ),
        hints=(
            "Just under: gross in [270, 300); just over: gross in [300, 330).",
            "promotions.bunching_ratio(orders.gross_amount, 300) on the festival's paid orders.",
        ),
        points=1,
    ),
    Exercise(
        id="05.3",
        kind="decision",
        name="summer_rule",
        title="Which 满减 rule to run next summer",
        answer=Label(tuple(RULES)),
        reference=lambda data: _rule_by(data, "contribution_per_basket"),
        mistakes=(
            Mistake("most_moved",
                    lambda data: _rule_by(data, "moved_up"),
                    "That rule moves the most baskets up and lifts the basket most, but its money "
                    "off costs more than the extra goods earn. Judge each rule on the "
                    "contribution it leaves per basket."),
        ),
        hints=(
            "Each rule takes 10 % of its threshold off. Run every rule through "
            "promotions.rule_outcome over 2025's baskets on days without a promotion.",
            "Use the shop's contribution margin (metrics.unit_economics) and the bunching of "
            "the lesson: baskets within 20 % under the threshold move up half the time.",
            "Pick the rule with the largest contribution_per_basket.",
        ),
        points=3,
    ),
    Exercise(
        id="05.4",
        kind="computation",
        name="redemption",
        title="Coupon redemption rate by audience",
        answer=Series("fraction"),
        reference=lambda data: _redemption(data),
        mistakes=(
            Mistake("share_of_all_coupons",
                    lambda data: _redemption(data, lambda d, a: d.coupons["promo_id"].map(a)
                                             .value_counts() / len(d.coupons)),
                    "You divided by every coupon issued. Each audience's rate is its redeemed "
                    "coupons ÷ its own issued coupons."),
        ),
        hints=(
            "Redemption rate (核销率) = coupons redeemed ÷ coupons issued.",
            "new = New-member coupon, loyal = Loyal-customer coupon, dormant = Win-back coupon; "
            "a coupon is redeemed when redeemed_order_id is filled.",
        ),
        points=2,
    ),
    Exercise(
        id="05.5",
        kind="diagnosis",
        name="below_cost",
        title="Stacked orders sold below cost at Double 11 2025",
        answer=Number("count"),
        reference=_stacked_below_cost,
        mistakes=(
            Mistake("shipping_forgotten",
                    lambda data: _stacked_below_cost(data, with_shipping=False),
                    "The shop pays the carrier too: take off each order's shipping_cost less the "
                    "shipping fee the buyer paid."),
            Mistake("every_stacked_order",
                    lambda data: int(_festival_orders(data, D11)["coupon_id"].notna().sum()),
                    "That counts every order with 满减 and a coupon. Keep only those whose "
                    "contribution is below zero."),
        ),
        hints=(
            "A stacked order got Double 11 2025's 满减 and a coupon (coupon_id filled).",
            "Its contribution = order_amount × (1 − commission − payment fee) − product cost − "
            "(shipping_cost − shipping_fee): promotions.order_contribution.",
        ),
        points=2,
    ),
    Exercise(
        id="05.6",
        kind="computation",
        name="earned_618",
        title="What 2025's 618 earned on incremental contribution",
        answer=Number("yuan"),
        reference=lambda data: _earned(data, F618),
        mistakes=(
            Mistake("days_before_baseline",
                    lambda data: _earned(data, F618, "days_before"),
                    "The ten days before 618 are the pull-forward dip (people wait), so they make "
                    "the festival look bigger. Use the non-promotion weeks around it as the "
                    "baseline."),
            Mistake("dips_left_out",
                    lambda data: _earned(data, F618, "festival_only"),
                    "Buyers who waited or bought early moved sales out of the days before and "
                    "after 618: count those dips too, over the whole window."),
            Mistake("gmv_not_contribution",
                    lambda data: _earned(data, F618, margin=1.0),
                    "That treats every ¥ of extra GMV as profit. Multiply the incremental GMV by "
                    "the contribution margin before taking off the money given away."),
        ),
        hints=(
            "Window: 22 May – 28 June 2025 (618 and ten days either side). Baseline: the mean "
            "day of the four weeks before and after the window, leaving out promotion days.",
            "Incremental GMV = window GMV − baseline day × window days; earned = incremental "
            "GMV × contribution margin − the 满减's money off "
            "(promotions.incremental_contribution).",
        ),
        points=2,
    ),
    Exercise(
        id="05.7",
        kind="decision",
        name="cut_back",
        title="Which festival's 满减 to cut back next year",
        answer=Label(("618", "Double 11")),
        reference=_cut_back,
        mistakes=(
            Mistake("days_before_baseline",
                    lambda data: _cut_back(data, "days_before"),
                    "Measured against the dip before each festival, both look better than they "
                    "were. Use the seasonal baseline from non-promotion weeks."),
        ),
        hints=(
            "For each 2025 festival: incremental contribution ÷ money off (what each ¥ given "
            "away earned back).",
            "Cut back the festival whose ¥ earned back least.",
        ),
        points=3,
    ),
)
