"""Chapter 08 — Funnels & conversion: stage counts, step vs overall conversion, the leakiest
step, conversion by device, how long the next test must run, GMV = visits × conversion × AOV,
the A/B test of a checkout change (per visitor, the unit it randomised, read once at its
planned size) and what fixing the leak is worth in contribution.

Conversion is per session: paid sessions ÷ sessions (see `shoplab.funnel`)."""

from __future__ import annotations

import math
from statistics import NormalDist

import pandas as pd

from graders.answers import Function, Label, Number, Table
from graders.answers import Series as SeriesAnswer
from graders.spec import Case, Exercise, Mistake
from shoplab import funnel, metrics

DECISIONS = ("ship", "don't ship")
STAKE_SEGMENT = "device"  # 08.10: each device brought up to the better device's step rate
WHAT_IF_CUT = 0.20  # 08.9: cart → checkout drop-off falls by 20 %
NEXT_TEST_MDE = 0.003  # 08.5: the next test should detect 0.3 percentage points
NEXT_TEST_POWER = 0.8
ONE_SIDED_Z = NormalDist().inv_cdf(0.95)  # a misconception for 08.5: 1.645


def _sessions(data) -> pd.DataFrame:
    return funnel.with_paid(data.sessions, data.orders)


def _counts(data) -> pd.Series:
    return funnel.stage_counts(_sessions(data))


def _placed_counts(data) -> pd.Series:
    """The misconception: the last stage counts placed orders, cancelled ones included."""
    sessions = _sessions(data)
    return funnel.stage_counts(sessions.assign(paid=sessions["placed_order"]))


def _by_device(data, rate) -> pd.Series:
    return pd.Series({device: rate(group) for device, group in _sessions(data).groupby("device")})


def _paid_per_visitor(sessions: pd.DataFrame) -> float:
    """The misconception: paid sessions ÷ unique visitors (mixes two units)."""
    return metrics.rate(int(sessions["paid"].sum()), sessions["visitor_id"].nunique())


def _placed_per_session(sessions: pd.DataFrame) -> float:
    return metrics.rate(int(sessions["placed_order"].sum()), len(sessions))


def _paid_per_order(sessions: pd.DataFrame) -> float:
    """The misconception: dividing by orders placed (that is the order → paid step)."""
    return metrics.rate(int(sessions["paid"].sum()), int(sessions["placed_order"].sum()))


def _orders_by_device(data) -> dict[str, pd.DataFrame]:
    """Each device's orders: those placed in its sessions, through one order_id → device map
    (an `isin` against a device's session order ids costs seconds: pandas checks an Arrow
    string column against each value one by one)."""
    placed = data.sessions.loc[data.sessions["order_id"].notna(), ["order_id", "device"]]
    orders = data.orders[["order_id", "status", "order_amount"]]  # all that AOV and GMV read
    device = orders["order_id"].map(placed.set_index("order_id")["device"])
    return dict(tuple(orders.groupby(device)))


def _decomposition(data) -> pd.DataFrame:
    """Visits, conversion and AOV per device, from per-device sums (splitting the sessions into
    one frame per device copies every row)."""
    orders = _orders_by_device(data)
    paid = _sessions(data).groupby("device")["paid"]
    visits, conversions = paid.size(), paid.sum()
    rows = {}
    for device in visits.index:
        rows[device] = {
            "visits": int(visits[device]),
            "conversion_rate": metrics.conversion_rate(int(conversions[device]),
                                                       int(visits[device])),
            "aov": metrics.average_order_value(orders[device]),
        }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("device")


def _unpooled_z(conversions_a, visitors_a, conversions_b, visitors_b) -> float:
    """The misconception for the test: the unpooled standard error (that one is for the CI)."""
    p_a, p_b = conversions_a / visitors_a, conversions_b / visitors_b
    se = math.sqrt(p_a * (1 - p_a) / visitors_a + p_b * (1 - p_b) / visitors_b)
    return (p_b - p_a) / se


def _test_sessions(data) -> pd.DataFrame:
    """The checkout test's sessions with their paid flag, in the columns `ab_counts` and the
    paces read: the same counts as from all sessions, without flagging 816,000 of them."""
    sessions = data.sessions
    test = sessions.loc[sessions["checkout_variant"].isin(["A", "B"]),
                        ["checkout_variant", "visitor_id", "start_time", "order_id"]]
    return funnel.with_paid(test, data.orders)


def _ab_case(data) -> dict:
    table = funnel.ab_counts(_test_sessions(data))
    return {"conversions_a": int(table.at["A", "conversions"]),
            "visitors_a": int(table.at["A", "visitors"]),
            "conversions_b": int(table.at["B", "conversions"]),
            "visitors_b": int(table.at["B", "visitors"])}


def _decision(data) -> str:
    low, _ = funnel.difference_ci(**_ab_case(data))
    return funnel.ab_decision(low)


def _aov(data) -> float:
    """The shop's AOV, from the two order columns it reads (masking all 18 costs more)."""
    return metrics.average_order_value(data.orders[["status", "order_amount"]])


def _what_if(data, new_conversion=None) -> dict:
    counts = _counts(data)
    aov = _aov(data)
    result = funnel.what_if_fewer_drop_offs(counts, "cart_to_checkout", WHAT_IF_CUT, aov)
    if new_conversion is not None:  # a misconception: another "20 % better"
        ratio = new_conversion(result["old_conversion"]) / result["old_conversion"]
        result["extra_orders"] = float(counts["paid"]) * (ratio - 1)
        result["extra_gmv"] = result["extra_orders"] * aov
    return result


def _sessions_per_day(sessions: pd.DataFrame) -> float:
    """The misconception: the checkout test's pace in sessions, not visitors."""
    days = sessions.loc[sessions["checkout_variant"].isin(["A", "B"]), "start_time"].dt.normalize()
    return len(days) / ((days.max() - days.min()).days + 1)


def _next_test_days(data, arms=2, pace=funnel.ab_visitors_per_day, power=NEXT_TEST_POWER,
                    z_alpha=funnel.Z_95) -> int:
    """08.5: the days a test of NEXT_TEST_MDE on the checkout test's control rate and pace
    needs."""
    test = _test_sessions(data)
    base = float(funnel.ab_counts(test).at["A", "conversion_rate"])
    size = funnel.sample_size_per_arm(base, NEXT_TEST_MDE, power, z_alpha)
    return funnel.test_days(size, pace(test), arms)


def _contribution_margin(data) -> float:
    """The share of GMV left after the costs that grow with a sale (chapter 06's)."""
    orders = data.orders[["order_id", "status", "order_amount", "channel", "shipping_fee"]]
    return float(metrics.unit_economics(orders, data.order_items, data.products, data.fees,
                                        data.shipments)["contribution_margin"])


PLACED_NOT_PAID = "Placed is not paid: a cancelled order was never paid for. Count the "
PLACED_NOT_PAID += "sessions whose order was paid (the `paid` column)."
PER_VISITOR = ("That divides by unique visitors. The course counts conversion per session "
               "(visit): paid sessions ÷ sessions.")

EXERCISES = (
    Exercise(
        id="08.1",
        kind="computation",
        name="funnel_table",
        title="The funnel: sessions and step conversion at each stage",
        answer=Table("stage", {"sessions": Number("count"), "step_conversion": Number("fraction")}),
        reference=lambda data: funnel.funnel_table(_sessions(data)),
        points={"sessions": 1, "step_conversion": 2},
        mistakes=(
            Mistake("placed_for_paid", _placed_counts, PLACED_NOT_PAID, part="sessions"),
            Mistake("placed_for_paid_rate",
                    lambda data: funnel.step_conversion(_placed_counts(data)),
                    PLACED_NOT_PAID, part="step_conversion"),
            Mistake("overall_for_step",
                    lambda data: funnel.overall_conversion(_counts(data)),
                    "That is each stage's share of all visits (overall conversion). Step "
                    "conversion divides by the stage just before.", part="step_conversion"),
            Mistake("drop_off_for_conversion",
                    lambda data: 1 - funnel.step_conversion(_counts(data)),
                    "That is the drop-off (1 − conversion): the share that does NOT go on.",
                    part="step_conversion"),
        ),
        hints=(
            "Sessions at a stage: `len(sessions)` for visited, then the sum of each True/False "
            "column (viewed_product, added_to_cart, started_checkout, placed_order, paid).",
            "Step conversion: each count ÷ the count of the stage before; `counts.shift(1)` "
            "lines up the previous stage. The visited row's step conversion is 1.0.",
        ),
    ),
    Exercise(
        id="08.2",
        kind="computation",
        name="conversion",
        title="Overall conversion rate",
        answer=Number("fraction"),
        reference=lambda data: funnel.session_conversion_rate(_sessions(data)),
        points=2,
        mistakes=(
            Mistake("divided_by_orders", lambda data: _paid_per_order(_sessions(data)),
                    "That divides by orders placed: it is the last step (order → paid), not "
                    "the overall rate. Divide by all sessions."),
            Mistake("divided_by_visitors", lambda data: _paid_per_visitor(_sessions(data)),
                    PER_VISITOR),
            Mistake("per_visitor", lambda data: funnel.visitor_conversion_rate(_sessions(data)),
                    "That is the per-visitor rate (buying visitors ÷ unique visitors). The "
                    "course's conversion rate is per session: paid sessions ÷ sessions."),
            Mistake("placed_for_paid", lambda data: _placed_per_session(_sessions(data)),
                    PLACED_NOT_PAID),
        ),
        hints=("Overall conversion compares the bottom of the funnel with its top.",
               "paid sessions ÷ all sessions: `sessions['paid'].mean()` does both at once."),
    ),
    Exercise(
        id="08.3",
        kind="diagnosis",
        name="leakiest",
        title="The leakiest step",
        answer=Label(funnel.STEPS),
        reference=lambda data: funnel.leakiest_step(_counts(data)),
        points=2,
        mistakes=(
            Mistake("largest_count_lost",
                    lambda data: str(_counts(data).diff().iloc[1:].set_axis(funnel.STEPS)
                                     .idxmin()),
                    "That step loses the most sessions by count, but the top of a funnel always "
                    "has the most to lose. Compare drop-off rates: the share of each stage lost."),
            Mistake("least_leaky",
                    lambda data: str(funnel.step_drop_off(_counts(data)).idxmin()),
                    "That step keeps the largest share. The leakiest has the highest drop-off."),
        ),
        hints=("Drop-off (流失率) of a step = 1 − its step conversion.",
               "Take your step conversions from 08.1 (without the visited row), compute "
               "1 − conversion and find the largest."),
    ),
    Exercise(
        id="08.4",
        kind="computation",
        name="conversion_by_device",
        title="Conversion rate by device",
        answer=SeriesAnswer("fraction"),
        reference=lambda data: funnel.conversion_by(_sessions(data), "device"),
        points=2,
        mistakes=(
            Mistake("share_of_paid",
                    lambda data: _by_device(data, lambda g: g["paid"].sum())
                    / int(_sessions(data)["paid"].sum()),
                    "That is each device's share of all paid sessions. The conversion rate "
                    "divides a device's paid sessions by that device's own sessions."),
            Mistake("divided_by_visitors", lambda data: _by_device(data, _paid_per_visitor),
                    PER_VISITOR),
            Mistake("placed_for_paid", lambda data: _by_device(data, _placed_per_session),
                    PLACED_NOT_PAID),
        ),
        hints=("Group the sessions by device.",
               "`sessions.groupby('device')['paid'].mean()`: the mean of True/False is the "
               "share that is True."),
    ),
    Exercise(
        id="08.5",
        kind="decision",
        name="next_test_days",
        title="How many days the next test must run",
        answer=Number("count"),
        reference=_next_test_days,
        points=3,
        mistakes=(
            Mistake("one_arm", lambda data: _next_test_days(data, arms=1),
                    "That fills one arm with all the traffic. The visitors are split between "
                    "the two arms, so each fills at half the pace: 2 × n visitors in all."),
            Mistake("sessions_pace", lambda data: _next_test_days(data, pace=_sessions_per_day),
                    "That counts the test's pace in sessions. The test randomises visitors, so "
                    "its size n is visitors: divide by visitors a day."),
            Mistake("no_power", lambda data: _next_test_days(data, power=0.5),
                    f"That size has only a 50 % chance of detecting the MDE (z_power = 0). Plan "
                    f"for {NEXT_TEST_POWER:.0%} power: z_power = NormalDist().inv_cdf(0.8)."),
            Mistake("one_sided", lambda data: _next_test_days(data, z_alpha=ONE_SIDED_Z),
                    "That uses 1.645, a one-sided 5 % level. The test is read two-sided (B "
                    "could be worse): z_α = 1.96."),
        ),
        hints=(
            "Visitors per arm: funnel.sample_size_per_arm(base rate, MDE) — base rate = the "
            f"old checkout's (A's) conversion per visitor, MDE = {NEXT_TEST_MDE}, 80 % power, "
            "two-sided 5 %.",
            "Pace: the checkout test's visitors (both arms) ÷ its days, first to last day "
            "included.",
            "Both arms must reach n and share the traffic: days = 2 × n ÷ visitors a day, "
            "rounded up (math.ceil).",
        ),
    ),
    Exercise(
        id="08.6",
        kind="computation",
        name="decomposition",
        title="GMV = visits × conversion rate × AOV, by device",
        answer=Table("device", {"visits": Number("count"), "conversion_rate": Number("fraction"),
                                "aov": Number("yuan")}),
        reference=_decomposition,
        points={"visits": 1, "conversion_rate": 1, "aov": 1},
        mistakes=(
            Mistake("visitors_for_visits",
                    lambda data: _sessions(data).groupby("device")["visitor_id"].nunique(),
                    "Those are unique visitors. Visits are sessions: count the rows.",
                    part="visits"),
            Mistake("divided_by_visitors", lambda data: _by_device(data, _paid_per_visitor),
                    PER_VISITOR, part="conversion_rate"),
            Mistake("aov_all_orders",
                    lambda data: pd.Series({device: metrics.rate(metrics.gmv(orders), len(orders))
                                            for device, orders in _orders_by_device(data).items()}),
                    "That divides GMV by all orders placed. AOV (笔单价) divides GMV by paid "
                    "orders only.", part="aov"),
        ),
        hints=("One row per device; visits = that device's sessions, conversion = its paid "
               "sessions ÷ its sessions, AOV = GMV of its paid orders ÷ their number.",
               "For the AOV, keep the orders whose order_id appears in that device's sessions, "
               "then the paid ones (status completed or refunded)."),
    ),
    Exercise(
        id="08.7",
        kind="computation",
        name="two_proportion_z",
        title="The two-proportion z-test",
        answer=Function(Number("number", tol=1e-4)),
        reference=funnel.two_proportion_z,
        points=2,
        cases=(
            Case("A 100 of 1,000, B 150 of 1,000",
                 {"conversions_a": 100, "visitors_a": 1000, "conversions_b": 150,
                  "visitors_b": 1000}),
            # The stated rule "0.0 when the pooled rate is 0 or 1" gets a public case.
            Case("no conversions in either group (a pooled rate of 0)",
                 {"conversions_a": 0, "visitors_a": 500, "conversions_b": 0,
                  "visitors_b": 400}),
        ),
        hidden=(
            Case("A 90 of 800, B 70 of 1,200 (B worse)",
                 {"conversions_a": 90, "visitors_a": 800, "conversions_b": 70,
                  "visitors_b": 1200}),
            Case("A 30 of 200, B 60 of 250",
                 {"conversions_a": 30, "visitors_a": 200, "conversions_b": 60,
                  "visitors_b": 250}),
            Case("the shop's checkout test", _ab_case),
        ),
        mistakes=(
            Mistake("unpooled_se", _unpooled_z,
                    "That uses the unpooled standard error (each group's own rate). The test "
                    "assumes no difference, so it pools both groups into one rate p and uses "
                    "√(p(1 − p)(1/n_A + 1/n_B))."),
        ),
        hints=("z = (p_B − p_A) ÷ SE, where p = conversions ÷ visitors of each arm.",
               "Pooled rate p = (conversions_a + conversions_b) ÷ (visitors_a + visitors_b); "
               "SE = √(p(1 − p)(1/visitors_a + 1/visitors_b))."),
    ),
    Exercise(
        id="08.8",
        kind="decision",
        name="decision",
        title="Ship the new checkout?",
        answer=Label(DECISIONS),
        reference=_decision,
        points=2,
        hints=("Count per visitor, the unit the test randomised: a visitor converts if any of "
               "their test sessions was paid. n_A, n_B are the arms' visitors.",
               "The 95 % interval for p_B − p_A: difference ± 1.96 × SE, with the unpooled SE "
               "√(p_A(1 − p_A)/n_A + p_B(1 − p_B)/n_B).",
               "The test has reached its planned size: whole interval above 0 → \"ship\"; "
               "otherwise → \"don't ship\" (keep the old checkout)."),
    ),
    Exercise(
        id="08.9",
        kind="decision",
        name="extra_contribution",
        title="What if cart → checkout lost 20 % fewer shoppers?",
        answer=Number("yuan"),
        reference=lambda data: _what_if(data)["extra_gmv"] * _contribution_margin(data),
        points=2,
        mistakes=(
            Mistake("gmv_not_contribution", lambda data: _what_if(data)["extra_gmv"],
                    "That is the extra GMV. A fix is worth what the extra orders leave after "
                    "the costs that grow with them: multiply by the contribution margin."),
            Mistake("conversion_up_20",
                    lambda data: _what_if(data, lambda c: c * 1.2)["extra_gmv"]
                    * _contribution_margin(data),
                    "That raises the step's conversion by 20 %. The question cuts its drop-off "
                    "(1 − conversion) by 20 %."),
            Mistake("points_not_percent",
                    lambda data: _what_if(data, lambda c: c + WHAT_IF_CUT)["extra_gmv"]
                    * _contribution_margin(data),
                    "That cuts the drop-off by 20 percentage points; cut it by 20 % of itself "
                    "(new drop-off = 0.8 × old drop-off)."),
            Mistake("orders_not_money", lambda data: _what_if(data)["extra_orders"],
                    "That is the number of extra paid orders; the question asks for extra "
                    "contribution in ¥ (orders × AOV × contribution margin)."),
        ),
        hints=("New cart → checkout conversion = 1 − 0.8 × (1 − old conversion). Later steps "
               "keep their rates, so paid sessions grow by new ÷ old conversion.",
               "Extra paid orders = paid sessions × (new ÷ old − 1); extra GMV = extra paid "
               "orders × AOV (GMV ÷ paid orders); extra contribution = extra GMV × "
               "contribution_margin (from the setup cell)."),
    ),
    Exercise(
        id="08.10",
        kind="decision",
        name="fix_first",
        title="The leak worth fixing first",
        answer=Label(funnel.STEPS),
        reference=lambda data: str(funnel.orders_at_stake(_sessions(data), STAKE_SEGMENT)
                                   .idxmax()),
        points=3,
        mistakes=(
            Mistake("highest_drop_off",
                    lambda data: funnel.leakiest_step(_counts(data)),
                    "That step has the highest drop-off rate, but every shop loses most viewers "
                    "before the cart, on every device alike: the rate alone is no gap a fix can "
                    "close. Rank the steps by the paid orders at stake."),
            Mistake("largest_count_lost",
                    lambda data: str(_counts(data).diff().iloc[1:].set_axis(funnel.STEPS)
                                     .idxmin()),
                    "That step loses the most sessions by count: the top of every funnel does. "
                    "Rank by the paid orders a fix could win back."),
        ),
        hints=("For each step and device: the step conversion on that device, and the better "
               "of the two devices' rates.",
               "A device's extra paid orders at a step = its paid sessions × (better rate ÷ its "
               "own rate − 1); add the two devices up per step.",
               "The step with the most extra paid orders has the most contribution at stake "
               "(each is worth AOV × contribution margin)."),
    ),
)
