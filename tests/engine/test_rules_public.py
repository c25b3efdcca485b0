"""A ✓ covers every rule the instructions state: held-back cases reach no new code.

The instructions of a function exercise state its rules ("return math.inf when the discount is
as deep as the margin"), and each rule is a branch of the reference. If only a held-back case
took that branch, a learner could see ✓ from `check` and then lose the points at grading for a
rule they were told. So, traced line by line over the reference and the shop's own formulas it
calls: every line a held-back case executes, some public case executes too. Held-back cases are
then what they are for — other inputs through the same rules, to catch hard-coding.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from graders import registry
from graders.answers import Function
from graders.data import Data

ROOT = Path(__file__).resolve().parents[2]
TRACED = (str(ROOT / "shoplab"), str(ROOT / "graders" / "chapters"))
FUNCTIONS = [ex for chapter in registry.chapters() for ex in registry.exercises(chapter)
             if isinstance(ex.answer, Function)]


@pytest.fixture(scope="module")
def data():
    return Data()


def lines_run(function, inputs) -> set[tuple[str, int]]:
    """(file, line) of every line of the shop's code that `function(**inputs)` executes."""
    seen: set[tuple[str, int]] = set()

    def tracer(frame, event, _arg):
        filename = frame.f_code.co_filename
        if not filename.startswith(TRACED):
            return None
        if event == "line":
            seen.add((filename, frame.f_lineno))
        return tracer

    previous = sys.gettrace()
    sys.settrace(tracer)
    try:
        function(**inputs)
    finally:
        sys.settrace(previous)
    return seen


def source_line(place: tuple[str, int]) -> str:
    filename, number = place
    text = Path(filename).read_text(encoding="utf-8").splitlines()[number - 1].strip()
    return f"{Path(filename).relative_to(ROOT)}:{number}: {text}"


def test_every_function_exercise_is_traced():
    assert FUNCTIONS, "no function exercises found"
    assert all(ex.cases for ex in FUNCTIONS)


@pytest.mark.parametrize("exercise", FUNCTIONS, ids=lambda ex: ex.id)
def test_held_back_cases_reach_no_rule_the_public_cases_miss(exercise, data):
    public = set().union(*(lines_run(exercise.reference, case.resolve(data))
                           for case in exercise.cases))
    assert public, f"{exercise.id}: tracing saw none of the reference's lines"
    for case in exercise.hidden:
        new = lines_run(exercise.reference, case.resolve(data)) - public
        assert not new, (
            f"{exercise.id}: the held-back case {case.label!r} is the only one to run "
            + "; ".join(source_line(p) for p in sorted(new))
            + " — move that case (or one like it) to the public cases")
