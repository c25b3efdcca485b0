"""The class report counts mistakes from the results the engine publishes as data.

Graded cells run in a real kernel, as under nbgrader (`NBGRADER_EXECUTION` set): the hidden
grade publishes its result under `RESULT_MIME`, and the report counts mistakes by name. In
chapter 04's charm-price table (04.9), counting completed orders only is one message for two
mistakes, one per column; reading the message text would count each learner under both.
"""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient

from graders.cells import grade_source
from graders.chapter import grade_id
from graders.engine import RESULT_MIME
from graders.registry import find
from shoplab.instructor.course import NOTEBOOK, Course
from shoplab.instructor.report import graded_results, misconception_counts

pytestmark = pytest.mark.slow

EXERCISE = "04.9"
SHARED = ("completed_only", "completed_only_revenue")


def graded_notebook(mistake: str) -> nbformat.NotebookNode:
    """What autograde leaves: the answer cell, then the rendered grade cell, executed."""
    exercise = find(EXERCISE)
    answer = nbformat.v4.new_code_cell(  # the right table, with the mistake's column
        "import pandas as pd\n"
        "from graders import check\n"
        "from graders.data import Data\n"
        "from graders.registry import find\n"
        f"spec, data = find({EXERCISE!r}), Data()\n"
        "table = spec.answer.prepare(spec.reference(data)).copy()\n"
        f"wrong = next(m for m in spec.mistakes if m.name == {mistake!r})\n"
        "table[wrong.part] = pd.Series(wrong.answer(data)).reindex(table.index).to_numpy()\n"
        f"{exercise.name} = table")
    return executed(answer, exercise)


def executed(answer, exercise) -> nbformat.NotebookNode:
    """Run `answer` and `exercise`'s rendered grade cell in a kernel, as autograde does."""
    grade = nbformat.v4.new_code_cell(grade_source(exercise))
    grade.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id(exercise.id),
                                  "points": exercise.max_points}
    notebook = nbformat.v4.new_notebook(cells=[answer, grade])
    NotebookClient(notebook, timeout=120, allow_errors=True, kernel_name="python3").execute(
        env={**os.environ, "NBGRADER_EXECUTION": "autograde"})
    return notebook


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    for mistake in SHARED:
        folder = root / "autograded" / mistake / "ch04"
        folder.mkdir(parents=True)
        nbformat.write(graded_notebook(mistake), folder / NOTEBOOK.format(chapter="ch04"))
    return Course(root)


def test_the_two_mistakes_really_share_a_message():
    messages = {m.name: m.message for m in find(EXERCISE).mistakes}
    assert messages[SHARED[0]] == messages[SHARED[1]]


def test_each_learner_is_counted_under_their_own_mistake(course):
    rows = misconception_counts(course, "ch04", list(SHARED))
    counts = {r["mistake"]: r["learners"] for r in rows if r["exercise"] == EXERCISE}
    assert counts[SHARED[0]] == 1 and counts[SHARED[1]] == 1
    assert sum(counts.values()) == 2


def test_the_graded_cell_carries_its_result_as_data(course):
    path = course.root / "autograded" / SHARED[0] / "ch04" / NOTEBOOK.format(chapter="ch04")
    notebook = nbformat.read(path, as_version=4)
    [result] = graded_results(notebook)  # the hidden grade's, published after the check's
    assert result["exercise"] == EXERCISE and result["hidden_run"]
    assert result["mistakes"] == [SHARED[0]]
    assert (result["score"], result["max_points"]) == (2, 3)  # the revenue column is right
    outputs = notebook.cells[1].outputs
    assert not any(o.output_type == "error" for o in outputs), "partial credit: no error"
    assert sum(RESULT_MIME in o.get("data", {}) for o in outputs) == 2


def test_a_zero_publishes_the_checks_result_and_still_fails_the_cell():
    exercise = find("04.1")
    wrong = next(m.name for m in exercise.mistakes)
    answer = nbformat.v4.new_code_cell(
        "from graders import check\nfrom shoplab.instructor.misconception import mistaken\n"
        f"{exercise.name} = mistaken('04.1', {wrong!r})")
    notebook = executed(answer, exercise)
    [result] = graded_results(notebook)
    assert (result["score"], result["mistakes"], result["hidden_run"]) == (0, [wrong], False)
    assert any(o.output_type == "error" for o in notebook.cells[1].outputs)
