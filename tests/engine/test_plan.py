"""A Double 11 plan graded by the engine (graders.plan.Plan), before chapter 13 exists.

A throwaway exercise declares the answer as chapter 13 will (`THROWAWAY`, also fed to the
generated alternative-form and worse-plan tests in test_generated.py): the optimiser's plan
earns full marks however written, the bands give partial credit, last year's plan and a bad
plan earn nothing, a named mistake is recognised, a malformed plan gets a message naming the
field and 0 (never an exception out of `evaluate`), and no message shows the optimiser's plan.
"""

from __future__ import annotations

import copy
import math
import re

import pytest

from graders.cells import answer_format, heading
from graders.data import Data
from graders.engine import NOT_YET, PARTIAL, PASSED, evaluate
from graders.plan import Plan
from graders.spec import DECISION, Exercise, Mistake
from shoplab import capstone

POINTS = {"beats_baseline": 2, "quarter_way": 2, "half_way": 2, "three_quarters": 2,
          "matches_optimiser": 2}
UNCHANGED = ("This is last year's plan unchanged: it earns what last year earned. Change a "
             "lever the warnings name.")
THROWAWAY = Exercise(
    id="13.9", title="Plan Double 11 (engine test)", kind=DECISION, name="plan",
    answer=Plan(), reference=lambda data: capstone.best_plan(), points=POINTS,
    hints=("Run `capstone.simulate(plan)` and read `capstone.warnings(plan)`.",),
    mistakes=(Mistake("last year's plan", lambda data: capstone.baseline_plan(), UNCHANGED,
                      part="beats_baseline"),),
)


@pytest.fixture(scope="module")
def data():
    return Data()


def grade(answer, data):
    return evaluate(THROWAWAY, answer, hidden=True, data=data)


def test_the_optimisers_plan_earns_full_marks(data):
    for hidden in (False, True):
        result = evaluate(THROWAWAY, capstone.best_plan(), hidden=hidden, data=data)
        assert result.status == PASSED and result.score == THROWAWAY.max_points, result.text()


def test_last_years_plan_earns_nothing_and_is_named(data):
    result = grade(capstone.baseline_plan(), data)
    assert result.status == NOT_YET and result.score == 0
    assert result.mistakes == ["last year's plan"]
    assert result.messages[0] == f"Band 'beats_baseline': {UNCHANGED}"


def test_the_bands_are_the_parts(data):
    base, best = capstone.baseline_plan(), capstone.best_plan()
    part_way = {**base, "ad_budget": {c: (base["ad_budget"][c] + best["ad_budget"][c]) / 2
                                      for c in capstone.CAMPAIGNS}}
    s = capstone.score(part_way)
    result = grade(part_way, data)
    assert result.status == PARTIAL
    assert result.score == sum(POINTS[b] for b, ok in s.bands.items() if ok)
    story = result.messages[0]
    assert f"¥{s.profit:,.0f}" in story and f"{s.share:.0%} of the way" in story
    assert all(m.startswith("Not reached: ") for m in result.messages)
    assert result.messages[-1] == f"Not reached: {capstone.BAND_WORDS['matches_optimiser']}."


def test_a_bad_plan_earns_nothing_and_says_why(data):
    from tests.topics.test_capstone import bad_plan

    result = grade(bad_plan(), data)
    assert result.status == NOT_YET and result.score == 0
    assert result.messages[0].startswith("Not reached: beats last year's plan.")
    assert "short of last year's plan" in result.messages[0]
    assert "Warnings:" in result.messages[0] and "peak day" in result.messages[0]


def test_same_plan_same_grade(data):
    plan = capstone.baseline_plan()
    assert grade(plan, data).as_data() == grade(copy.deepcopy(plan), data).as_data()


class Exploding(dict):
    def __getitem__(self, key):
        raise RuntimeError("boom")


@pytest.mark.parametrize(("label", "answer", "named"), [
    ("a number", 5, "The plan"),
    ("a list", [1, 2], "The plan"),
    ("missing field", {k: v for k, v in capstone.best_plan().items() if k != "stock"},
     "'stock'"),
    ("NaN budget", {**capstone.best_plan(), "ad_budget": {"AD01": math.nan}},
     "plan['ad_budget']['AD01']"),
    ("unknown SKU", {**capstone.best_plan(), "price": {"sku": "HW-777", "price": 10}},
     "plan['price']['sku']"),
    ("text stock", {**capstone.best_plan(), "stock": {**capstone.best_plan()["stock"],
                                                      "HW-003": "lots"}},
     "plan['stock']['HW-003']"),
    ("an object that raises", Exploding(capstone.best_plan()), "could not be read as a plan"),
])
def test_a_malformed_plan_gets_a_message_and_zero(label, answer, named, data):
    result = grade(answer, data)
    assert result.status == NOT_YET and result.score == 0, label
    assert len(result.messages) == 1 and named in result.messages[0], result.messages


def numbers(plan: dict) -> set[str]:
    """Every number of a plan as a message could print it."""
    out = set()
    for part in plan.values():
        for v in part.values():
            if isinstance(v, float) and v >= 100:
                out |= {f"{v:g}", f"{v:,.0f}", f"{v:.0f}", f"{v:,.2f}"}
    return out


def test_no_message_shows_the_optimisers_plan(data):
    from tests.topics.test_capstone import bad_plan

    best = capstone.best_plan()
    shown = numbers(best)
    base = capstone.baseline_plan()
    for plan in (base, bad_plan(), {**base, "promotion": best["promotion"]}):
        text = grade(plan, data).text()
        leaked = {n for n in shown if re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d,%])", text)}
        assert not leaked, leaked


def test_the_instructions_state_the_rule_and_the_points():
    assert heading(THROWAWAY).endswith("(10 points, 2 per band)")
    words = answer_format(THROWAWAY)
    assert capstone.rule() in words and all(s in words for s in capstone.STOCK_SKUS)
