"""Chapter 01: platform formulas against hand-worked examples, and the `platforms` table against
the shop's `fees` (its own channels' terms must be the same contract)."""

from __future__ import annotations

import pandas as pd
import pytest

from shoplab import platforms as pf
from shoplab.datasets import load_table
from shoplab.metrics import unit_contribution
from shoplab.widgets.platforms import platform_scorer

TERMS = pd.Series({"commission_rate": 0.05, "payment_fee_rate": 0.006, "return_rate": 0.06,
                   "deposit": 50000.0, "settlement_days": 10})


def rows(**columns):
    return pd.DataFrame(columns, index=[f"p{i}" for i in range(len(next(iter(columns.values()))))])


def test_payout_waterfall_by_hand():
    # ¥100 order, goods cost ¥40, shop pays ¥8 shipping: 100 - 5 - 0.6 - 6 - 8 - 40 = 40.4
    steps = pf.payout_waterfall(100.0, 40.0, TERMS, net_shipping=8.0)
    assert list(steps.index) == ["order value", "commission", "payment fee", "expected refunds",
                                 "shipping", "product cost", "contribution"]
    assert steps["commission"] == pytest.approx(-5.0)
    assert steps["expected refunds"] == pytest.approx(-6.0)
    assert steps["contribution"] == pytest.approx(40.4)
    assert steps.drop("contribution").sum() == pytest.approx(steps["contribution"])


def test_order_contribution_is_the_shops_one_definition_per_row():
    table = rows(commission_rate=[0.05, 0.15], payment_fee_rate=[0.006, 0.0],
                 return_rate=[0.06, 0.08])
    # payout before goods: 100 × (1 - 0.116) = 88.4 and 100 × (1 - 0.23) = 77
    assert pf.order_contribution(100.0, 0.0, table).tolist() == pytest.approx([88.4, 77.0])
    got = pf.order_contribution(150.0, 60.0, table, net_shipping=5.0)
    for name, row in table.iterrows():
        assert got[name] == pytest.approx(unit_contribution(
            150.0, 60.0, commission_rate=row["commission_rate"],
            payment_fee_rate=row["payment_fee_rate"], refund_rate=row["return_rate"],
            net_shipping=5.0))


def test_capital_cost_per_order_by_hand():
    table = rows(deposit=[50000.0, 0.0], settlement_days=[10, 73])
    # deposit: 50,000 × 5 % / 10,000 orders = 0.25; waiting: 100 × 10/365 × 5 % = 0.136986
    # no deposit, 73 days: 100 × 0.2 × 5 % = 1.0
    got = pf.capital_cost_per_order(100.0, table, orders_per_year=10000, annual_rate=0.05)
    assert got.tolist() == pytest.approx([0.25 + 50 / 365, 1.0])
    assert pf.capital_cost_per_order(100.0, table, 10000, 0.0).tolist() == [0.0, 0.0]


def test_criterion_scores_put_the_best_at_one_and_turn_round_costs():
    table = rows(traffic_index=[90, 50, 10], category_fit=[0.5, 0.5, 0.5],
                 commission_rate=[0.10, 0.05, 0.0], payment_fee_rate=[0.0, 0.0, 0.0],
                 capability_needed=[5, 3, 1])
    s = pf.criterion_scores(table)
    assert s["traffic"].tolist() == pytest.approx([1.0, 0.5, 0.0])
    assert s["fees"].tolist() == pytest.approx([0.0, 0.5, 1.0])  # the cheapest scores 1
    assert s["capability"].tolist() == pytest.approx([0.0, 0.5, 1.0])
    assert s["fit"].tolist() == [1.0, 1.0, 1.0]  # no difference, nothing to choose between


def test_weighted_score_by_hand_and_scale_free():
    table = rows(traffic_index=[90, 50, 10], category_fit=[0.2, 1.0, 0.6],
                 commission_rate=[0.10, 0.05, 0.0], payment_fee_rate=[0.0, 0.0, 0.0],
                 capability_needed=[5, 3, 1])
    # traffic 3 : fit 1 → p0 = 0.75·1 + 0.25·0 = 0.75, p1 = 0.375 + 0.25 = 0.625, p2 = 0.125
    got = pf.weighted_score(table, {"traffic": 3, "fit": 1})
    assert got.tolist() == pytest.approx([0.75, 0.625, 0.125])
    assert pf.weighted_score(table, {"traffic": 30, "fit": 10}).tolist() == pytest.approx(
        got.tolist())
    assert pf.weighted_score(table, {"fees": 1}).idxmax() == "p2"


@pytest.mark.parametrize("weights", [{"trafic": 1}, {"traffic": 0}, {"fit": -1, "fees": 2}])
def test_weighted_score_refuses_weights_it_cannot_use(weights):
    table = rows(traffic_index=[1, 2], category_fit=[0.1, 0.2], commission_rate=[0.1, 0.2],
                 payment_fee_rate=[0.0, 0.0], capability_needed=[1, 2])
    with pytest.raises(ValueError):
        pf.weighted_score(table, weights)


# --- the planted table --------------------------------------------------------------------


@pytest.fixture(scope="module")
def platforms():
    return load_table("platforms")


def test_the_shops_own_rows_carry_the_fees_tables_terms(platforms):
    fees = load_table("fees").set_index("channel")
    own = platforms[platforms["shop_channel"].notna()].set_index("shop_channel")
    assert sorted(own.index) == sorted(fees.index)
    same = {"commission_rate": "commission_rate", "payment_fee_rate": "payment_fee_rate",
            "return_rate": "return_rate_assumption", "deposit": "deposit",
            "settlement_days": "settlement_days"}
    for column, fees_column in same.items():
        pd.testing.assert_series_equal(own[column], fees.loc[own.index, fees_column],
                                       check_names=False)


def test_every_platform_type_is_a_candidate_and_the_terms_are_plausible(platforms):
    candidates = platforms[platforms["shop_channel"].isna()]
    assert set(candidates["platform_type"]) == {"marketplace", "vertical", "social",
                                                "cross_border"}
    assert platforms["platform"].is_unique and platforms["as_of"].nunique() == 1
    assert (pf.take_rate(platforms) < 0.25).all() and (platforms["return_rate"] < 0.2).all()
    assert platforms["category_fit"].between(0, 1).all()
    assert platforms["capability_needed"].between(1, 5).all()
    assert platforms["traffic_index"].between(0, 100).all()
    assert platforms["onboarding_weeks"].between(2, 4).all()  # the seed's 2–4 weeks


# --- the platform scorer widget -----------------------------------------------------------


def test_scorer_redraws_the_ranking_the_weights_give(platforms):
    scorer = platform_scorer(platforms)
    for name, slider in scorer.weights.items():
        slider.value = 1 if name == "traffic" else 0
    bars = scorer.figure.data[0]
    assert list(bars.y)[-1] == platforms.loc[platforms["traffic_index"].idxmax(), "platform"]
    table = platforms.set_index("platform")
    expected = pf.weighted_score(table, {"traffic": 1}).sort_values()
    assert list(bars.x) == pytest.approx(expected.tolist())
    candidates = table[table["shop_channel"].isna()]
    assert candidates["traffic_index"].idxmax() in scorer.figure.layout.title.text


def test_scorer_with_no_weight_says_so_instead_of_failing(platforms):
    scorer = platform_scorer(platforms)
    with scorer.holding_redraw():
        for slider in scorer.weights.values():
            slider.value = 0
    assert scorer.ranking() is None and len(scorer.figure.data[0].x) == 0
    assert "at least one" in scorer.figure.layout.title.text
