"""The exercise engine's comparison rules and feedback, on small specs built here.

Chapter specs are tested generically in test_exercises.py; this file pins down the engine's
own behaviour (tolerances, percent-vs-fraction, shapes, mistakes, blanks, hidden cases).
"""

import types

import numpy as np
import pandas as pd
import pytest

from graders.answers import Function, Label, LabelSet, Number, Series, Table
from graders.engine import BLANK, NOT_YET, PARTIAL, PASSED, evaluate
from graders.spec import Case, Exercise, Mistake

PRODUCTS = pd.DataFrame(
    {"sku": ["A", "B", "C"], "list_price": [199.0, 89.0, 59.9], "unit_cost": [100.0, 40.0, 30.0]}
)
DATA = types.SimpleNamespace(products=PRODUCTS)


def margin(d):
    p = d.products.set_index("sku")
    return (p.list_price - p.unit_cost) / p.list_price


def markup(d):
    p = d.products.set_index("sku")
    return (p.list_price - p.unit_cost) / p.unit_cost


MARGIN = Exercise(
    id="99.1", title="Margin", answer=Series("fraction"), reference=margin,
    mistakes=(Mistake("markup_for_margin", markup, "That is markup, not margin."),),
    points=2, kind="computation", hints=("one", "two"), name="margin",
)


def run(exercise, answer, **kw):
    return evaluate(exercise, answer, data=DATA, **kw)


def test_right_answer_passes_in_any_row_order_and_index_dtype():
    right = margin(DATA)
    assert run(MARGIN, right).status == PASSED
    assert run(MARGIN, right.iloc[::-1]).status == PASSED
    assert run(MARGIN, right.to_dict()).status == PASSED
    assert run(MARGIN, right.to_frame("m")).status == PASSED
    assert run(MARGIN, right.round(4)).status == PASSED


def test_named_mistake_gets_its_message():
    result = run(MARGIN, markup(DATA))
    assert result.status == NOT_YET
    assert result.messages == ["That is markup, not margin."]
    assert result.mistakes == ["markup_for_margin"]


def test_percent_given_for_fraction_is_named_without_stating_the_answer():
    result = run(MARGIN, margin(DATA) * 100)
    assert result.status == NOT_YET
    assert "looks like a percentage" in result.messages[0]


def test_blank_and_wrong_type_and_wrong_labels():
    assert run(MARGIN, ...).status == BLANK
    assert run(MARGIN, None).status == BLANK
    assert "pandas Series" in run(MARGIN, 0.4).messages[0]
    wrong_index = run(MARGIN, margin(DATA).reset_index(drop=True))
    assert "labels (index) are not right" in wrong_index.messages[0]


def test_messages_never_state_the_expected_values():
    wrong = margin(DATA) + 0.1
    text = run(MARGIN, wrong).text()
    for value in margin(DATA):
        assert f"{value:g}" not in text and f"{value:.4f}" not in text


@pytest.mark.parametrize(
    ("given", "ok"),
    [(12.345, True), (np.float32(12.345), True), (12.349, True), (12.356, False),
     (pd.Series([12.345]), True), ("12.345", False), (True, False)],
)
def test_yuan_are_checked_to_the_fen(given, ok):
    ex = Exercise(id="99.2", title="Amount", answer=Number("yuan"),
                  reference=lambda d: 12.345, points=1,
                  kind="computation", hints=("h",), name="answer")
    assert (run(ex, given).status == PASSED) is ok


def test_nan_and_text_get_plain_messages():
    ex = Exercise(id="99.3", title="Rate", answer=Number("fraction"),
                  reference=lambda d: 0.25, points=1, kind="computation", hints=("h",),
                  name="answer")
    assert "NaN" in run(ex, float("nan")).messages[0]
    assert "without ¥ or %" in run(ex, "25%").messages[0]
    assert "percentage" in run(ex, 25).messages[0]
    assert "close" not in run(ex, 0.2501).messages[0]  # near is not rounded: too high
    assert "Too high" in run(ex, 0.2501).messages[0]


def test_very_close_only_when_the_answer_is_the_reference_rounded_too_early():
    ex = Exercise(id="99.3", title="Rate", answer=Number("fraction"),
                  reference=lambda d: 0.253471, points=1, kind="computation", hints=("h",),
                  name="answer")
    assert run(ex, 0.2535).status == PASSED  # to 4 decimals, as stated
    for rounded in (0.253, 0.25, 0.3):
        assert "rounded too early" in run(ex, rounded).messages[0], rounded
    for near in (0.2533, 0.2536, 0.2541):
        assert "close" not in run(ex, near).messages[0], near


def test_table_parts_earn_partial_credit():
    def metrics(d):
        p = d.products.set_index("sku")
        return pd.DataFrame({"margin": margin(d), "profit": p.list_price - p.unit_cost})

    ex = Exercise(
        id="99.4", title="Table",
        answer=Table("sku", {"margin": Number("fraction"), "profit": Number("yuan")}),
        reference=metrics, points={"margin": 2, "profit": 1},
        kind="computation", hints=("h",), name="answer",
        mistakes=(Mistake("markup", markup, "Markup, not margin.", part="margin"),),
    )
    right = metrics(DATA).reset_index()[["profit", "sku", "margin"]]  # column order is free
    assert run(ex, right).status == PASSED
    half = right.assign(margin=markup(DATA).to_numpy())
    result = run(ex, half)
    assert (result.status, result.score) == (PARTIAL, 1.0)
    assert result.messages == ["Column 'margin': Markup, not margin."]
    no_profit = run(ex, right.drop(columns="profit"))  # a missing column costs its points only
    assert (no_profit.status, no_profit.score) == (PARTIAL, 2.0)
    assert no_profit.messages == ["Column 'profit' is missing from your table."]


class CountingTable(Table):
    """A Table that records every value it is asked to prepare."""

    def prepare(self, value):
        PREPARED.append(value)
        return super().prepare(value)


PREPARED: list = []


def test_the_learners_answer_is_prepared_once_and_the_kind_judges_each_part():
    def metrics(d):
        p = d.products.set_index("sku")
        return pd.DataFrame({"margin": margin(d), "profit": p.list_price - p.unit_cost})

    kind = CountingTable("sku", {"margin": Number("fraction"), "profit": Number("yuan")})
    ex = Exercise(id="99.10", title="Table", answer=kind, reference=metrics,
                  points={"margin": 2, "profit": 1}, kind="computation", hints=("h",),
                  name="answer",
                  mistakes=(Mistake("markup", markup, "Markup, not margin.", part="margin"),))
    learner = metrics(DATA).assign(margin=markup(DATA), profit=0.0)
    PREPARED.clear()
    result = run(ex, learner)
    assert sum(value is learner for value in PREPARED) == 1
    assert result.mistakes == ["markup"] and result.score == 0
    prepared = kind.prepare(learner)
    verdicts = kind.verdicts(prepared, kind.prepare(metrics(DATA)))
    assert set(verdicts) == {"margin", "profit"} and not any(v.ok for v in verdicts.values())
    assert verdicts["profit"].message.startswith("Column 'profit': ")


def test_labels_and_label_sets():
    top = Exercise(id="99.5", title="Top", answer=Label(), reference=lambda d: "Cookware",
                   points=1, kind="computation", hints=("h",), name="answer")
    assert run(top, "  cookware ").status == PASSED
    assert run(top, "Storage").status == NOT_YET
    losers = Exercise(id="99.6", title="Set", answer=LabelSet(), reference=lambda d: ["a", "b"],
                      points=1, kind="computation", hints=("h",), name="answer")
    assert run(losers, pd.Series(["b", "a"])).status == PASSED
    message = run(losers, ["a", "c"]).messages[0]
    assert "1 of your 2 do not belong" in message and "1 that belong are missing" in message


def uplift(margin, discount):
    return discount / (margin - discount) if margin > discount else float("inf")


UPLIFT = Exercise(
    id="99.7", title="Uplift", answer=Function(Number("fraction")), reference=uplift,
    mistakes=(Mistake("over_margin", lambda margin, discount: discount / margin, "d/m."),),
    cases=(Case("40% margin, 10% off", {"margin": 0.4, "discount": 0.1}),
           Case("50% margin, 20% off", {"margin": 0.5, "discount": 0.2})),
    hidden=(Case("a discount as deep as the margin", {"margin": 0.3, "discount": 0.3}),),
    points=2, kind="computation", hints=("h",), name="answer",
)


def test_function_answers_public_and_hidden_cases():
    def naive(margin, discount):
        return discount / (margin - discount)

    assert run(UPLIFT, uplift).status == PASSED
    assert run(UPLIFT, naive).status == PASSED  # the public cases cannot tell...
    hidden = run(UPLIFT, naive, hidden=True)  # ...the held-back edge case can
    assert hidden.status == NOT_YET
    assert "a discount as deep as the margin" in hidden.messages[0]
    assert "ZeroDivisionError" in hidden.messages[0]
    assert "a held-back case: grading adds it" in hidden.messages[0]
    assert "held-back" in run(UPLIFT, naive).headline()
    wrong_public = run(UPLIFT, lambda margin, discount: 0.5, hidden=True).messages[0]
    assert "held-back" not in wrong_public  # a public case fails first and says nothing of it


def test_function_mistake_blank_and_learner_cannot_mutate_inputs():
    assert run(UPLIFT, lambda margin, discount: discount / margin).messages == ["d/m."]

    def stub(margin, discount):
        """Only the docstring, as in the release notebook."""

    assert run(UPLIFT, stub).status == BLANK
    frame = pd.DataFrame({"x": [1.0, 2.0]})
    ex = Exercise(id="99.8", title="Sum", answer=Function(Number()),
                  reference=lambda df: float(df.x.sum()),
                  cases=(Case("two rows", {"df": frame}),), points=1,
                  kind="computation", hints=("h",), name="answer")

    def vandal(df):
        df["x"] = 0.0
        return 0.0

    assert run(ex, vandal).status == NOT_YET
    assert frame.x.tolist() == [1.0, 2.0]


def test_series_descriptions_read_as_plurals():
    assert Series("days").description == "a pandas Series of numbers of days"
    assert Series("yuan").description == "a pandas Series of amounts in ¥"
    assert Series("fraction").description == "a pandas Series of fractions"


def test_specs_are_validated_when_declared():
    with pytest.raises(ValueError, match="at least one hint"):
        Exercise(id="99.9", title="x", answer=Number(), reference=lambda d: 1, points=1,
                 kind="computation", hints=(), name="answer")
    with pytest.raises(ValueError, match="unknown part"):
        Exercise(id="99.9", title="x", answer=Table("k", {"a": Number()}),
                 reference=lambda d: 1, points={"b": 1},
                 kind="computation", hints=("h",), name="answer")


def test_a_mistake_is_named_even_when_the_edge_cases_are_handled():
    def over_margin_but_careful(margin, discount):
        return discount / margin if margin > discount else float("inf")

    result = run(UPLIFT, over_margin_but_careful, hidden=True)
    assert result.messages == ["d/m."]


def test_a_function_may_return_a_table_in_any_reasonable_shape():
    def metrics(products):
        p = products.set_index("sku")
        return pd.DataFrame({"profit": p.list_price - p.unit_cost})

    ex = Exercise(id="99.10", title="Table function", reference=metrics,
                  answer=Function(Table("sku", {"profit": Number("yuan")})),
                  cases=(Case("the catalogue", {"products": PRODUCTS}),),
                  points=1, kind="computation", hints=("h",), name="answer")
    assert run(ex, lambda products: metrics(products).reset_index()).status == PASSED
    as_series = run(ex, lambda products: metrics(products)["profit"])
    assert "asks for a table" in as_series.messages[0]


def test_a_finite_answer_where_none_exists_is_not_called_close():
    ex = Exercise(id="99.11", title="CPA", answer=Function(Number("yuan")),
                  reference=lambda spend, orders: spend / orders if orders else float("inf"),
                  cases=(Case("no orders", {"spend": 100.0, "orders": 0}),),
                  points=1, kind="computation", hints=("h",), name="answer")
    message = run(ex, lambda spend, orders: 0.0).messages[0]
    assert "close" not in message and "divide by is zero" in message


def test_labels_are_compared_as_values():
    prices = Exercise(id="99.12", title="By price", answer=Series("units"),
                      reference=lambda d: pd.Series([3.0, 5.0], index=[199, 200]),
                      points=1, kind="computation", hints=("h",), name="answer")
    for index in ([199.0, 200.0], np.array([199, 200], dtype=np.int32), ["199", "200"]):
        assert run(prices, pd.Series([3.0, 5.0], index=index)).status == PASSED, index
    days = Exercise(id="99.13", title="By day", answer=Series("count"),
                    reference=lambda d: pd.Series([1, 2], index=pd.to_datetime(
                        ["2025-03-01", "2025-03-02"])),
                    points=1, kind="computation", hints=("h",), name="answer")
    assert run(days, pd.Series([1, 2], index=["2025-03-01", "2025-03-02"])).status == PASSED
    missing_first = run(days, pd.Series([2], index=["2025-03-02"])).messages[0]
    assert "first day(s) of the window" in missing_first
    best = Exercise(id="99.14", title="Price", answer=Label(), reference=lambda d: 199,
                    points=1, kind="computation", hints=("h",), name="answer")
    for form in (199.0, np.int64(199), "199", [199]):
        assert run(best, form).status == PASSED, form
    assert "exactly one name" in run(best, [199, 200]).messages[0]


def test_container_rules_for_label_sets():
    losers = Exercise(id="99.6", title="Set", answer=LabelSet(), reference=lambda d: ["a"],
                      points=1, kind="computation", hints=("h",), name="answer")
    for form in (("a",), {"a"}, pd.Index(["A"]), np.array(["a"])):
        assert run(losers, form).status == PASSED, form
    assert "Put it in a list" in run(losers, "a").messages[0]


def test_function_answers_are_called_by_position():
    def my_names(m, d):
        return uplift(m, d)

    assert run(UPLIFT, my_names, hidden=True).status == PASSED
    wrong_arity = run(UPLIFT, lambda margin: 0.0).messages[0]
    assert "2 parameter(s), in this order: answer(margin, discount)" in wrong_arity


def test_an_answer_cell_that_did_not_run_is_said_so():
    from graders.engine import ANSWER_CELL_DID_NOT_RUN, NOT_RUN, lookup

    assert lookup("answer", {}) is ANSWER_CELL_DID_NOT_RUN
    result = run(MARGIN, lookup("answer", {}))
    assert result.status == NOT_RUN and "answer cell did not run" in result.headline()
    assert result.score == 0


def test_a_pass_shows_its_points_and_messages_never_double_punctuation():
    assert "(2 of 2 points)" in run(MARGIN, margin(DATA)).headline()
    raising = run(UPLIFT, lambda margin, discount: 1 / 0).messages[0]
    assert raising.endswith("division by zero.") and ".." not in raising


def test_the_last_hint_points_to_the_solution(capsys, monkeypatch):
    from graders import learner, registry

    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    exercise = registry.find("04.1")
    learner.hint("04.1", len(exercise.hints))
    assert 'solution("04.1")' in capsys.readouterr().out
    monkeypatch.setenv("SHOPLAB_SOLUTIONS", "off")
    learner.hint("04.1", len(exercise.hints))
    assert "solution(" not in capsys.readouterr().out


def test_a_failed_check_under_nbgrader_shows_one_line(monkeypatch):
    from graders import learner

    monkeypatch.setenv("NBGRADER_EXECUTION", "validate")
    with pytest.raises(learner.NotPassed) as raised:
        learner.check("04.1", ...)
    assert raised.value._render_traceback_() == ["04.1: not attempted yet"]
