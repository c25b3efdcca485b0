"""Customer service (客服) and reviews (评价): response speed, staffing, tickets and ratings.

Response speed is judged as a service level (服务水平): the share of contacts answered within a
target time (the SLA), not the average, because a few very slow answers are what buyers and the
platform punish. Staffing uses the standard Erlang C queue (arrivals at random, one shared queue,
agents answering in turn): the chance a contact has to wait and the share answered within the
target follow from the arrivals per hour, the handling time and the number of agents (Koole,
*Call Center Optimization*, 2013, ch. 5; Gans, Koole & Mandelbaum, "Telephone call centers",
M&SOM 5(2), 2003).

Reviews follow the platform's rules as this course states them: a negative review (差评) is one
of 1–2 stars (3 is middling, 中评; 4–5 positive, 好评); each DSR dimension (描述相符 / 服务态度 /
物流服务) is the mean of its stars over the last 180 days of reviews, and the shop score is the
simple mean of the three (platforms weigh them in ways they do not publish).

Whether a SKU's rating (评分) goes with its view → cart rate (加购率) is read as a correlation
across SKUs, and again within categories (each category's mean taken out of both), because a
category can differ in both (a confounder); neither is an effect of the rating (Freedman, Pisani
& Purves, *Statistics*, ch. 2 on confounding, ch. 9 "Association is not causation").
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from shoplab import metrics

NEGATIVE_MAX_STARS = 2
DSR_COLUMNS = ("dsr_description", "dsr_service", "dsr_logistics")
DSR_WINDOW_DAYS = 180


def sla_attainment(first_response_seconds, sla_seconds: float) -> float:
    """SLA attainment (服务水平达成率): share of contacts first answered within `sla_seconds`."""
    return metrics.share(np.asarray(first_response_seconds) <= sla_seconds)


def sla_by(tickets: pd.DataFrame, by, sla_seconds: float) -> pd.Series:
    """SLA attainment per group (`by`: a column name or a Series aligned with `tickets`)."""
    within = (tickets["first_response_seconds"] <= sla_seconds).astype(float)
    return within.groupby(tickets[by] if isinstance(by, str) else by).mean().rename("within_sla")


def erlang_c(arrivals_per_hour: float, handle_minutes: float, agents: int) -> float:
    """Probability that a contact has to wait (Erlang C) with `agents` agents on one queue.

    The offered load is A = arrivals per hour × handling hours (in erlangs). With no more agents
    than the load the queue grows without end, so every contact waits: 1.0.
    """
    load = arrivals_per_hour * handle_minutes / 60
    if agents <= load:
        return 1.0
    blocked = 1.0  # Erlang B by its stable recursion, then converted to Erlang C
    for k in range(1, agents + 1):
        blocked = load * blocked / (k + load * blocked)
    return agents * blocked / (agents - load * (1 - blocked))


def service_level(arrivals_per_hour: float, handle_minutes: float, agents: int,
                  sla_seconds: float) -> float:
    """Share of contacts answered within `sla_seconds` (Erlang C): 1 − C · e^(−(N − A)·t / AHT)."""
    load = arrivals_per_hour * handle_minutes / 60
    if arrivals_per_hour == 0:
        return 1.0
    if agents <= load:
        return 0.0
    wait = erlang_c(arrivals_per_hour, handle_minutes, agents)
    return 1 - wait * math.exp(-(agents - load) * sla_seconds / (handle_minutes * 60))


def agents_needed(arrivals_per_hour: float, handle_minutes: float, sla_seconds: float,
                  target: float) -> int:
    """The fewest agents whose service level reaches `target` (a fraction below 1)."""
    if not 0 <= target < 1:
        raise ValueError("target is a share below 1, e.g. 0.9 for 90 %")
    agents = max(1, math.floor(arrivals_per_hour * handle_minutes / 60) + 1)
    while service_level(arrivals_per_hour, handle_minutes, agents, sla_seconds) < target:
        agents += 1
    return agents


def hourly_arrivals(tickets: pd.DataFrame, day) -> pd.Series:
    """Tickets opened in each hour (0–23) of `day`: the load curve a staffing plan must meet."""
    opened = tickets["created_at"]
    on_day = opened[opened.dt.normalize() == pd.Timestamp(day)]
    return on_day.dt.hour.value_counts().reindex(range(24), fill_value=0).rename("tickets")


def ticket_types(tickets: pd.DataFrame, quick_hours: float = 1.0) -> pd.DataFrame:
    """Per ticket type (问题类型): volume, speed, escalation, reopening and what a bot could take.

    A ticket is *simple* when it was resolved within `quick_hours` and not escalated; a bot (智能
    客服) is worth most where many tickets are simple, so `bot_candidates` = tickets × simple
    share, and the table is sorted by it (volume × simplicity).
    """
    simple = (tickets["resolution_hours"] <= quick_hours) & ~tickets["escalated"]
    table = tickets.assign(simple=simple).groupby("category").agg(
        tickets=("ticket_id", "size"),
        median_resolution_hours=("resolution_hours", "median"),
        escalation_rate=("escalated", "mean"),
        reopen_rate=("reopened", "mean"),
        simple_share=("simple", "mean"),
    )
    table["bot_candidates"] = table["tickets"] * table["simple_share"]
    return table.sort_values("bot_candidates", ascending=False)


def is_negative(ratings) -> np.ndarray:
    """True for a negative review (差评): at most NEGATIVE_MAX_STARS stars."""
    return np.asarray(ratings) <= NEGATIVE_MAX_STARS


def negative_review_rate(ratings) -> float:
    """Negative-review rate (差评率): negative reviews ÷ all reviews."""
    return metrics.share(is_negative(ratings))


def dsr_scores(reviews: pd.DataFrame, as_of) -> pd.Series:
    """The three DSR dimensions and the shop score on `as_of`: the mean stars of the reviews
    posted in the DSR_WINDOW_DAYS days up to and including `as_of`; the shop score is the simple
    mean of the three dimensions."""
    end = pd.Timestamp(as_of)
    posted = reviews["review_date"]
    window = reviews[(posted > end - pd.Timedelta(days=DSR_WINDOW_DAYS)) & (posted <= end)]
    scores = window[list(DSR_COLUMNS)].mean()
    scores["shop_score"] = scores.mean()
    return scores


def reply_summary(reviews: pd.DataFrame) -> pd.Series:
    """How the shop answers negative reviews: how many, the share replied to and the median days
    from review to reply."""
    negative = reviews[is_negative(reviews["rating"])]
    replied = negative["seller_reply_date"].notna()
    lag = (negative["seller_reply_date"] - negative["review_date"]).dt.days
    return pd.Series({
        "negative_reviews": len(negative),
        "reply_rate": metrics.share(replied),
        "median_reply_days": float(lag[replied].median()) if replied.any() else np.nan,
    })


def bought_again_after_review(reviews: pd.DataFrame, orders: pd.DataFrame) -> pd.Series:
    """For each review, whether its buyer placed a later paid order (after the review day).

    Comparing this between replied and unreplied negative reviews describes, it does not prove:
    the shop chose which reviews to answer, so the two groups may differ in other ways.
    """
    paid = metrics.paid(orders)
    buyer = reviews["order_id"].map(orders.set_index("order_id")["customer_id"])
    last_paid = paid.groupby("customer_id")["order_time"].max()
    after = buyer.map(last_paid) >= reviews["review_date"] + pd.Timedelta(days=1)
    return after.rename("bought_again")


def rating_conversion(ratings_by_sku: pd.Series, view_to_cart: pd.Series,
                      categories: pd.Series) -> pd.Series:
    """Correlation of a SKU's mean rating with its view → cart rate, across and within categories.

    All three inputs are indexed by SKU; only the SKUs present in all three count. `overall` is
    Pearson's r across the SKUs; `within_category` is r after each category's own mean is taken
    out of both the rating and the rate (the pooled within-group correlation, i.e. the partial
    correlation with the category held fixed; Snedecor & Cochran, *Statistical Methods*, on
    covariance analysis). A difference between categories — one sells better-rated goods to
    keener visitors — moves `overall` but not `within_category`. `skus` and `categories` are
    the counts the significance test (`correlation_z`) needs.
    """
    frame = pd.DataFrame({"rating": ratings_by_sku, "rate": view_to_cart,
                          "category": categories}).dropna()
    within = frame[["rating", "rate"]] - frame.groupby("category")[["rating", "rate"]].transform(
        "mean")
    return pd.Series({
        "overall": frame["rating"].corr(frame["rate"]),
        "within_category": within["rating"].corr(within["rate"]),
        "skus": len(frame),
        "categories": frame["category"].nunique(),
    })


def correlation_z(r: float, pairs: int, controls: int = 0) -> float:
    """Fisher's z for a correlation `r` of `pairs` observations with `controls` variables held
    fixed: atanh(r) · √(pairs − 3 − controls), about standard normal when the true correlation
    is zero (Fisher, 1921; for a partial correlation, 1924; Snedecor & Cochran, *Statistical
    Methods*). Holding k categories fixed uses k − 1 controls (one per category beyond the
    first)."""
    spare = int(pairs) - 3 - int(controls)
    if spare <= 0:
        raise ValueError(f"{int(pairs)} pairs leave nothing to test with {int(controls)} "
                         "controls")
    if abs(r) >= 1:  # a perfect line: as far from chance as a correlation gets
        return math.copysign(math.inf, r)
    return math.atanh(r) * math.sqrt(spare)
