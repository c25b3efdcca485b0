"""nbgrader's own pipeline, end to end, on a throwaway course with a class of awkward notebooks.

generate_assignment -> submissions -> autograde -> generate_feedback -> export, using plain
`nbgrader` commands (the instructor CLI is tested in test_instructor_*.py). The solution scores
full marks, the blank release scores zero, and each bad submission gets its right outcome
without stopping the batch: every other student's grade is recorded.
"""

import csv
import html
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from graders import registry
from graders.answers import Function, Label, LabelSet, Number, Series, Table, parameters
from graders.chapter import answer_id, grade_id
from graders.data import Data
from graders.engine import PASSED, evaluate

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHAPTER = "04"
NAME = f"ch{CHAPTER}"
NOTEBOOK = f"{NAME}_exercises.ipynb"
HARD_CODED = "04.3"  # a function exercise with held-back cases
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("nbgrader-pipeline")]


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run([str(BIN / "nbgrader"), *args, "--Execute.timeout=20"], cwd=course,
                          env=env, capture_output=True, text=True, timeout=1200)


def grade_cell_indices(nb) -> list[int]:
    return [i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("grade")]


def hard_coded_source() -> str:
    """A function that returns the right numbers for the visible cases only."""
    exercise = registry.find(HARD_CODED)
    data = Data()
    table = {}
    for case in exercise.cases:
        inputs = case.resolve(data)
        table[tuple(inputs.values())] = exercise.reference(**inputs)
    args = ", ".join(exercise.cases[0].resolve(data))
    return ("inf = float('inf')  # the table's repr writes infinity as inf\n"
            f"def price_for_margin({args}):\n"
            f"    return {table!r}.get(({args},), 0.0)\n")


def rewritten(exercise) -> tuple[str, float]:
    """Code that rewrites a solved answer in another right form (a table loses its first
    column instead), and the points the rewritten answer must still earn."""
    name, kind = exercise.name, exercise.answer
    if isinstance(kind, Function):
        args = ", ".join(f"my_{i}" for i, _ in enumerate(parameters(exercise.reference)))
        return (f"_solved_{name} = {name}\ndef {name}({args}):\n"
                f"    return _solved_{name}({args})", exercise.max_points)
    if isinstance(kind, Table):
        column = next(iter(kind.columns))
        return (f'{name} = {name}.rename_axis("{kind.index}").reset_index()'
                f'.drop(columns=["{column}"])',
                exercise.max_points - exercise.part_points()[column])
    forms = {Number: f"{name} = __import__('numpy').float64({name})",
             Label: f"{name} = [{name}]", LabelSet: f"{name} = tuple({name})",
             Series: f"{name} = {name}.rename_axis('key').to_dict()"}
    return forms[type(kind)], exercise.max_points


ALTERNATIVE = {ex.id: rewritten(ex) for ex in registry.exercises(CHAPTER)}


def submissions(release: Path, source: Path) -> dict[str, bytes | None]:
    """Student name -> notebook to hand in (raw bytes), for every awkward case."""
    blank = nbformat.read(release, as_version=4)

    def variant(change) -> bytes:
        nb = nbformat.read(release, as_version=4)
        change(nb)
        return nbformat.writes(nb).encode()

    def edit_locked(nb):
        for i in grade_cell_indices(nb):
            nb.cells[i].source = "pass  # the learner deleted the check"

    def delete_grade_cell(nb):
        del nb.cells[grade_cell_indices(nb)[0]]

    def solve_first_then(code):
        def change(nb):
            nb.cells[grade_cell_indices(nb)[0] - 1] = nbformat.read(source, as_version=4).cells[
                grade_cell_indices(blank)[0] - 1]
            nb.cells.insert(grade_cell_indices(nb)[0] + 1, nbformat.v4.new_code_cell(code))
        return change

    def alternative_forms(nb):
        for exercise_id, (code, _) in ALTERNATIVE.items():
            cell = next(c for c in nb.cells
                        if c.metadata.get("nbgrader", {}).get("grade_id") == answer_id(exercise_id))
            cell.source += "\n" + code

    def hard_code(nb):
        cell = next(c for c in nb.cells if c.source.startswith("def price_for_margin"))
        cell.source = hard_coded_source()

    return {
        "solved": source.read_bytes(),
        "blank": release.read_bytes(),
        "edited_locked": variant(edit_locked),
        "deleted_grade_cell": variant(delete_grade_cell),
        "hard_coded": variant(hard_code),
        "alternative_forms": nbformat.writes(
            _changed(nbformat.read(source, as_version=4), alternative_forms)).encode(),
        "loop": variant(solve_first_then("while True:\n    pass")),
        "crash": variant(solve_first_then("import os\nos._exit(1)")),
        "exit": variant(solve_first_then("import sys\nsys.exit('bye')")),
        "flood": variant(solve_first_then("for i in range(2000):\n    print('spam ' * 500)")),
        "malformed": b'{"cells": [',
        "empty": b"",
    }


def _changed(nb, change):
    change(nb)
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("pipeline")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source" / NAME, course / "source" / NAME)
    assert nbgrader(course, "generate_assignment", NAME, "--force").returncode == 0
    handed_in = submissions(course / "release" / NAME / NOTEBOOK,
                            course / "source" / NAME / NOTEBOOK)
    for student, content in handed_in.items():
        target = course / "submitted" / student / NAME / NOTEBOOK
        target.parent.mkdir(parents=True)
        target.write_bytes(content)
    autograde = nbgrader(course, "autograde", NAME)
    feedback = nbgrader(course, "generate_feedback", NAME)
    export = nbgrader(course, "export")
    return course, autograde, feedback, export


def cell_scores(course: Path, student: str) -> dict[str, float]:
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        notebook = gb.find_submission_notebook(NOTEBOOK.removesuffix(".ipynb"), NAME, student)
        return {g.name: g.score for g in notebook.grades if g.cell.name.startswith("ex")}


def total(course: Path, student: str) -> float:
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        return gb.find_submission(NAME, student).score


MAX = sum(ex.max_points for ex in registry.exercises(CHAPTER))


def test_solution_full_marks_blank_zero(course):
    course, *_ = course
    assert total(course, "solved") == MAX
    assert total(course, "blank") == 0


def test_alternative_forms_and_partial_tables_in_real_autograde(course):
    """The learner's check and nbgrader share one engine: right answers written another way
    earn full marks there too, and a table missing a column earns its other columns' points."""
    course, *_ = course
    scores = cell_scores(course, "alternative_forms")
    for exercise_id, (code, points) in ALTERNATIVE.items():
        grade = scores[grade_id(exercise_id)]
        assert grade == points, f"{exercise_id} rewritten as `{code}`: {grade} of {points}"
    assert any(points < registry.find(i).max_points for i, (_, points) in ALTERNATIVE.items())


def test_editing_or_deleting_grade_cells_earns_nothing(course):
    course, *_ = course
    assert total(course, "edited_locked") == 0  # nbgrader restores the locked cells
    assert total(course, "deleted_grade_cell") == 0


def test_hard_coding_the_visible_cases_fails_the_held_back_ones(course):
    course, *_ = course
    namespace = {}
    exec(hard_coded_source(), namespace)  # noqa: S102 - the learner's cell, run as they would
    exercise = registry.find(HARD_CODED)
    assert evaluate(exercise, namespace["price_for_margin"]).status == PASSED  # looks fine...
    grade_id = "ex" + HARD_CODED.replace(".", "_")
    assert cell_scores(course, "hard_coded")[grade_id] == 0  # ...until graded


@pytest.mark.parametrize("student", ["loop", "exit", "flood"])
def test_a_misbehaving_cell_costs_only_what_follows_it_in_that_cell(course, student):
    course, *_ = course
    scores = cell_scores(course, student)
    first = min(scores)
    assert scores[first] > 0  # solved before the bad cell ran
    assert sum(scores.values()) < MAX


def test_the_batch_never_aborts_and_feedback_and_export_cover_everyone_graded(course):
    course, autograde, feedback, export = course
    assert feedback.returncode == 0, feedback.stderr[-2000:]
    assert export.returncode == 0, export.stderr[-2000:]
    with open(course / "grades.csv", newline="") as f:
        rows = {r["student_id"]: r for r in csv.DictReader(f) if r["assignment"] == NAME}
    for student in ["solved", "blank", "edited_locked", "deleted_grade_cell", "hard_coded",
                    "loop", "exit", "flood"]:
        assert student in rows, f"{student} has no grade ({autograde.stderr[-1500:]})"
        assert float(rows[student]["score"]) == total(course, student)
        assert (course / "feedback" / student / NAME / NOTEBOOK.replace(".ipynb", ".html")).exists()
    for broken in ["malformed", "empty"]:  # unreadable: not graded, and nobody else lost
        assert broken not in rows or float(rows[broken]["score"]) == 0


def test_feedback_names_the_held_back_case_that_failed(course):
    course, *_ = course
    page = course / "feedback" / "hard_coded" / NAME / NOTEBOOK.replace(".ipynb", ".html")
    first_hidden = registry.find(HARD_CODED).hidden[0].label
    assert f"On {first_hidden}" in html.unescape(page.read_text())
