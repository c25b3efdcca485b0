"""Chapter 10: service-level, Erlang C staffing and review formulas against hand-worked values,
and the shapes the lesson relies on in the shop's tickets and reviews."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from shoplab import funnel, load_table, service
from shoplab import products as products_topic
from shoplab.widgets.service import sla_planner


def test_erlang_c_by_hand():
    # 24 contacts an hour × 5 minutes = 2 erlangs. With 3 agents: A³/3! · 3/(3−2) = 4 over
    # 1 + 2 + 2 + 4 = 9, so 4/9 of contacts wait.
    assert service.erlang_c(24, 5, 3) == pytest.approx(4 / 9)
    # one agent (M/M/1): the chance to wait is the utilisation, 6/h × 5 min = 0.5
    assert service.erlang_c(6, 5, 1) == pytest.approx(0.5)
    # no more agents than the load: the queue never empties, everyone waits
    assert service.erlang_c(24, 5, 2) == 1.0


def test_service_level_by_hand():
    # within t: 1 − C · e^(−(N − A) t / AHT); at t = 0 only those who do not wait
    assert service.service_level(24, 5, 3, 0) == pytest.approx(5 / 9)
    assert service.service_level(24, 5, 3, 300) == pytest.approx(1 - 4 / 9 * math.exp(-1))
    assert service.service_level(24, 5, 2, 60) == 0.0
    assert service.service_level(0, 5, 1, 60) == 1.0


def test_agents_needed_is_the_fewest_that_reach_the_target():
    # 3 agents: 1 − 4/9 · e^(−0.2) ≈ 0.64; 4 agents: C = (4/3) / (19/3 + 4/3) = 4/23,
    # 1 − 4/23 · e^(−0.4) ≈ 0.88
    assert service.agents_needed(24, 5, 60, 0.8) == 4
    assert service.agents_needed(24, 5, 60, 0.6) == 3
    assert service.agents_needed(0.1, 5, 60, 0.5) == 1
    with pytest.raises(ValueError):
        service.agents_needed(24, 5, 60, 1.0)


def tiny_tickets() -> pd.DataFrame:
    rows = [  # id, opened, type, first response s, resolution h, escalated, reopened
        ("T1", "2025-11-11 09:10", "presale", 20, 0.1, False, False),
        ("T2", "2025-11-11 09:40", "presale", 200, 0.3, False, False),
        ("T3", "2025-11-11 21:05", "presale", 90, 2.0, False, True),
        ("T4", "2025-11-12 10:00", "quality", 30, 30.0, True, True),
        ("T5", "2025-11-12 11:00", "quality", 180, 0.5, False, False),
    ]
    cols = ["ticket_id", "created_at", "category", "first_response_seconds",
            "resolution_hours", "escalated", "reopened"]
    t = pd.DataFrame(rows, columns=cols)
    return t.assign(created_at=pd.to_datetime(t["created_at"]))


def test_sla_and_ticket_types_by_hand():
    t = tiny_tickets()
    assert service.sla_attainment(t["first_response_seconds"], 180) == pytest.approx(4 / 5)
    by_type = service.sla_by(t, "category", 60)
    assert by_type.to_dict() == pytest.approx({"presale": 1 / 3, "quality": 1 / 2})
    types = service.ticket_types(t)
    # presale: 3 tickets, T1 and T2 simple → 2 candidates; quality: T5 only (T4 escalated) → 1
    assert types.index.tolist() == ["presale", "quality"]
    assert types["bot_candidates"].tolist() == pytest.approx([2, 1])
    assert types.loc["quality", "reopen_rate"] == pytest.approx(0.5)
    assert types.loc["presale", "median_resolution_hours"] == pytest.approx(0.3)
    hours = service.hourly_arrivals(t, "2025-11-11")
    assert len(hours) == 24 and hours[9] == 2 and hours[21] == 1 and hours.sum() == 3


def test_reviews_by_hand():
    r = pd.DataFrame({
        "review_date": pd.to_datetime(["2025-01-01", "2025-06-01", "2025-06-20", "2025-06-30"]),
        "rating": [1, 2, 3, 5],
        "dsr_description": [1, 2, 3, 5],
        "dsr_service": [5, 2, 4, 5],
        "dsr_logistics": [1, 4, 4, 4],
        "seller_reply_date": pd.to_datetime([None, "2025-06-04", None, None]),
    })
    assert service.negative_review_rate(r["rating"]) == pytest.approx(0.5)
    assert service.negative_review_rate([]) == 0.0
    # on 30 June the window starts after 1 January 2025: the first review is out
    dsr = service.dsr_scores(r, "2025-06-30")
    assert dsr[list(service.DSR_COLUMNS)].tolist() == pytest.approx([10 / 3, 11 / 3, 4])
    assert dsr["shop_score"] == pytest.approx((10 / 3 + 11 / 3 + 4) / 3)
    replies = service.reply_summary(r)
    assert replies.to_dict() == pytest.approx(
        {"negative_reviews": 2, "reply_rate": 0.5, "median_reply_days": 3})


def test_double_11_breaks_the_sla_and_bots_should_take_presale_first():
    t = load_table("service_tickets")
    peak = (t["created_at"].dt.month == 11) & t["created_at"].dt.day.between(10, 20)
    by_load = service.sla_by(t, peak.rename("double_11"), 60)
    assert by_load[True] < by_load[False]
    assert service.ticket_types(t).index[0] == "presale"


def test_the_weak_product_has_the_worst_negative_rate():
    r = load_table("reviews")
    by_sku = r.groupby("sku")["rating"].apply(service.negative_review_rate)
    assert by_sku.idxmax() == "HW-005"
    dsr = service.dsr_scores(r, r["review_date"].max())
    assert dsr.between(1, 5).all()
    assert 0 < service.reply_summary(r)["reply_rate"] < 1


def test_sla_planner_redraws_and_more_agents_or_a_bot_lift_the_day():
    hours = pd.Series([0] * 20 + [12, 24, 6, 0], index=range(24))
    planner = sla_planner(hours, sla_seconds=60, target=0.8)
    # 24 contacts at 5 minutes is 2 erlangs: one or two agents can never keep up at 21:00
    planner.handle_minutes.value = 5
    planner.agents.value = 2
    assert planner.levels()[21] == 0.0 and "21:00" in planner.readout.value
    before = planner.day_level()
    planner.agents.value = 4
    # 21:00 with 4 agents is the hand-worked 0.88 of test_agents_needed…
    assert planner.levels()[21] == pytest.approx(1 - 4 / 23 * math.exp(-0.4))
    assert planner.day_level() > before and "Every hour meets" in planner.readout.value
    assert list(planner.figure.data[1].y) == pytest.approx(list(planner.levels()))
    planner.deflection.value = 0.5
    assert list(planner.figure.data[0].y)[21] == pytest.approx(12)


def test_bought_again_counts_only_later_paid_orders():
    orders = pd.DataFrame({
        "order_id": ["O1", "O2", "O3", "O4", "O5"],
        "customer_id": ["C1", "C1", "C2", "C2", "C3"],
        "order_time": pd.to_datetime(["2025-01-01", "2025-03-01", "2025-01-01", "2025-03-01",
                                      "2025-01-01"]),
        "status": ["completed", "completed", "completed", "cancelled", "completed"],
    })
    reviews = pd.DataFrame({"order_id": ["O1", "O3", "O5"],
                            "review_date": pd.to_datetime(["2025-01-10"] * 3)})
    # C1 paid again in March; C2's later order was cancelled; C3 never came back
    assert service.bought_again_after_review(reviews, orders).tolist() == [True, False, False]


def test_rating_conversion_separates_categories_from_the_sku():
    # Category A sells better-rated goods that convert better than B's; inside each category
    # the better-rated SKU converts worse. Across the four SKUs, deviations from the means are
    # rating (.6, .4, −.4, −.6) and rate (.04, .06, −.06, −.04): r = .096 / √(1.04 · .0104)
    # = 12/13. Within each category they are (±.1) against (∓.01): r = −1.
    skus = ["A1", "A2", "B1", "B2"]
    ratings = pd.Series([4.8, 4.6, 3.8, 3.6, 5.0], index=skus + ["C1"])  # C1: never viewed
    rate = pd.Series([0.18, 0.20, 0.08, 0.10, 0.5], index=skus + ["D1"])  # D1: never reviewed
    categories = pd.Series(["A", "A", "B", "B", "C", "D"], index=skus + ["C1", "D1"])
    found = service.rating_conversion(ratings, rate, categories)
    assert found["overall"] == pytest.approx(12 / 13)
    assert found["within_category"] == pytest.approx(-1)
    assert (found["skus"], found["categories"]) == (4, 2)
    # one category: holding it fixed changes nothing
    same = service.rating_conversion(ratings[skus], rate[skus], pd.Series("A", index=skus))
    assert same["within_category"] == pytest.approx(same["overall"])


def test_correlation_z_by_hand():
    assert service.correlation_z(0.5, 28) == pytest.approx(math.atanh(0.5) * 5)
    # 6 categories held fixed take 5 degrees of freedom: √(40 − 3 − 5)
    assert service.correlation_z(-0.3, 40, 5) == pytest.approx(math.atanh(-0.3) * math.sqrt(32))
    assert service.correlation_z(1.0, 10) == math.inf
    with pytest.raises(ValueError):
        service.correlation_z(0.5, 5, 2)


def test_rating_goes_with_view_to_cart_within_categories_on_the_shop():
    sessions = load_table("sessions", columns=["viewed_product", "viewed_sku", "added_to_cart"])
    reviews, products = load_table("reviews"), load_table("products").set_index("sku")
    rate = products_topic.view_to_cart(sessions)
    found = service.rating_conversion(reviews.groupby("sku")["rating"].mean(), rate,
                                      products["category"])
    assert found["skus"] == len(products) and found["categories"] == products["category"].nunique()
    z = service.correlation_z(found["within_category"], found["skus"], found["categories"] - 1)
    assert found["within_category"] > 0 and funnel.two_sided_p_value(z) < 0.05
