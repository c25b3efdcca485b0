"""Chapter 02's formulas by hand, both ways, and its Pareto / ABC explorer."""

from __future__ import annotations

import pandas as pd
import pytest

from shoplab import metrics
from shoplab import products as pr
from shoplab.widgets.products import pareto_explorer

FEES = pd.DataFrame({"channel": ["platform", "livestream"], "commission_rate": [0.05, 0.10],
                     "payment_fee_rate": [0.01, 0.0]})
PRODUCTS = pd.DataFrame({"sku": ["A", "B", "C"], "unit_cost": [40.0, 10.0, 5.0],
                         "category": ["pans", "pans", "tools"]})


def test_abc_puts_the_sku_that_crosses_the_threshold_in_the_upper_class():
    values = pd.Series({"w": 50.0, "x": 35.0, "y": 10.0, "z": 5.0})
    # cumulative shares before each: 0, 0.50, 0.85, 0.95
    assert pr.abc_classes(values).to_dict() == {"w": "A", "x": "A", "y": "B", "z": "C"}
    assert pr.abc_classes(values, (0.5, 0.9)).to_dict() == {"w": "A", "x": "B", "y": "B",
                                                           "z": "C"}


def test_abc_counts_a_loss_as_nothing_and_refuses_thresholds_out_of_order():
    values = pd.Series({"w": 90.0, "x": 10.0, "loss": -30.0})
    assert pr.abc_classes(values)["loss"] == "C"
    with pytest.raises(ValueError):
        pr.abc_classes(values, (0.9, 0.8))


def test_pareto_shares_add_up_largest_first():
    table = pr.pareto(pd.Series({"a": 1.0, "b": 3.0}))
    assert list(table.index) == ["b", "a"]
    assert table["cumulative"].tolist() == pytest.approx([0.75, 1.0])


def test_line_contribution_is_the_shops_one_definition_per_line():
    lines = pd.DataFrame({"sku": ["A", "B"], "channel": ["platform", "livestream"],
                          "unit_price": [100.0, 20.0], "quantity": [2, 1],
                          "status": ["completed", "refunded"], "line_amount": [200.0, 20.0]})
    got = pr.line_contribution(lines, PRODUCTS, FEES)
    # 2 × (100 × (1 − 0.05 − 0.01) − 40) = 108; a refunded unit: 20 × (1 − 0.1 − 1) − 10 = −12
    assert got.tolist() == pytest.approx([108.0, -12.0])
    assert got[0] == pytest.approx(2 * metrics.unit_contribution(
        100.0, 40.0, commission_rate=0.05, payment_fee_rate=0.01))
    totals = pr.sku_totals(lines, PRODUCTS, FEES)
    assert totals.loc["C"].tolist() == [0.0, 0.0, 0.0]  # no sales, still a row
    assert totals.loc["A", "revenue"] == 200.0


def test_view_to_cart_counts_only_visits_that_viewed():
    sessions = pd.DataFrame({"viewed_product": [True, True, True, False],
                             "viewed_sku": ["A", "A", "B", None],
                             "added_to_cart": [True, False, False, False]})
    assert pr.view_to_cart(sessions).to_dict() == {"A": 0.5, "B": 0.0}


def test_cannibalisation_takes_the_categorys_trend_as_the_baseline():
    # the baseline doubles after the launch, so the neighbour's 10 units would have become 20;
    # it sold 12, so it lost 8 of the new SKU's 16: a rate of 0.5
    lines = pd.DataFrame({
        "sku": ["old", "old", "base", "base", "new"],
        "week": [-3, 10, -2, 11, 12],
        "quantity": [10, 12, 50, 100, 16],
    })
    assert pr.expected_units(lines, "old", ["base"], (-5, -1), (8, 20)) == 20.0
    assert pr.cannibalisation_rate(lines, "new", "old", ["base"], (-5, -1), (8, 20)) == 0.5
    assert pr.weeks_since(pd.Series(pd.to_datetime(["2025-03-07", "2025-03-08", "2025-02-28"])),
                          pd.Timestamp("2025-03-01")).tolist() == [0, 1, -1]


def test_trailing_gaps_turn_round_where_more_is_better():
    rivals = pd.DataFrame({"price": [90.0, 110.0], "rating": [4.0, 5.0], "delivery_days": [2, 2],
                           "assortment": [10, 10], "return_rate": [0.05, 0.05]})
    ours = pd.Series({"price": 110.0, "rating": 4.5, "delivery_days": 3.0, "assortment": 5,
                      "return_rate": 0.04})
    gaps = pr.trailing_gaps(ours, rivals)
    assert gaps.to_dict() == pytest.approx({"price": 0.1, "rating": 0.0, "delivery_days": 0.5,
                                            "assortment": 0.5, "return_rate": -0.2})


def test_shop_profile_by_hand():
    lines = pd.DataFrame({"order_id": ["O1", "O2", "O2"], "sku": ["A", "B", "C"],
                          "order_time": pd.to_datetime(["2025-01-01", "2025-01-02",
                                                        "2025-01-02"]),
                          "status": ["completed", "refunded", "refunded"]})
    products = PRODUCTS.assign(list_price=[99.0, 19.0, 9.0])
    reviews = pd.DataFrame({"sku": ["A", "B", "C"], "rating": [5, 3, 1]})
    shipments = pd.DataFrame({"order_id": ["O1", "O2"],
                              "delivered_time": pd.to_datetime(["2025-01-03", "2025-01-06"])})
    got = pr.shop_profile(lines, products, reviews, shipments, "pans", "A")
    assert got.to_dict() == pytest.approx({"price": 99.0, "rating": 4.0, "delivery_days": 3.0,
                                           "assortment": 2, "return_rate": 0.5})


# --- the Pareto / ABC explorer --------------------------------------------------------------

TOTALS = pd.DataFrame({"revenue": [500.0, 300.0, 150.0, 50.0], "units": [5, 30, 50, 15],
                       "contribution": [100.0, 150.0, 20.0, -10.0]},
                      index=pd.Index(["w", "x", "y", "z"], name="sku"))


def test_explorer_redraws_the_classes_of_the_chosen_metric():
    explorer = pareto_explorer(TOTALS)
    assert list(explorer.figure.data[0].x) == ["w", "x", "y", "z"]
    assert "2 A, 1 B, 1 C" in explorer.figure.layout.title.text
    explorer.metric.value = "units"
    assert list(explorer.figure.data[0].x) == ["y", "x", "z", "w"]
    assert explorer.figure.data[1].y[-1] == pytest.approx(1.0)
    explorer.a_threshold.value = 0.5
    assert explorer.classes()["abc"].to_dict() == {"y": "A", "x": "B", "z": "B", "w": "C"}
    assert "1 A, 2 B, 1 C" in explorer.figure.layout.title.text


def test_explorer_never_lets_b_end_before_a():
    explorer = pareto_explorer(TOTALS)
    explorer.b_threshold.value = 0.6
    explorer.a_threshold.value = 0.9
    assert (explorer.classes()["abc"] != "B").all()
