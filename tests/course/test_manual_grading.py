"""A written answer graded by hand, through nbgrader's own pipeline on a throwaway course.

Chapter 13's case analysis is a manually graded markdown cell (`graders.spec.Written`). Real
nbgrader autogrades two submissions of the chapter — the worked solutions with a case written
in the cell, and the blank release — and leaves the written case for the instructor (the blank
cell scores 0 by itself: nothing was written). The instructor's grade and comment go in through
nbgrader's Gradebook API (what formgrader's "Manual grading" page writes); `nbgrader
generate_feedback` shows them; `shoplab export` has the cell empty before the hand grade
(nbgrader's 0 there is not a mark) and its points after; `shoplab report` reads the table with
the cell still ungraded.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from graders import levels, registry
from graders.chapter import Chapter, written_id

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("manual-grading")]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
CHAPTER = next(c for c in registry.chapters() if registry.written(c))
WRITTEN = registry.written(CHAPTER)[0]
NAME, NOTEBOOK = Chapter.parse(CHAPTER).assignment, Chapter.parse(CHAPTER).notebook
CELL = written_id(WRITTEN.id)
CASE = ("**背景 Background.** November 2025 against November 2024 …\n\n"
        "**问题 Problem.** … **决策 Decision.** … **启示 Lesson.** …")
MARK, COMMENT = WRITTEN.max_points - 1, "Good split of the drivers; the lesson names no limit."


def run(args: list[str], course: Path) -> subprocess.CompletedProcess:
    done = subprocess.run(args, cwd=course, env=ENV, capture_output=True, text=True,
                          timeout=1800)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return done


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    return run([str(BIN / "nbgrader"), *args], course)


def export(course: Path) -> dict[str, dict]:
    out = course / "grades.csv"
    run([str(BIN / "shoplab"), "export", NAME, "--out", str(out), "--course", str(course)],
        course)
    with open(out, newline="", encoding="utf-8") as handle:
        return {row["student_id"]: row for row in csv.DictReader(handle)}


def written_in(notebook: Path) -> bytes:
    """The worked solutions with a case written in the cell, as a learner hands it in."""
    nb = nbformat.read(notebook, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == CELL)
    cell.source = CASE
    return nbformat.writes(nb).encode()


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = tmp_path_factory.mktemp("manual")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source" / NAME, course / "source" / NAME)
    nbgrader(course, "generate_assignment", NAME, "--force")
    handed_in = {"wrote": written_in(course / "source" / NAME / NOTEBOOK),
                 "blank": (course / "release" / NAME / NOTEBOOK).read_bytes()}
    for student, content in handed_in.items():
        target = course / "submitted" / student / NAME / NOTEBOOK
        target.parent.mkdir(parents=True)
        target.write_bytes(content)
    nbgrader(course, "autograde", NAME)
    before = export(course)
    # The class report reads the same table, an ungraded written answer and all.
    run([str(BIN / "shoplab"), "report", NAME, "--out", str(course / "report.html"),
         "--course", str(course)], course)
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gradebook:
        stem = NOTEBOOK.removesuffix(".ipynb")
        waiting = {s: gradebook.find_grade(CELL, stem, NAME, s).needs_manual_grade
                   for s in handed_in}
        grade = gradebook.find_grade(CELL, stem, NAME, "wrote")
        grade.manual_score = MARK
        gradebook.find_comment(CELL, stem, NAME, "wrote").manual_comment = COMMENT
        gradebook.db.commit()
    nbgrader(course, "generate_feedback", NAME, "--force")
    return course, waiting, before, export(course)


AUTOGRADED = sum(ex.max_points for ex in registry.exercises(CHAPTER))


def test_autograde_scores_the_code_and_leaves_the_written_cell_to_the_instructor(course):
    course, waiting, before, _ = course
    # A cell left as released is no answer: nbgrader scores it 0 itself, nothing to grade.
    assert waiting == {"wrote": True, "blank": False}
    assert float(before["wrote"]["total"]) == AUTOGRADED
    assert float(before["wrote"]["max"]) == AUTOGRADED + WRITTEN.max_points
    assert before["wrote"][CELL] == ""  # not a 0: not graded yet
    assert float(before["blank"][CELL]) == 0 and float(before["blank"]["total"]) == 0
    assert CELL in (course / "report.html").read_text()


def test_the_hand_grade_reaches_the_feedback_and_the_export(course):
    course, _, _, after = course
    assert float(after["wrote"][CELL]) == MARK
    assert float(after["wrote"]["total"]) == AUTOGRADED + MARK
    assert float(after["blank"][CELL]) == 0
    # the course level, by the one rule, from this gradebook's only chapter (graders.levels)
    for learner, row in after.items():
        share = {CHAPTER: float(row["total"]) / float(row["max"])}
        assert row["level"] == (levels.standing(share).level or ""), learner
    page = html.unescape((course / "feedback" / "wrote" / NAME /
                          NOTEBOOK.replace(".ipynb", ".html")).read_text())
    assert COMMENT in page and "背景 Background" in page
    shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page))
    assert re.search(rf"Written response \(Score: {MARK:g}(\.0)? / {WRITTEN.max_points:g}(\.0)?\)",
                     shown), (
        "the feedback does not show the hand grade")
