"""Generated over every exercise spec at once, so a new exercise gets these tests for free.

* **Alternative forms**: the reference answer rewritten the many ways a learner writes a right
  answer (numpy vs Python scalars, int vs float labels, dates as text, a key as a column, other
  column/row orders, renamed index, tuples and sets, renamed parameters) must earn full marks.
* **Mutants**: the reference of every function exercise, mutated with `ast` (flip a comparison,
  swap a boundary, drop a guard, replace an operand, return early), must fail on the public +
  held-back cases, except the equivalent mutants on `EQUIVALENT` (each with a reason).
* **Unnamed wrong answers**: a corpus of mistakes the specs do not name (scale factors, a shifted
  window, a sign, one row wrong, a dropped row, a rounded-too-early value) must never get a false
  diagnosis; the share that gets a specific one is reported and must be at least 60 %.
"""

from __future__ import annotations

import ast
import inspect
import itertools
import re
import textwrap

import numpy as np
import pandas as pd
import pytest

from graders import registry
from graders.answers import Function, Label, LabelSet, Number, Series, Table, parameters
from graders.data import Data
from graders.engine import PASSED, evaluate
from graders.plan import Plan
from tests.engine.test_plan import THROWAWAY

EXERCISES = [ex for chapter in registry.chapters() for ex in registry.exercises(chapter)]
VALUES = [ex for ex in EXERCISES if not isinstance(ex.answer, Function)]
FUNCTIONS = [ex for ex in EXERCISES if isinstance(ex.answer, Function)]


@pytest.fixture(scope="module")
def data():
    return Data()


# --- alternative forms --------------------------------------------------------------------------

def _relabel(index: pd.Index) -> list[pd.Index]:
    """The same labels in other dtypes: int as float, numbers and dates as text."""
    forms = []
    if pd.api.types.is_integer_dtype(index):
        forms.append(index.astype(float))
    if pd.api.types.is_numeric_dtype(index):
        forms.append(pd.Index([str(v) for v in index]))
    if pd.api.types.is_datetime64_any_dtype(index):
        forms.append(pd.Index([str(v.date()) for v in index]))
    if pd.api.types.is_object_dtype(index) or pd.api.types.is_string_dtype(index):
        forms.append(pd.Index(list(index), dtype=object).astype("category"))
    return forms


def alternative_forms(kind, value) -> list[tuple[str, object]]:
    """Right answers written differently, for an answer kind and its reference value."""
    if isinstance(kind, Number):
        number = float(kind.prepare(value))
        forms = [("numpy float", np.float64(number)), ("one-value Series", pd.Series([number])),
                 ("rounded to the stated precision", round(number, min(kind.decimals, 12)))]
        if number.is_integer():
            forms.append(("numpy int", np.int64(number)))
        return forms
    if isinstance(kind, Label):
        label = kind.prepare(value)
        forms = [("in a one-element list", [label]), ("numpy scalar", np.array([label])[0])]
        if isinstance(label, str):
            forms += [("upper case", label.upper()), ("padded", f"  {label} ")]
        return forms
    if isinstance(kind, LabelSet):
        items = list(value)
        return [("tuple", tuple(items)), ("set", set(items)), ("reversed list", items[::-1]),
                ("Series", pd.Series(items)), ("Index", pd.Index(items)),
                ("upper case", [str(v).upper() if isinstance(v, str) else v for v in items])]
    if isinstance(kind, Series):
        series = kind.prepare(value)
        forms = [("dict", series.to_dict()), ("one-column DataFrame", series.to_frame("x")),
                 ("renamed index", series.rename_axis("key")), ("renamed", series.rename("v"))]
        if not kind.ordered:
            forms.append(("reversed rows", series.iloc[::-1]))
        forms += [(f"labels as {index.dtype}", series.set_axis(index))
                  for index in _relabel(series.index)]
        return forms
    if isinstance(kind, Table):
        table = kind.prepare(value)
        columns = list(kind.columns)
        forms = [("key as a column", table.reset_index().rename(columns={"index": kind.index})
                  .rename(columns={table.index.name or "index": kind.index})),
                 ("columns reversed", table[columns[::-1]]), ("rows reversed", table.iloc[::-1]),
                 ("index renamed", table.rename_axis("key")),
                 ("an extra column", table.assign(extra_note="x"))]
        forms += [(f"key as {index.dtype}", table.set_axis(index)) for index in
                  _relabel(table.index)]
        return forms
    if isinstance(kind, Plan):
        return plan_forms(kind.prepare(value))
    raise TypeError(type(kind).__name__)


def plan_forms(plan: dict) -> list[tuple[str, object]]:
    """The same plan written as learners write it."""
    def whole(x):
        return int(x) if float(x).is_integer() else x

    ints = {k: ({kk: whole(vv) if isinstance(vv, float) else vv for kk, vv in v.items()})
            for k, v in plan.items()}
    return [
        ("whole numbers as ints", ints),
        ("numpy numbers", {k: {kk: np.float64(vv) if isinstance(vv, float) else vv
                               for kk, vv in v.items()} for k, v in plan.items()}),
        ("keys in reverse order", {k: dict(reversed(list(plan[k].items())))
                                   for k in reversed(list(plan))}),
        ("Series for the dicts", {**plan, "stock": pd.Series(plan["stock"]),
                                  "ad_budget": pd.Series(plan["ad_budget"])}),
        ("priced SKU in lower case", {**plan, "price": {**plan["price"],
                                                        "sku": plan["price"]["sku"].lower()}}),
    ]


def worse_plans(plan: dict) -> list[tuple[str, dict]]:
    """The plan's mutants: one lever pulled the wrong way, each a plan that earns less."""
    top = max(plan["stock"], key=plan["stock"].get)
    return [
        ("best seller not stocked", {**plan, "stock": {**plan["stock"], top: 0.0}}),
        ("every budget tripled", {**plan, "ad_budget": {k: 3 * v + 3000 for k, v in
                                                         plan["ad_budget"].items()}}),
        ("a 满减 that gives half away", {**plan, "promotion": {"threshold": 100.0,
                                                               "reduction": 50.0}}),
        ("the priced SKU at half price", {**plan, "price": {
            **plan["price"], "price": plan["price"]["price"] / 2}}),
    ]


def renamed_parameters(reference):
    """The reference with its parameters renamed (a learner's own names), called by position."""
    order = parameters(reference)
    names = [f"my_{name}" for name in order]
    namespace = {"reference": reference}
    exec(f"def renamed({', '.join(names)}):\n    return reference({', '.join(names)})",
         namespace)
    return namespace["renamed"]


def numpy_returns(reference):
    def numpy_version(*args):
        out = reference(*args)
        return np.float64(out) if isinstance(out, float) else out
    numpy_version.__signature__ = inspect.signature(renamed_parameters(reference))
    return numpy_version


# The plan answer's throwaway exercise (tests/engine/test_plan.py) runs through the generated
# tests too, so the plan's forms and worse plans are tested before chapter 13 declares one.
PLAN_EXERCISES = [ex for ex in EXERCISES if isinstance(ex.answer, Plan)] + [THROWAWAY]

FORMS = []
for _ex in EXERCISES + [THROWAWAY]:
    if isinstance(_ex.answer, Function):
        FORMS += [(_ex, "renamed parameters"), (_ex, "numpy return values")]
    else:
        FORMS += [(_ex, name) for name, _ in alternative_forms(_ex.answer, _ex.reference(Data()))]


@pytest.mark.parametrize(("exercise", "form"), FORMS, ids=lambda x: getattr(x, "id", x))
def test_alternative_forms_earn_full_marks(exercise, form, data):
    if isinstance(exercise.answer, Function):
        answer = {"renamed parameters": renamed_parameters,
                  "numpy return values": numpy_returns}[form](exercise.reference)
    else:
        answer = dict(alternative_forms(exercise.answer, exercise.reference(data)))[form]
    result = evaluate(exercise, answer, hidden=True, data=data)
    assert result.status == PASSED, f"{form}: {result.text()}"


def test_alternative_forms_count(capsys):
    with capsys.disabled():
        print(f"\nalternative forms accepted: {len(FORMS)} over {len(EXERCISES)} exercises")
    assert len(FORMS) >= 3 * len(EXERCISES)


# --- mutants of function references ---------------------------------------------------------

SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
         ast.Eq: ast.NotEq, ast.NotEq: ast.Eq}
FLIPS = {ast.Lt: ast.Gt, ast.Gt: ast.Lt, ast.LtE: ast.GtE, ast.GtE: ast.LtE}
OPERATORS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult}

# (exercise id, mutant description) → why the mutant computes the same function on every input
# the exercise allows. Keep each reason to one line.
EQUIVALENT: dict[tuple[str, str], str] = {}


def mutants(function) -> list[tuple[str, ast.Module]]:
    """(description, mutated module) for each single mutation of `function`'s source."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(function)))
    sites = [node for node in ast.walk(tree)
             if isinstance(node, ast.Compare | ast.BinOp | ast.If | ast.Return | ast.IfExp)]
    found = []
    for number, node in enumerate(sites):
        line = getattr(node, "lineno", 0)
        changes = []
        if isinstance(node, ast.Compare):
            op = type(node.ops[0])
            if op in SWAPS:
                changes.append((f"line {line}: swap boundary", "ops", [SWAPS[op]()]))
            if op in FLIPS:
                changes.append((f"line {line}: flip comparison", "ops", [FLIPS[op]()]))
        if isinstance(node, ast.BinOp) and type(node.op) in OPERATORS:
            changes.append((f"line {line}: {type(node.op).__name__} replaced", "op",
                            OPERATORS[type(node.op)]()))
            changes.append((f"line {line}: left operand only", "drop", "left"))
            changes.append((f"line {line}: right operand only", "drop", "right"))
        if isinstance(node, ast.If):
            changes.append((f"line {line}: guard dropped", "test", ast.Constant(False)))
            changes.append((f"line {line}: guard always taken", "test", ast.Constant(True)))
        if isinstance(node, ast.IfExp):
            changes.append((f"line {line}: conditional always its else", "test",
                            ast.Constant(False)))
            changes.append((f"line {line}: conditional always its value", "test",
                            ast.Constant(True)))
        for description, attr, new in changes:
            mutated = ast.parse(textwrap.dedent(inspect.getsource(function)))
            target = [n for n in ast.walk(mutated)
                      if isinstance(n, ast.Compare | ast.BinOp | ast.If | ast.Return
                                    | ast.IfExp)][number]
            if attr == "drop":
                replacement = getattr(target, new)
                for parent in ast.walk(mutated):
                    for field, child in ast.iter_fields(parent):
                        if child is target:
                            setattr(parent, field, replacement)
                        elif isinstance(child, list) and target in child:
                            child[child.index(target)] = replacement
            else:
                setattr(target, attr, new)
            found.append((description, ast.fix_missing_locations(mutated)))
    body = tree.body[0].body
    for index, statement in enumerate(body[:-1]):
        if not isinstance(statement, ast.Return | ast.Expr):
            mutated = ast.parse(textwrap.dedent(inspect.getsource(function)))
            mutated.body[0].body.insert(index + 1, ast.Return(ast.Constant(0.0)))
            found.append((f"return early after statement {index + 1}",
                          ast.fix_missing_locations(mutated)))
    seen: dict[str, int] = {}
    unique = []
    for description, module in found:  # two sites on one line get "(2)", "(3)", …
        seen[description] = seen.get(description, 0) + 1
        count = seen[description]
        unique.append((description if count == 1 else f"{description} ({count})", module))
    return unique


def compile_mutant(function, module: ast.Module):
    namespace = dict(function.__globals__)
    exec(compile(module, inspect.getsourcefile(function), "exec"), namespace)
    return namespace[function.__name__]


MUTANTS = [(ex, description) for ex in FUNCTIONS
           for description, _ in mutants(ex.reference)]


@pytest.mark.parametrize(("exercise", "description"), MUTANTS,
                         ids=lambda x: getattr(x, "id", x))
def test_every_mutant_of_a_reference_is_caught(exercise, description, data):
    module = dict(mutants(exercise.reference))[description]
    mutant = compile_mutant(exercise.reference, module)
    result = evaluate(exercise, mutant, hidden=True, data=data)
    if (exercise.id, description) in EQUIVALENT:
        assert result.status == PASSED, "no longer equivalent: take it off EQUIVALENT"
        return
    assert result.status != PASSED, (
        f"mutant survives ({description}): add a public or held-back case that tells it apart")


PLAN_MUTANTS = [(ex, name) for ex in PLAN_EXERCISES
                for name, _ in worse_plans(ex.answer.prepare(ex.reference(Data())))]


@pytest.mark.parametrize(("exercise", "description"), PLAN_MUTANTS,
                         ids=lambda x: getattr(x, "id", x))
def test_every_worse_plan_loses_points(exercise, description, data):
    best = exercise.answer.prepare(exercise.reference(data))
    plan = dict(worse_plans(best))[description]
    result = evaluate(exercise, plan, hidden=True, data=data)
    assert result.score < exercise.max_points, f"{description}: {result.text()}"


def test_mutant_count(capsys):
    with capsys.disabled():
        print(f"\nmutants of {len(FUNCTIONS)} function references: {len(MUTANTS)}, "
              f"{len(EQUIVALENT)} allowed as equivalent")
    assert len(MUTANTS) >= 2 * len(FUNCTIONS)


# --- unnamed wrong answers: true and specific diagnoses ----------------------------------------

GENERIC = ("is not the one the data points to", "Not the right set")


def wrong_series(series: pd.Series) -> list[tuple[str, pd.Series, tuple[str, ...]]]:
    """(what was done, the wrong Series, words a true diagnosis must contain)."""
    values = series.astype(float)
    n = len(values)
    wrong = [
        ("×100", values * 100, ("100 times too large", "looks like a percentage")),
        ("÷7", values / 7, ("7 times too small",)),
        ("×(1 − 13 %)", values * 0.87, ("same factor", "too low")),
        ("+3", values + 3, ("same amount",)),
        ("drop first row", values.iloc[1:], ("missing",)),
        ("drop last row", values.iloc[:-1], ("missing",)),
        ("one row doubled", values.where(values.index != values.index[0], values * 2 + 1),
         ("1 of",)),
    ]
    if (values != 0).all():
        wrong.append(("sign", -values, ("sign",)))
    if n > 2 and values.nunique() == n:
        wrong.append(("shifted", pd.Series(np.roll(values.to_numpy(), 1), index=values.index),
                      ("shifted", "differ")))
    return wrong


def wrong_numbers(kind: Number, number: float) -> list[tuple[str, float, tuple[str, ...]]]:
    higher, lower = ("Too high", "Too low") if number > 0 else ("Too low", "Too high")
    wrong = [("×100", number * 100, ("100 times", "looks like a percentage")),
             ("÷7", number / 7, ("7 times",)), ("×2", number * 2, ("2 times",)),
             ("×(1 − 13 %)", number * 0.87, (lower,)), ("+ 11 %", number * 1.11, (higher,))]
    if number:
        wrong.append(("sign", -number, ("sign",)))
    rounded = round(number, max(kind.decimals - 2, 0))
    if not kind.close(rounded, number):
        wrong.append(("rounded too early", rounded, ("rounded too early",)))
    return wrong


def corpus(exercise, data):
    kind, value = exercise.answer, exercise.reference(data)
    if isinstance(kind, Number):
        number = kind.prepare(value)
        return [] if number in (0.0, float("inf")) else wrong_numbers(kind, number)
    if isinstance(kind, Series):
        return wrong_series(kind.prepare(value))
    if isinstance(kind, Table):
        table = kind.prepare(value)
        out = []
        for column, column_kind in kind.columns.items():
            if isinstance(column_kind, Number) and pd.api.types.is_numeric_dtype(table[column]):
                for what, wrong, words in wrong_series(table[column]):
                    if len(wrong) == len(table):
                        out.append((f"{column}: {what}", table.assign(**{column: wrong}), words))
        return out
    return []


CORPUS_EXERCISES = [ex for ex in VALUES if isinstance(ex.answer, Number | Series | Table)]

NUMBER = re.compile(r"-?\d[\d,]*(?:\.\d+)?")
COUNT_OF = re.compile(r"\d[\d,]* of \d[\d,]*")  # "3 of 40 values differ" counts rows


def numbers_in(value) -> np.ndarray:
    """Every finite number in an answer (a scalar, a Series or a table's numeric columns)."""
    if isinstance(value, pd.DataFrame):
        value = value.select_dtypes("number").to_numpy().ravel()
    array = np.asarray(value, dtype=float).ravel()
    return array[np.isfinite(array)]


def stated_values(message: str) -> list[float]:
    """The numbers a message states, with at least three significant digits (so "2 times" or
    "1 of 40 rows" never count as giving an answer away)."""
    found = []
    for text in NUMBER.findall(COUNT_OF.sub("", message)):
        digits = text.replace(",", "").replace("-", "").replace(".", "").lstrip("0")
        if len(digits) >= 3:
            found.append(float(text.replace(",", "")))
    return found


def states_the_expected(message: str, expected, given) -> list[float]:
    """Numbers in `message` that are the expected answer's (and not the learner's own)."""
    want, have = numbers_in(expected), numbers_in(given)

    def near(x, pool):
        return pool.size and bool(np.isclose(pool, x, rtol=1e-3, atol=0).any()
                                  or np.isclose(pool * 100, x, rtol=1e-3, atol=0).any())

    return [x for x in stated_values(message) if near(x, want) and not near(x, have)]


def test_unnamed_wrong_answers_get_true_specific_diagnoses(data, capsys):
    specific, total, false = 0, 0, []
    for exercise in CORPUS_EXERCISES:
        for what, wrong, words in corpus(exercise, data):
            result = evaluate(exercise, wrong, data=data)
            if result.status == PASSED or result.mistakes:
                continue  # a rewrite that happens to be right, or a named mistake: not ours
            total += 1
            text = " ".join(result.messages)
            if leaked := states_the_expected(text, exercise.answer.prepare(
                    exercise.reference(data)), wrong):
                false.append((exercise.id, what, f"states the expected value {leaked}: {text}"))
            if "rounded too early" in text and what != "rounded too early":
                false.append((exercise.id, what, text))
            if "times too" in text and not any(f in what for f in ("×", "÷", "doubled")):
                false.append((exercise.id, what, text))
            if any(word in text for word in words):
                specific += 1
            elif not any(g in text for g in GENERIC) or "Too " in text:
                false.append((exercise.id, what, text))  # a wrong direction is a false one
    share = specific / total
    with capsys.disabled():
        print(f"\nunnamed wrong answers: {total}, specific true diagnosis: {specific} "
              f"({share:.0%}), false: {len(false)}")
    assert not false, false[:5]
    assert share >= 0.6


def test_the_leak_detector_finds_an_expected_value_and_ignores_small_counts():
    assert states_the_expected("It should be 1,234.56 yuan.", 1234.56, 99.0) == [1234.56]
    assert states_the_expected("That is 12.35 %; check the denominator.", 0.12345, 0.5) == [12.35]
    assert not states_the_expected("2 times too small: 1 of 40 rows differ.", 1234.56, 617.28)
    assert not states_the_expected("You gave 617.28.", 1234.56, 617.28)
    assert not states_the_expected("1234 of 1234 values differ.", [1234.0, 5.0], [0.0, 1.0])


# --- named mistakes: distinguishable from the reference and from each other -------------------

@pytest.mark.parametrize("exercise", [ex for ex in EXERCISES if ex.mistakes],
                         ids=lambda e: e.id)
def test_named_mistakes_differ_from_the_reference_and_each_other(exercise, data):
    """Each mistake's own answer is graded as that mistake, not as another or as right: the
    answer of mistake A is never accepted, and is attributed to A, not to a mistake before it."""
    from tests.engine.test_exercises import learner_answer

    for a, b in itertools.combinations(exercise.mistakes, 2):
        if a.part != b.part:
            continue
        result_b = evaluate(exercise, learner_answer(exercise, data, b), hidden=True, data=data)
        assert result_b.status != PASSED
        assert a.name not in result_b.mistakes or b.name in result_b.mistakes, (
            f"{b.name}'s answer is taken for {a.name}: they cannot be told apart")
