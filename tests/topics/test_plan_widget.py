"""The Double 11 plan simulator (shoplab.widgets.plan): it shows what the grader computes.

The widget must run a plan through the same functions 13.7 is graded by (`capstone.simulate`,
`score`, `warnings`), open on last year's plan, and never show the optimiser's plan or profit.
"""

from __future__ import annotations

import pytest

from shoplab import capstone, charts
from shoplab.shopgen import model
from shoplab.widgets.plan import PROFITS, SHARE, plan_simulator


@pytest.fixture(scope="module")
def simulator():
    return plan_simulator()


def test_it_opens_on_last_years_plan(simulator):
    baseline = capstone.baseline_plan()
    assert capstone.normalise(simulator.plan()) == baseline
    profit = capstone.simulate(baseline).profit
    assert list(simulator.figure.data[PROFITS].x) == pytest.approx([profit, profit])
    assert list(simulator.figure.data[SHARE].x) == pytest.approx([0.0])
    assert "no band yet" in simulator.readout.value
    assert all(w in simulator.readout.value for w in capstone.warnings(baseline))


def test_a_moved_control_is_scored_as_the_grader_scores_it(simulator):
    with simulator.holding_redraw():
        simulator.reduction.value = 0.0
        simulator.budget[capstone.CAMPAIGNS[-1]].value /= 2
        simulator.stock[capstone.STOCK_SKUS[0]].value -= 50
    plan = simulator.plan()
    score = capstone.score(plan)
    assert score.profit != pytest.approx(score.baseline)
    assert list(simulator.figure.data[PROFITS].x) == pytest.approx([score.baseline,
                                                                    score.profit])
    assert simulator.figure.data[PROFITS].text[1] == charts.fmt("yen")(score.profit)
    assert simulator.figure.data[SHARE].text[0] == charts.fmt("percent", 0)(score.share)
    assert all(w in simulator.readout.value for w in capstone.warnings(plan))
    reached = [capstone.BAND_WORDS[n] for n, ok in score.bands.items() if ok]
    assert (reached[-1] if reached else "no band yet") in simulator.readout.value


def test_another_priced_sku_starts_at_its_list_price_in_one_redraw(simulator):
    draws = []
    original = simulator._redraw
    simulator._redraw = lambda: (draws.append(1), original())
    assert simulator.price_sku.value == capstone.PRICEABLE[0]
    try:
        for sku in capstone.PRICEABLE[::-1]:  # each one another SKU than the one chosen
            simulator.price_sku.value = sku
            list_price = model.sku_table().at[sku, "list_price"]
            assert simulator.price.value == list_price
            assert simulator.price.min < list_price < simulator.price.max
            assert sku in simulator.figure.layout.title.text
    finally:
        simulator._redraw = original
    assert len(draws) == len(capstone.PRICEABLE)  # each pick of another SKU: one redraw


def test_it_never_shows_the_optimisers_plan_or_profit(simulator):
    best = capstone.simulate(capstone.best_plan()).profit
    shown = simulator.readout.value + simulator.figure.to_json()
    assert charts.fmt("yen")(best) not in shown and f"{best:,.0f}" not in shown
    assert repr(best) not in shown
    assert capstone.normalise(simulator.plan()) != capstone.best_plan()
