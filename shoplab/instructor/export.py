"""Grades as a CSV an LMS can import: one row per learner whose submission was graded.

A submission nbgrader could not grade (its kernel died, say) keeps empty grade rows in the
gradebook; it is left out rather than exported as zeros, and `shoplab grade` lists it.

Columns: student_id, first_name, last_name, email, one column per graded cell (named by its
nbgrader grade id, e.g. ex04_1, holding the points after any manual grade), total, max, and
level: the learner's course level 初级 / 中级 / 高级 (empty: none yet) by `graders.levels`,
from their scores in every assignment of the gradebook, not only this one (docs/grading.md#levels).

A written answer graded by hand (a markdown grade cell, e.g. ex13_case) is empty until the
instructor grades it in formgrader: nbgrader scores it 0 meanwhile, which would read as a mark.
The learner's row is still written (the autograded cells are final) and `total` then holds the
autograded points only; export again after grading by hand. The Canvas and Moodle uploads
(`shoplab.instructor.lms`) leave such a learner out until then.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook

from graders import levels
from graders.chapter import Chapter
from shoplab.instructor.course import Course

PEOPLE = ("student_id", "first_name", "last_name", "email")


def awaiting_instructor(grade) -> bool:
    """A written answer (markdown grade cell) that no one has graded by hand yet. (One left
    as released is no answer: nbgrader scores it 0 itself, and that 0 is a mark.)"""
    return (grade.cell.cell_type == "markdown" and grade.manual_score is None
            and grade.auto_score is None)


def was_graded(submission) -> bool:
    """Whether nbgrader scored every grade cell of this submission (automatically or by
    hand). A submission it could not grade keeps empty rows: it has no score to export. The
    LMS uploads (`lms.py`) send only these: a total without the written answer is not final."""
    return all(grade.auto_score is not None or grade.manual_score is not None
               for notebook in submission.notebooks for grade in notebook.grades)


def was_autograded(submission) -> bool:
    """`was_graded`, except that written answers may still await the instructor."""
    return all(grade.auto_score is not None or grade.manual_score is not None
               or awaiting_instructor(grade)
               for notebook in submission.notebooks for grade in notebook.grades)


def exportable_score(submission) -> float:
    """The points after any manual grade, minus nbgrader's late penalty: the score nbgrader's
    own CSV export gives, the LMS files hold and the level counts."""
    return max(0.0, submission.score - (submission.late_submission_penalty or 0.0))


def course_levels(gradebook: Gradebook) -> dict[str, str]:
    """Each gradebook student's level ("" for none yet), from their share of the points of
    every graded assignment named like a chapter (ch00…). Not handed in or not gradable: 0."""
    shares: dict[str, dict[str, float]] = {s.id: {} for s in gradebook.students}
    for assignment in gradebook.assignments:
        try:
            chapter = Chapter.parse(assignment.name).code
        except ValueError:
            continue  # not one of the course's chapters
        for submission in assignment.submissions:
            if was_graded(submission) and assignment.max_score:
                shares[submission.student.id][chapter] = (
                    exportable_score(submission) / assignment.max_score)
    return {student: levels.standing(share).level or "" for student, share in shares.items()}


def grade_table(course: Course, chapter: str) -> tuple[list[str], list[dict]]:
    """(exercise columns, one row per submission) straight from the gradebook; a written
    answer awaiting the instructor is None."""
    with Gradebook(course.config().CourseDirectory.db_url) as gradebook:
        assignment = gradebook.find_assignment(chapter)
        columns = [cell.name for notebook in assignment.notebooks
                   for cell in notebook.grade_cells]
        rows, level = [], course_levels(gradebook)
        for submission in sorted(assignment.submissions, key=lambda s: s.student.id):
            if not was_autograded(submission):
                continue
            grades = [g for notebook in submission.notebooks for g in notebook.grades]
            student = submission.student
            row = {"student_id": student.id, "first_name": student.first_name or "",
                   "last_name": student.last_name or "", "email": student.email or ""}
            # None (an empty CSV cell) for a written answer the instructor has not graded yet
            row.update({grade.name: None if awaiting_instructor(grade) else float(grade.score)
                        for grade in grades})
            row["total"], row["max"] = float(submission.score), float(submission.max_score)
            row["level"] = level[student.id]
            rows.append(row)
    return columns, rows


def export_csv(course: Course, chapter: str, out: Path) -> int:
    """Write the CSV; return how many learners it holds."""
    columns, rows = grade_table(course, chapter)
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, [*PEOPLE, *columns, "total", "max", "level"])
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)
