"""Every exercise spec, tested both ways, and every source notebook's layout.

For each exercise in each `graders/chapters/chNN.py`: the reference passes (held-back cases
included), each named mistake's own answer fails with exactly its message, a blank is
"not attempted", and no message states the expected value. For each source notebook: one
grade cell per exercise, worth the spec's points, exactly as `graders.cells` renders it (the
check and the tamper-resistant hidden grade), and a worked solution for every exercise.
"""

import re
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from graders import registry
from graders.answers import Function, Label, Number, Table
from graders.cells import grade_source, solution_code, solution_text, source_path
from graders.chapter import exercise_of, written_id
from graders.data import Data
from graders.engine import BLANK, PASSED, evaluate
from graders.spec import DECISION, DIAGNOSIS

ROOT = Path(__file__).resolve().parents[2]
EXERCISES = [ex for chapter in registry.chapters() for ex in registry.exercises(chapter)]
MISTAKES = [(ex, m) for ex in EXERCISES for m in ex.mistakes]


@pytest.fixture(scope="module")
def data():
    return Data()


def learner_answer(exercise, data, mistake=None):
    """What a learner would hand in: the reference, or the answer a mistake produces."""
    if isinstance(exercise.answer, Function):
        return mistake.answer if mistake else exercise.reference
    answer = exercise.reference(data)
    if mistake is None:
        return answer
    if mistake.part is None or not isinstance(exercise.answer, Table):
        return mistake.answer(data)  # a plan's mistake is the whole wrong plan
    table = exercise.answer.prepare(answer).copy()
    wrong = pd.Series(mistake.answer(data))
    wrong.index = wrong.index.map(str)
    table.index = table.index.map(str)
    table[mistake.part] = wrong.reindex(table.index).to_numpy()
    return table


def test_there_are_exercises():
    assert EXERCISES, "no chapter modules found in graders/"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_reference_passes_public_and_hidden(exercise, data):
    for hidden in (False, True):
        result = evaluate(exercise, learner_answer(exercise, data), hidden=hidden, data=data)
        assert result.status == PASSED, result.text()
        assert result.score == exercise.max_points


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_blank_is_not_attempted(exercise, data):
    assert evaluate(exercise, ..., data=data).status == BLANK


@pytest.mark.parametrize(("exercise", "mistake"), MISTAKES,
                         ids=lambda x: getattr(x, "id", None) or getattr(x, "name", ""))
def test_each_mistake_fails_with_its_own_message(exercise, mistake, data):
    result = evaluate(exercise, learner_answer(exercise, data, mistake), data=data)
    assert result.status != PASSED
    assert mistake.name in result.mistakes, result.text()
    assert any(message.endswith(mistake.message) for message in result.messages)


SCALAR_MISTAKES = [(ex, m) for ex, m in MISTAKES if isinstance(ex.answer, Number | Label)]


@pytest.mark.parametrize(("exercise", "mistake"), SCALAR_MISTAKES,
                         ids=lambda x: getattr(x, "id", None) or getattr(x, "name", ""))
def test_feedback_never_states_the_answer(exercise, mistake, data):
    """Per-case and per-column values are covered in test_engine; here, whole answers."""
    expected = exercise.answer.prepare(exercise.reference(data))
    text = evaluate(exercise, learner_answer(exercise, data, mistake), data=data).text()
    if isinstance(expected, str):
        assert expected.casefold() not in text.casefold()
        return
    for shown in {f"{expected:g}", f"{expected:.2f}", f"{expected:,.2f}"}:
        assert not re.search(rf"(?<![\d.]){re.escape(shown)}(?![\d])", text), shown


def test_ids_are_unique_and_match_their_chapter():
    ids = [ex.id for ex in EXERCISES]
    assert len(ids) == len(set(ids))
    for chapter in registry.chapters():
        for ex in registry.exercises(chapter):
            assert re.fullmatch(rf"{chapter}\.\d+", ex.id), ex.id


def source_notebook(chapter):
    return source_path(chapter, ROOT)


@pytest.mark.parametrize("chapter", registry.chapters())
def test_source_notebook_has_one_grade_cell_per_exercise(chapter):
    nb = nbformat.read(source_notebook(chapter), as_version=4)
    graded, by_hand = {}, {written_id(w.id): w for w in registry.written(chapter)}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and meta.get("grade_id") in by_hand:
            # A written answer: a manually graded markdown cell the learner writes in.
            written = by_hand.pop(meta["grade_id"])
            assert cell.cell_type == "markdown" and meta.get("solution"), written.id
            assert not meta.get("locked") and float(meta["points"]) == written.max_points
        elif meta.get("grade"):
            exercise_id = exercise_of(meta.get("grade_id", ""))
            assert exercise_id, f"grade cell {meta.get('grade_id')} is not named exNN_M"
            spec = registry.find(exercise_id)
            assert cell.source == grade_source(spec), (
                f"grade cell {meta['grade_id']} is not the rendered check + hidden grade: "
                "run `make release`")
            assert meta.get("locked"), f"grade cell {meta.get('grade_id')} must be locked"
            assert exercise_id not in graded, f"two grade cells for {exercise_id}"
            graded[exercise_id] = float(meta["points"])
    spec = {ex.id: ex.max_points for ex in registry.exercises(chapter)}
    assert graded == spec
    assert not by_hand, f"written answers without their cell: {sorted(by_hand)}"
    assert nb.cells[-1].source.strip() == f'progress("{chapter}")'


def decision_share(chapter) -> float:
    """Share of a chapter's points on decisions and diagnoses (the rest are computations)."""
    exercises = registry.exercises(chapter)
    judged = sum(ex.max_points for ex in exercises if ex.kind in (DECISION, DIAGNOSIS))
    return judged / sum(ex.max_points for ex in exercises)


def test_half_of_each_chapters_points_are_decisions_or_diagnoses(capsys):
    shares = {chapter: decision_share(chapter) for chapter in registry.chapters()}
    with capsys.disabled():
        print("\nShare of points on decisions and diagnoses:")
        for chapter, share in shares.items():
            print(f"  {chapter}: {share:.0%}{'' if share >= 0.5 else '  (under 50 %)'}")
    short = {chapter for chapter, share in shares.items() if share < 0.5}
    assert not short, f"under half on decisions/diagnoses: {short}"


@pytest.mark.parametrize("exercise", EXERCISES, ids=lambda e: e.id)
def test_solution_comes_from_the_source_notebooks_solution_region(exercise):
    text = solution_text(exercise.id, ROOT)
    assert text and "SOLUTION" not in text and exercise.name in text
    assert not any(line.strip().startswith(f"{exercise.name} = ...")
                   for line in text.splitlines())


def test_solution_code_drops_markers_and_the_placeholder_only():
    cell = "x = ...  # a number\n### BEGIN SOLUTION\ny = 2\nx = y * 3\n### END SOLUTION"
    assert solution_code(cell) == "y = 2\nx = y * 3"
    body = ('def f(a):\n    """Doc."""\n'
            "    ### BEGIN SOLUTION\n    return a\n    ### END SOLUTION")
    assert solution_code(body) == 'def f(a):\n    """Doc."""\n    return a'


def test_no_solution_where_the_course_has_no_source_folder(tmp_path):
    assert solution_text("04.1", tmp_path) is None
