"""Chapter 10 — Customer service & reviews: service level, staffing Double 11, which tickets a
bot should take, negative-review rate, the weak product, DSR shop score, what replies show, and
whether a SKU's rating goes with its view → cart rate.

The mistakes are the usual ones of service reports: the wrong window, staffing for the day's
average or for the load alone, picking a bot's work by the wrong column, counting 3 stars as
negative, the overall rating in place of the DSR, a raw difference read as an effect, carts
counted in place of a rate, and a correlation read as a cause.
"""

from __future__ import annotations

import math

import pandas as pd

from graders.answers import Label, Number
from graders.spec import Exercise, Mistake
from shoplab import funnel, service
from shoplab import products as product_pages

YEAR = 2025
SLA_SECONDS = 180
FESTIVAL_DAY = "2025-11-11"
HANDLE_MINUTES = 6
TARGET = 0.9
REPLY_VERDICTS = ("replies help", "no evidence either way", "replies hurt")
RATING_VERDICTS = ("higher rating, higher view-to-cart within categories",
                   "higher rating, lower view-to-cart within categories",
                   "only between categories", "no evidence either way",
                   "the rating raises view-to-cart")
CAUSAL_CLAIM = RATING_VERDICTS[-1]


def _in_year(tickets: pd.DataFrame) -> pd.DataFrame:
    return tickets[tickets["created_at"].dt.year == YEAR]


def _peak(data) -> int:
    return int(service.hourly_arrivals(data.service_tickets, FESTIVAL_DAY).max())


def _agents(data) -> int:
    return service.agents_needed(_peak(data), HANDLE_MINUTES, SLA_SECONDS, TARGET)


def _bought_again(data) -> tuple[pd.Series, pd.Series]:
    """Whether each negative reviewer bought again, and whether the shop replied."""
    negative = data.reviews[service.is_negative(data.reviews["rating"])]
    again = service.bought_again_after_review(negative, data.orders)
    return again, negative["seller_reply_date"].notna()


def _reply_verdict(data) -> str:
    """Two-proportion z-test at 5 %: a difference only counts when it is larger than chance."""
    again, replied = _bought_again(data)
    z = funnel.two_proportion_z(again[~replied].sum(), (~replied).sum(), again[replied].sum(),
                                replied.sum())
    if funnel.two_sided_p_value(z) >= 0.05:
        return "no evidence either way"
    return "replies help" if z > 0 else "replies hurt"


def _raw_reply_verdict(data) -> str:
    again, replied = _bought_again(data)
    return "replies help" if again[replied].mean() > again[~replied].mean() else "replies hurt"


def _dsr_all_reviews(data) -> float:
    return float(data.reviews[list(service.DSR_COLUMNS)].mean().mean())


def _rating_in_window(data) -> float:
    end = data.reviews["review_date"].max()
    window = data.reviews["review_date"] > end - pd.Timedelta(days=service.DSR_WINDOW_DAYS)
    return float(data.reviews.loc[window, "rating"].mean())


def _rating_verdict(data, per_sku=product_pages.view_to_cart) -> str:
    """Fisher's z at 5 %, within categories first: a link that survives holding the category
    fixed is named by its sign; one seen only across all SKUs comes from the categories; the
    rule never returns CAUSAL_CLAIM, which no correlation can show. `per_sku` turns the sessions
    into the per-SKU figure set against the mean rating."""
    found = service.rating_conversion(data.reviews.groupby("sku")["rating"].mean(),
                                      per_sku(data.sessions),
                                      data.products.set_index("sku")["category"])
    within = service.correlation_z(found["within_category"], found["skus"],
                                   found["categories"] - 1)
    if funnel.two_sided_p_value(within) < 0.05:
        return RATING_VERDICTS[0] if within > 0 else RATING_VERDICTS[1]
    overall = service.correlation_z(found["overall"], found["skus"])
    return RATING_VERDICTS[2] if funnel.two_sided_p_value(overall) < 0.05 else RATING_VERDICTS[3]


def _carts_counted(sessions: pd.DataFrame) -> pd.Series:
    return sessions[sessions["viewed_product"]].groupby("viewed_sku")["added_to_cart"].sum()


EXERCISES = (
    Exercise(
        id="10.1",
        kind="computation",
        name="within_sla",
        title=f"Share of {YEAR}'s contacts answered within 3 minutes",
        answer=Number("fraction"),
        reference=lambda data: service.sla_attainment(
            _in_year(data.service_tickets)["first_response_seconds"], SLA_SECONDS),
        mistakes=(
            Mistake("whole_period",
                    lambda data: service.sla_attainment(
                        data.service_tickets["first_response_seconds"], SLA_SECONDS),
                    f"That is over both years. Keep only the tickets opened in {YEAR}."),
            Mistake("strictly_below",
                    lambda data: float(
                        (_in_year(data.service_tickets)["first_response_seconds"]
                         < SLA_SECONDS).mean()),
                    "A contact answered at exactly 180 seconds is within 3 minutes: use <=, "
                    "not <."),
        ),
        hints=(
            "Service level (服务水平) = contacts answered within the target ÷ all contacts.",
            f"Keep tickets with created_at in {YEAR}; compare first_response_seconds with 180.",
            "(first_response_seconds <= 180).mean()",
        ),
        points=2,
    ),
    Exercise(
        id="10.2",
        kind="decision",
        name="agents",
        title="Agents for the busiest hour of Double 11",
        answer=Number("count"),
        reference=_agents,
        mistakes=(
            Mistake("whole_day_in_an_hour",
                    lambda data: service.agents_needed(
                        int(service.hourly_arrivals(data.service_tickets, FESTIVAL_DAY).sum()),
                        HANDLE_MINUTES, SLA_SECONDS, TARGET),
                    "That staffs one hour for the whole day's tickets. Count the tickets of each "
                    "hour and plan the busiest one."),
            Mistake("load_only",
                    lambda data: math.ceil(_peak(data) * HANDLE_MINUTES / 60),
                    "That is the load rounded up: enough agents to be busy all hour, so nearly "
                    "everyone waits. Add agents until Erlang C's service level reaches 90 %."),
        ),
        hints=(
            "Count the tickets opened in each hour of 11 November 2025 and take the busiest "
            "hour's count λ.",
            "Load A = λ × 6 ÷ 60 erlangs; the share answered within t seconds with N agents is "
            "1 − C(N, A) · e^(−(N − A)·t / 360) (Erlang C).",
            "service.agents_needed(λ, 6, 180, 0.9) from the lesson does the search; or try N = "
            "1, 2, 3 … with service.service_level.",
        ),
        points=3,
    ),
    Exercise(
        id="10.3",
        kind="decision",
        name="automate_first",
        title="Which ticket type a bot should take first",
        answer=Label(tuple(sorted(("presale", "usage", "logistics", "quality", "refund")))),
        reference=lambda data: str(service.ticket_types(data.service_tickets).index[0]),
        mistakes=(
            Mistake("most_escalated",
                    lambda data: str(service.ticket_types(data.service_tickets)["escalation_rate"]
                                     .idxmax()),
                    "That type is escalated most often: exactly the cases a bot cannot close "
                    "(its problems need a better fix: product, refund rules). A bot takes "
                    "contacts that are frequent and simple: pick by volume × simplicity."),
        ),
        hints=(
            "A bot (智能客服) pays where many contacts are simple.",
            "Call a ticket simple when resolution_hours <= 1 and it was not escalated; per "
            "category, multiply the number of tickets by the simple share.",
            "The category with the largest tickets × simple share (service.ticket_types).",
        ),
        points=2,
    ),
    Exercise(
        id="10.4",
        kind="computation",
        name="negative_rate",
        title="The shop's negative-review rate",
        answer=Number("fraction"),
        reference=lambda data: service.negative_review_rate(data.reviews["rating"]),
        mistakes=(
            Mistake("three_stars_negative",
                    lambda data: float((data.reviews["rating"] <= 3).mean()),
                    "3 stars is a middling review (中评), not a negative one: 差评 is 1–2 stars."),
            Mistake("one_star_only",
                    lambda data: float((data.reviews["rating"] == 1).mean()),
                    "2-star reviews are negative too: 差评 is 1–2 stars."),
        ),
        hints=(
            "Negative-review rate (差评率) = negative reviews ÷ all reviews.",
            "A negative review has a rating of 1 or 2.",
            "(reviews.rating <= 2).mean()",
        ),
        points=2,
    ),
    Exercise(
        id="10.5",
        kind="diagnosis",
        name="weak_sku",
        title="The product behind the bad reviews",
        answer=Label(),
        reference=lambda data: str(data.reviews.groupby("sku")["rating"]
                                   .apply(service.negative_review_rate).idxmax()),
        hints=(
            "Compare products by the share of their reviews that are negative, not by counts "
            "(a best-seller collects more of everything).",
            "reviews.groupby('sku').rating.apply(lambda r: (r <= 2).mean()) and take the "
            "largest.",
        ),
        points=2,
    ),
    Exercise(
        id="10.6",
        kind="computation",
        name="shop_score",
        title="The shop score from the three DSR dimensions",
        answer=Number("number"),
        reference=lambda data: float(
            service.dsr_scores(data.reviews, data.reviews["review_date"].max())["shop_score"]),
        mistakes=(
            Mistake("all_reviews", _dsr_all_reviews,
                    "That averages every review since 2024. Each DSR counts only the last 180 "
                    "days of reviews."),
            Mistake("rating_not_dsr", _rating_in_window,
                    "That is the overall star rating. The shop score is the mean of the three "
                    "DSR columns (描述相符, 服务态度, 物流服务)."),
        ),
        hints=(
            "Keep reviews posted in the 180 days up to and including the last review_date.",
            "Each DSR is the mean of its column: dsr_description, dsr_service, dsr_logistics.",
            "The shop score is the simple mean of those three means.",
        ),
        points=2,
    ),
    Exercise(
        id="10.7",
        kind="diagnosis",
        name="reply_verdict",
        title="Did replying to negative reviews bring buyers back?",
        answer=Label(REPLY_VERDICTS),
        reference=_reply_verdict,
        mistakes=(
            Mistake("raw_difference", _raw_reply_verdict,
                    "A difference between two small groups can be chance. Test it (the "
                    "two-proportion z-test of chapter 08, 5 % level) before reading it as an "
                    "effect — and the shop chose whom to answer."),
        ),
        hints=(
            "For each negative review (1–2 stars), did its buyer pay for an order after the "
            "review day (service.bought_again_after_review)? Split by whether "
            "seller_reply_date is filled.",
            "Compare the two shares with the two-proportion z-test of chapter 08 "
            "(funnel.two_proportion_z and funnel.two_sided_p_value).",
            "p ≥ 0.05 → \"no evidence either way\"; otherwise the sign of the difference says "
            "whether replies help or hurt.",
        ),
        points=3,
    ),
    Exercise(
        id="10.8",
        kind="diagnosis",
        name="rating_verdict",
        title="Does a better rating go with more carts from the product page?",
        answer=Label(RATING_VERDICTS),
        reference=_rating_verdict,
        mistakes=(
            Mistake("carts_not_rate", lambda data: _rating_verdict(data, _carts_counted),
                    "That correlates the rating with how many carts a SKU collected, and a page "
                    "with more visits collects more of everything. Use view → cart: the share "
                    "of the visits to a SKU's page that added to the cart."),
            Mistake("causal_claim", lambda data: CAUSAL_CLAIM,
                    "That is a causal claim, and a correlation across SKUs cannot carry it: a "
                    "better product can earn both the stars and the carts (a confounder), and "
                    "no SKU's rating was set at random. Pick what the correlation itself "
                    "supports."),
        ),
        hints=(
            "Per SKU: the mean rating of its reviews, and its view → cart rate (chapter "
            "02): of the sessions with viewed_product, grouped by viewed_sku, the share with "
            "added_to_cart.",
            "Hold the category fixed: take each category's mean out of both before "
            "correlating. service.rating_conversion gives the correlation across all SKUs "
            "and within categories.",
            "Test with Fisher's z: service.correlation_z(r, SKUs, categories − 1) for the "
            "within-category r and funnel.two_sided_p_value. p < 0.05 → its sign gives the "
            "verdict; otherwise a significant correlation across all SKUs (controls 0) "
            "means \"only between categories\", and none means no evidence.",
        ),
        points=3,
    ),
)
