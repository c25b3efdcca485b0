"""Chapter 13's plan: simulation, warnings, malformed plans, the optimiser and the score.

Must show (issue 24): a deliberately bad plan, the baseline and the optimiser's plan score in
that order; the same plan always scores the same; a malformed plan gets a clear message
(PlanError naming the field), never a crash. The stored reference plans must equal a fresh
run (staleness), and no single move of the stored optimum improves its profit.
"""

from __future__ import annotations

import copy
import math

import numpy as np
import pandas as pd
import pytest

from shoplab import capstone, load_table
from shoplab.instructor import capstone as writer
from shoplab.shopgen import model


@pytest.fixture(scope="module")
def fresh():
    """The reference plans computed now (the optimiser runs once for the module)."""
    return writer.fresh()


def bad_plan() -> dict:
    """Everything a learner can get wrong at once: no stock of the best sellers, the money
    on the campaigns that lose it, a 满减 that gives half the basket away, the lowest price
    its test tried."""
    plan = copy.deepcopy(capstone.baseline_plan())
    plan["stock"] = {s: 0 for s in capstone.STOCK_SKUS}
    plan["ad_budget"] = {"AD05": 20000, "AD07": 20000}
    plan["promotion"] = {"threshold": 100, "reduction": 60}
    plan["price"] = {"sku": "HW-001", "price": model.tested_prices("HW-001")[0]}
    return plan


def test_stored_reference_plans_are_fresh(fresh):
    """Regenerate with `python -m shoplab.instructor.capstone` when this fails."""
    assert capstone.baseline_plan() == fresh["baseline"]
    assert capstone.best_plan() == fresh["best"]


def test_baseline_is_last_years_plan():
    base = capstone.baseline_plan()
    ref = model.last_year(load_table("inventory"))
    assert base["ad_budget"] == {c: ref.ad_spend[c] for c in capstone.CAMPAIGNS}
    assert base["promotion"] == {"threshold": ref.threshold, "reduction": ref.reduction}
    assert base["stock"] == ref.stock
    sku = base["price"]["sku"]
    assert base["price"]["price"] == model.sku_table().at[sku, "list_price"]


def test_bad_plan_below_baseline_below_best_in_profit_and_score():
    bad, base, best = (capstone.score(p) for p in
                       (bad_plan(), capstone.baseline_plan(), capstone.best_plan()))
    assert bad.profit < base.profit < best.profit
    assert bad.share < base.share == 0 < best.share == pytest.approx(1.0)
    assert bad.fraction == base.fraction == 0 < best.fraction == 1
    assert all(best.bands.values()) and not any(base.bands.values())


def test_bands_follow_the_share():
    base, best = 1000.0, 3000.0  # share = (profit − 1000) ÷ 2000
    for profit, reached in ((900, 0), (1000, 0), (1001, 1), (1500, 2), (1499, 1), (2000, 3),
                            (2500, 4), (2959, 4), (2960, 5), (3500, 5)):
        assert sum(capstone.bands(profit, base, best).values()) == reached, profit
    # a band is reached only with every band below it
    for profit in range(900, 3200, 50):
        got = list(capstone.bands(profit, base, best).values())
        assert got == sorted(got, reverse=True), profit


def test_a_plan_part_of_the_way_scores_part_of_the_bands():
    """Half of last year's over-spend cut back: some of the way, not all."""
    base, best = capstone.baseline_plan(), capstone.best_plan()
    halfway = {**base, "ad_budget": {c: (base["ad_budget"][c] + best["ad_budget"][c]) / 2
                                     for c in capstone.CAMPAIGNS}}
    s = capstone.score(halfway)
    assert 0 < s.share < 1 and 0 < s.fraction < 1
    assert s.bands == capstone.bands(s.profit, s.baseline, s.best)


def test_same_plan_same_score_however_written():
    plan = capstone.baseline_plan()
    rewritten = {
        "price": {"price": int(plan["price"]["price"]), "sku": plan["price"]["sku"].lower()},
        "promotion": {"reduction": np.int64(plan["promotion"]["reduction"]),
                      "threshold": plan["promotion"]["threshold"]},
        "ad_budget": pd.Series(plan["ad_budget"])[::-1],
        "stock": {k: int(v) for k, v in plan["stock"].items()},
    }
    assert capstone.score(plan) == capstone.score(plan)
    assert capstone.score(rewritten).profit == pytest.approx(capstone.score(plan).profit)


def moves(plan: dict):
    """Every single move the optimiser's claim covers: a budget ±10 % (or to ¥100 from 0), a
    stock ±5 units, the 满减 to a neighbouring grid point, the price ¥1 up or down within the
    prices its test tried."""
    for c in capstone.CAMPAIGNS:
        v = plan["ad_budget"].get(c, 0.0)
        for new in ({v * 0.9, v * 1.1} if v else {100.0}):
            yield f"{c} ¥{new:.0f}", {**plan, "ad_budget": {**plan["ad_budget"], c: new}}
    for s in capstone.STOCK_SKUS:
        for d in (-5, 5):
            new = max(plan["stock"][s] + d, 0)
            yield f"{s} stock {new}", {**plan, "stock": {**plan["stock"], s: new}}
    t, r = plan["promotion"]["threshold"], plan["promotion"]["reduction"]
    for dt, dr in ((50, 0), (-50, 0), (0, 10), (0, -10)):
        if t + dt in capstone.THRESHOLDS and r + dr in capstone.REDUCTIONS and r + dr < t + dt:
            yield f"满减 {t + dt}/{r + dr}", {**plan, "promotion": {"threshold": t + dt,
                                                                   "reduction": r + dr}}
    sku, price = plan["price"]["sku"], plan["price"]["price"]
    low, high = model.tested_prices(sku)
    for p in {max(price - 1, low), min(price + 1, high)} - {price}:
        yield f"{sku} at ¥{p:.0f}", {**plan, "price": {"sku": sku, "price": p}}


WHOLE_YUAN = 1.0  # the search steps in whole yuan and units: a gain under ¥1 is within its step


def test_no_single_move_improves_the_optimisers_plan():
    best = capstone.best_plan()
    top = capstone.simulate(best).profit
    better = {name: round(capstone.simulate(p).profit - top, 2) for name, p in moves(best)
              if capstone.simulate(p).profit > top + WHOLE_YUAN}
    assert not better, f"moves that beat the stored optimum: {better}"


def test_optimiser_stock_is_the_newsvendor_quantity():
    best = capstone.best_plan()
    for s in capstone.STOCK_SKUS:
        assert abs(best["stock"][s] - capstone.newsvendor_stock(best, s)) <= 0.5
        mean, sd = model.demand(capstone._festival(best), s)
        assert best["stock"][s] > mean  # a lost sale costs more than a unit held over


def test_warnings_name_each_rule_on_the_bad_plan_and_none_on_the_best():
    found = capstone.warnings(bad_plan())
    text = " ".join(found)
    assert "peak day" in text and "AD05" in text and "AD07" in text
    assert "loses money per order" in text
    assert capstone.warnings(capstone.best_plan()) == []


def test_the_discount_warning_is_the_per_order_rule():
    plan = {**capstone.best_plan(), "promotion": {"threshold": 100, "reduction": 60}}
    out = capstone.simulate(plan).outcome
    assert out.discount > out.discounted_contribution > 0
    mild = {**plan, "promotion": {"threshold": 300, "reduction": 20}}
    assert not any("per order" in w for w in capstone.warnings(mild))


def test_budget_warning_is_the_marginal_rule():
    best = capstone.best_plan()
    for c in capstone.CAMPAIGNS:
        if best["ad_budget"].get(c, 0) > 0:
            assert capstone.marginal_return(best, c) >= 1.0, c
    over = {**best, "ad_budget": {**best["ad_budget"], "AD02": 3 * best["ad_budget"]["AD02"]}}
    assert capstone.marginal_return(over, "AD02") < 1.0
    assert any(w.startswith("AD02") for w in capstone.warnings(over))


def set_path(plan: dict, path: tuple, value) -> dict:
    plan = copy.deepcopy(plan)
    target = plan
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return plan


DELETE = object()
MALFORMED = [
    ("not a dict", None, "a dict", "The plan"),
    ("missing field", ("price",), DELETE, "'price'"),
    ("unknown field", ("coupon",), 5, "'coupon'"),
    ("unknown SKU", ("stock", "HW-999"), 10, "HW-999"),
    ("missing SKU", ("stock", "HW-001"), DELETE, "HW-001"),
    ("unknown campaign", ("ad_budget", "AD99"), 100, "AD99"),
    ("negative budget", ("ad_budget", "AD02"), -5, "plan['ad_budget']['AD02']"),
    ("text number", ("stock", "HW-002"), "200", "plan['stock']['HW-002']"),
    ("NaN", ("promotion", "threshold"), math.nan, "plan['promotion']['threshold']"),
    ("boolean", ("promotion", "reduction"), True, "plan['promotion']['reduction']"),
    ("reduction over threshold", ("promotion", "reduction"), 400, "reduction"),
    ("zero price", ("price", "price"), 0, "plan['price']['price']"),
    ("price outside its test", ("price", "price"), 79, "within the prices its test tried"),
    ("price of a SKU without elasticity", ("price", "sku"), "HW-005", "plan['price']['sku']"),
    ("wrong type", ("ad_budget",), [1, 2], "plan['ad_budget']"),
    ("missing reduction", ("promotion", "reduction"), DELETE, "'reduction'"),
]


@pytest.mark.parametrize(("label", "path", "value", "named"), MALFORMED,
                         ids=[m[0] for m in MALFORMED])
def test_malformed_plans_raise_a_plan_error_naming_the_field(label, path, value, named):
    plan = "a dict" if path is None else set_path(capstone.baseline_plan(), path, value)
    for function in (capstone.normalise, capstone.simulate, capstone.score, capstone.warnings):
        with pytest.raises(capstone.PlanError) as caught:
            function(plan)
        assert named in str(caught.value), (label, str(caught.value))
