"""The sales funnel (销售漏斗) and the A/B test of a checkout change.

The course measures conversion **per session** (one visit): every funnel flag in the
`sessions` table belongs to one visit, so each stage is a count of sessions and each rate has
sessions below and above the line. A session *converts* when its order was **paid** (status
completed or refunded, as in `shoplab.metrics`), not merely placed. The repurchase rate of the
AARRR table (复购率) is `metrics.repurchase_rate`: chapter 09 uses it too.

The A/B test of the checkout was randomised **per visitor** (a visitor keeps one arm on every
visit), so its unit of analysis is the visitor: an arm's size is its visitors and a
conversion is a visitor who paid in the test window. Counting sessions would treat a
visitor's repeat visits as independent draws and understate the standard error. The test
follows the textbook two-proportion z-test: the test statistic uses the **pooled** standard
error (under "no difference" both groups share one rate), while the 95 % confidence interval
for the difference uses the **unpooled** one (Wald interval); see e.g. OpenIntro Statistics,
4th ed., §6.2. It is a **fixed-horizon** test: its sample size is set in advance for a
minimum detectable effect at a given power (`sample_size_per_arm`), and it is read once, at
that size; looking every day and stopping when z first crosses 1.96 inflates the false-win
rate far above 5 % (Kohavi, Tang & Xu, *Trustworthy Online Controlled Experiments*, ch. 17).
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np
import pandas as pd

from shoplab import metrics

# Funnel stages in order; all but the first and last are flags in the sessions table.
STAGES = ("visited", "viewed_product", "added_to_cart", "started_checkout", "placed_order",
          "paid")
STAGE_LABELS = dict(zip(STAGES, ("Visit", "View product", "Add to cart", "Checkout",
                                  "Order placed", "Paid"), strict=True))
# A step is named after the two stages it joins.
STEPS = ("visit_to_view", "view_to_cart", "cart_to_checkout", "checkout_to_order",
         "order_to_paid")
SEGMENTS = ("device", "traffic_source", "visitor_type")
Z_95 = 1.959963984540054  # the normal quantile for a two-sided 95 % level


def paid_sessions(sessions: pd.DataFrame, orders: pd.DataFrame) -> pd.Series:
    """True for each session whose order was paid (completed or refunded).

    Only the sessions that placed an order (about one in forty) are looked up: matching all
    800,000 session order ids, mostly missing, against the paid ones costs 0.15 s (pandas
    turns the whole Arrow column into Python strings first), 0.015 s for the 20,000 placed."""
    order_id = sessions["order_id"]
    placed = order_id.notna().to_numpy()
    paid = np.zeros(len(order_id), dtype=bool)
    paid[placed] = metrics.among(order_id[placed], metrics.paid(orders)["order_id"]).to_numpy()
    return pd.Series(paid, index=sessions.index, name=order_id.name)


def with_paid(sessions: pd.DataFrame, orders: pd.DataFrame) -> pd.DataFrame:
    """The sessions table with a `paid` column: the funnel's last stage."""
    return sessions.assign(paid=paid_sessions(sessions, orders))


def stage_counts(sessions: pd.DataFrame) -> pd.Series:
    """Sessions reaching each stage (needs the `paid` column from `with_paid`)."""
    counts = {"visited": len(sessions)}
    counts |= {stage: int(sessions[stage].sum()) for stage in STAGES[1:]}
    return pd.Series(counts, name="sessions")


def step_conversion(counts: pd.Series) -> pd.Series:
    """Each stage as a share of the stage before it; the first stage is 1.0 by convention."""
    previous = counts.shift(1).fillna(counts.iloc[0])
    return metrics.rate(counts, previous).rename("step_conversion")


def overall_conversion(counts: pd.Series) -> pd.Series:
    """Each stage as a share of all visits: what the funnel keeps from the top."""
    return metrics.rate(counts, pd.Series(counts.iloc[0], index=counts.index)).rename(
        "overall_conversion")


def step_drop_off(counts: pd.Series) -> pd.Series:
    """Drop-off (流失率) of each step: the share of the previous stage that does not go on."""
    rates = step_conversion(counts).iloc[1:]
    return pd.Series(1 - rates.to_numpy(), index=list(STEPS), name="drop_off")


def leakiest_step(counts: pd.Series) -> str:
    """The step that loses the largest share of the sessions reaching it."""
    return str(step_drop_off(counts).idxmax())


def funnel_table(sessions: pd.DataFrame) -> pd.DataFrame:
    """Counts, step conversion, overall conversion and drop-off per stage, in one table."""
    counts = stage_counts(sessions)
    table = pd.concat([counts, step_conversion(counts), overall_conversion(counts)], axis=1)
    table["drop_off"] = 1 - table["step_conversion"]
    table.index.name = "stage"
    return table


def session_conversion_rate(sessions: pd.DataFrame) -> float:
    """The course's conversion rate: paid sessions ÷ sessions; 0.0 when there was no traffic."""
    return metrics.conversion_rate(int(sessions["paid"].sum()), len(sessions))


def visitor_conversion_rate(sessions: pd.DataFrame) -> float:
    """Buying visitors ÷ unique visitors: the per-visitor view of conversion."""
    buyers = sessions.loc[sessions["paid"], "visitor_id"].nunique()
    return metrics.conversion_rate(buyers, sessions["visitor_id"].nunique())


def daily_visitor_conversion_rate(sessions: pd.DataFrame) -> float:
    """Buying visitor-days ÷ visitor-days: a visitor counted once per day, as a daily UV
    report counts them (the 生意参谋 style of 支付转化率, summed over days)."""
    days = pd.DataFrame({"visitor_id": sessions["visitor_id"],
                         "day": sessions["start_time"].dt.normalize(), "paid": sessions["paid"]})
    visitor_days = days.drop_duplicates(["visitor_id", "day"])
    buying_days = days[days["paid"]].drop_duplicates(["visitor_id", "day"])
    return metrics.conversion_rate(len(buying_days), len(visitor_days))


def conversion_by(sessions: pd.DataFrame, segment: str) -> pd.Series:
    """Per-session conversion rate of each segment (device, traffic source, ...)."""
    grouped = sessions.groupby(segment)["paid"]
    return metrics.conversion_rate(grouped.sum(), grouped.size()).rename("conversion_rate")


def stage_counts_by(sessions: pd.DataFrame, segment: str) -> pd.DataFrame:
    """`stage_counts` of each value of `segment` (rows) at every stage (columns).

    Summed per group in one pass over the stage flags: splitting the table into one frame
    per value copies every row once more (0.1 s for the shop's sessions)."""
    grouped = sessions[[segment, *STAGES[1:]]].groupby(segment)
    counts = grouped.sum()
    counts.insert(0, STAGES[0], grouped.size())
    return counts


def step_conversion_by(sessions: pd.DataFrame, segment: str) -> pd.DataFrame:
    """Step conversion of every stage (rows) for each value of `segment` (columns)."""
    return _step_conversion_of(stage_counts_by(sessions, segment))


def _step_conversion_of(counts: pd.DataFrame) -> pd.DataFrame:
    """`step_conversion` of each row of `stage_counts_by`, one column per row."""
    return pd.DataFrame({value: step_conversion(row) for value, row in counts.iterrows()})


def gmv_from_funnel(visits: float, conversion: float, aov: float) -> float:
    """GMV = visits × conversion rate × AOV, ¥ (the merchant's GMV formula)."""
    return visits * conversion * aov


def conversion_point_value(sessions: pd.DataFrame, orders: pd.DataFrame,
                           segment: str = "device") -> pd.DataFrame:
    """Per value of `segment`: sessions, conversion rate, AOV and `gmv_per_point`, the GMV one
    more point of conversion (0.01) would add, sessions × 0.01 × AOV.

    Where to improve first is where a point is worth most: the segment with the most traffic
    at its order value, not the one that converts best (the rate says how well it sells, not
    how much rides on it).
    """
    visits = with_paid(sessions, orders)
    paid = metrics.paid(orders)
    aov = paid.groupby(segment)["order_amount"].mean()
    table = pd.DataFrame({"sessions": visits.groupby(segment).size(),
                          "conversion_rate": conversion_by(visits, segment),
                          "aov": aov})
    table["gmv_per_point"] = gmv_from_funnel(table["sessions"], 0.01, table["aov"])
    return table


def return_visit_rate(sessions: pd.DataFrame, orders: pd.DataFrame) -> float:
    """留存 (retention), one simple reading: the share of paying customers who visit again
    after their first paid order."""
    first = metrics.paid(orders).groupby("customer_id")["order_time"].min()
    visits = sessions.loc[metrics.among(sessions["customer_id"], first.index),
                          ["customer_id", "start_time"]]
    later = visits["start_time"] > visits["customer_id"].map(first)
    return metrics.rate(visits.loc[later, "customer_id"].nunique(), len(first))


def what_if_fewer_drop_offs(counts: pd.Series, step: str, cut: float, aov: float) -> dict:
    """Extra paid orders and GMV if `step`'s drop-off fell by the fraction `cut`.

    The later steps keep their conversion rates, so every stage after the improved step
    grows in proportion: paid orders × (new step conversion ÷ old step conversion).
    """
    old = float(step_conversion(counts).iloc[STEPS.index(step) + 1])
    new = 1 - (1 - old) * (1 - cut)
    extra_orders = float(counts["paid"]) * (metrics.rate(new, old) - 1)
    return {"step": step, "old_conversion": old, "new_conversion": new,
            "extra_orders": extra_orders, "extra_gmv": extra_orders * aov}


def orders_at_stake(sessions: pd.DataFrame, segment: str = "device") -> pd.Series:
    """Extra paid orders per step if every `segment` value converted at that step as well as
    the best one does (later steps keep their rates): the gap a fix can close, not the whole
    drop-off, since no shop keeps every viewer.

    For each value: paid sessions × (best step conversion ÷ its own − 1), summed. Times AOV
    and the contribution margin it is the money at stake; the ranking is the same.
    """
    counts = stage_counts_by(sessions, segment)
    rates = _step_conversion_of(counts).iloc[1:].set_axis(list(STEPS))
    paid = counts["paid"]
    gap = rates.max(axis=1).to_numpy()[:, None] / rates - 1
    return (gap * paid).sum(axis=1).rename("orders_at_stake")


def ab_counts(sessions: pd.DataFrame) -> pd.DataFrame:
    """Visitors and converting visitors per checkout variant (A = control, B = the change).

    A visitor converts when any of their sessions in the test was paid: the unit the test
    randomised, so the arms' visitors are independent draws.
    """
    in_test = sessions["checkout_variant"].isin(["A", "B"])
    test = sessions.loc[in_test, ["checkout_variant", "visitor_id", "paid"]]
    visitors = test.groupby(["checkout_variant", "visitor_id"])["paid"].any()
    table = visitors.groupby("checkout_variant").agg(visitors="size", conversions="sum")
    table["conversion_rate"] = metrics.conversion_rate(table["conversions"], table["visitors"])
    return table


def two_proportion_z(conversions_a, visitors_a, conversions_b, visitors_b) -> float:
    """z for "B converts differently from A", with the pooled standard error.

    Positive z means B's rate is higher. 0.0 when the pooled rate is 0 or 1 (no variation).
    """
    p_a, p_b = conversions_a / visitors_a, conversions_b / visitors_b
    pooled = (conversions_a + conversions_b) / (visitors_a + visitors_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / visitors_a + 1 / visitors_b))
    return float((p_b - p_a) / se) if se else 0.0


def two_sided_p_value(z: float) -> float:
    """P(|Z| ≥ |z|) for a standard normal Z: how often a difference at least this large would
    turn up by chance if the two checkouts converted alike. Not the probability that B is no
    better, nor one minus the probability that it is."""
    return math.erfc(abs(z) / math.sqrt(2))


def difference_ci(conversions_a, visitors_a, conversions_b, visitors_b,
                  z: float = Z_95) -> tuple[float, float]:
    """95 % confidence interval for p_B − p_A, with the unpooled (Wald) standard error."""
    p_a, p_b = conversions_a / visitors_a, conversions_b / visitors_b
    se = math.sqrt(p_a * (1 - p_a) / visitors_a + p_b * (1 - p_b) / visitors_b)
    diff = p_b - p_a
    return float(diff - z * se), float(diff + z * se)


def sample_size_per_arm(base_rate: float, minimum_effect: float, power: float = 0.8,
                        z_alpha: float = Z_95) -> int:
    """Visitors each arm needs to detect a rise of `minimum_effect` (a difference of rates,
    0.005 = half a point) over `base_rate` with probability `power`, in a two-sided test at
    the level `z_alpha` stands for (1.96: 5 %).

    n = (z_α·√(2·p̄(1 − p̄)) + z_power·√(p₁(1 − p₁) + p₂(1 − p₂)))² ÷ effect², p̄ the mean of
    the two rates (Fleiss, *Statistical Methods for Rates and Proportions*, §4.2), rounded up.
    """
    p_1, p_2 = base_rate, base_rate + minimum_effect
    mean = (p_1 + p_2) / 2
    z_power = NormalDist().inv_cdf(power)
    root = (z_alpha * math.sqrt(2 * mean * (1 - mean))
            + z_power * math.sqrt(p_1 * (1 - p_1) + p_2 * (1 - p_2)))
    return math.ceil(root ** 2 / minimum_effect ** 2)


def ab_visitors_per_day(sessions: pd.DataFrame) -> float:
    """The checkout test's pace: its visitors (both arms, `ab_counts`) ÷ its days, from the
    first test session's day to the last one's, both included."""
    in_test = sessions["checkout_variant"].isin(["A", "B"])
    days = sessions.loc[in_test, "start_time"].dt.normalize()
    return float(ab_counts(sessions)["visitors"].sum()) / ((days.max() - days.min()).days + 1)


def test_days(visitors_per_arm: int, visitors_per_day: float, arms: int = 2) -> int:
    """Whole days a fixed-horizon test must run before it is read: ⌈arms × n ÷ visitors a
    day⌉. The traffic is split between the arms, so each arm fills at 1/arms of the pace."""
    return math.ceil(arms * visitors_per_arm / visitors_per_day)


def ab_decision(low: float) -> str:
    """The decision at the planned end of a fixed-horizon test, on the lower end `low` of the
    95 % interval for p_B − p_A: "ship" when the whole interval is above zero (B is better
    beyond chance), otherwise "don't ship" — keep the control. Running on past the planned
    size "until the interval clears zero" is peeking; a test that found nothing at its
    planned size has answered the question it was sized for.
    """
    return "ship" if low > 0 else "don't ship"
