"""Grades in the files Canvas and Moodle import, as nbgrader export plugins.

The same classes serve nbgrader's own command and `shoplab export`:

    nbgrader export --exporter=shoplab.instructor.lms.CanvasExport \\
        --CanvasExport.gradebook_csv=canvas-download.csv --to=canvas-import.csv
    nbgrader export --exporter=shoplab.instructor.lms.MoodleExport --to=moodle-import.csv
    shoplab export ch04 --canvas canvas-download.csv canvas-import.csv --moodle moodle-import.csv

* **Who is who.** A learner's LMS identity is nbgrader's own `Student.lms_user_id` (set it
  with `nbgrader db student import roster.csv`, a column named `lms_user_id`, or
  `nbgrader db student add ID --lms-user-id=…`). A graded learner without one, or whose id
  the LMS file does not hold, is listed in `unmatched` (and logged), never dropped silently.
* **Which score.** Per assignment: the points after any manual grade, minus nbgrader's late
  submission penalty (the score nbgrader's own CSV export gives). An assignment a learner
  did not hand in, or that nbgrader could not grade, is left blank — the LMS keeps what it
  had — rather than exported as a zero.
* **Canvas** fills in the gradebook CSV the instructor downloads (Grades ▸ Export): its
  layout (Student, ID, SIS User ID, SIS Login ID, Section, one column per assignment, the
  "Points Possible" row, Canvas's read-only totals) is kept as it is, so the file imports
  as it is (Grades ▸ Import).
* **Moodle** writes a grade-import CSV keyed by one identifier column ("ID number", mapped
  to Moodle's `useridnumber` on the import screen), with the names Moodle's own export uses.
* **Course-level columns.** `learner_columns` adds per-learner columns after the
  assignments: "Course level", the learner's 初级 / 中级 / 高级 (empty: none yet) from every
  assignment in the gradebook (`export.course_levels`, docs/grading.md#levels). A subclass
  may add more.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.plugins import ExportPlugin
from traitlets import Dict, Enum, List, Unicode

from shoplab.instructor.course import Course
from shoplab.instructor.export import course_levels, exportable_score, was_graded

CANVAS_PEOPLE = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section")
NO_LMS_ID = "no lms_user_id in nbgrader's gradebook"
CANVAS_ASSIGNMENT_ID = re.compile(r"\s*\(\d+\)$")  # "Pricing (1234)": Canvas's assignment id
LEVEL_COLUMN = "Course level"


@dataclass
class Learner:
    """One gradebook student and their exportable score per assignment."""

    id: str
    lms_user_id: str
    first_name: str
    last_name: str
    email: str
    scores: dict[str, float] = field(default_factory=dict)
    level: str = ""  # 初级 / 中级 / 高级 over every assignment in the gradebook, "" for none yet


class LmsExport(ExportPlugin):
    """What the Canvas and Moodle files share: the scores, the matching, the extra columns."""

    unmatched = List(help="Graded learners the LMS file could not be matched to, "
                          "with the reason; filled by export().")

    def learner_columns(self, learner: Learner) -> dict[str, str]:
        """Course-level columns for one learner, after the assignments: the course level."""
        return {LEVEL_COLUMN: learner.level}

    def assignments(self, gradebook: Gradebook) -> list:
        """The gradebook's assignments, or those named by --assignment, in due-date order."""
        chosen = [a for a in gradebook.assignments
                  if not self.assignment or a.name in map(str, self.assignment)]
        missing = set(map(str, self.assignment)) - {a.name for a in chosen}
        if missing:
            raise ValueError(f"No assignment {', '.join(sorted(missing))} in the gradebook.")
        return chosen

    def learners(self, gradebook: Gradebook, assignments: list) -> list[Learner]:
        """Every gradebook student (or those named by --student) with their scores."""
        wanted = set(map(str, self.student))
        level = course_levels(gradebook)
        found = []
        for student in sorted(gradebook.students, key=lambda s: s.id):
            if wanted and student.id not in wanted:
                continue
            learner = Learner(student.id, student.lms_user_id or "", student.first_name or "",
                              student.last_name or "", student.email or "", level=level[student.id])
            for assignment in assignments:
                try:
                    submission = gradebook.find_submission(assignment.name, student.id)
                except MissingEntry:
                    continue
                if was_graded(submission):
                    learner.scores[assignment.name] = exportable_score(submission)
            found.append(learner)
        return found

    def note_unmatched(self, learner: Learner, reason: str) -> None:
        """Record (and log) a graded learner whose scores could not be placed."""
        if learner.scores:
            self.unmatched.append(f"{learner.id}: {reason}")
            self.log.warning("Not exported: %s (%s)", learner.id, reason)

    def write(self, header: list[str], rows: list[list[str]], default_name: str) -> Path:
        out = Path(self.to or default_name)
        with open(out, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header, *rows])
        self.log.info("Grades written to %s", out)
        return out


def points(value: float) -> str:
    """Canvas and Moodle both show points with two decimals."""
    return f"{value:.2f}"


class CanvasExport(LmsExport):
    """Fill in the Canvas gradebook export with nbgrader's scores, one column per assignment."""

    gradebook_csv = Unicode(
        "", help="The gradebook CSV downloaded from Canvas (Grades > Export).").tag(config=True)
    match_column = Enum(
        ["ID", "SIS User ID", "SIS Login ID"], "SIS User ID",
        help="The Canvas column that holds nbgrader's Student.lms_user_id.").tag(config=True)
    assignment_columns = Dict(
        help="nbgrader assignment -> Canvas column header, e.g. "
             "{'ch04': 'Pricing exercises (1234)'}. Default: the column named like the "
             "assignment (Canvas's ' (id)' suffix aside), else a new column, which Canvas "
             "imports as a new assignment.").tag(config=True)

    def export(self, gradebook: Gradebook) -> None:
        header, meta, people = self._read_download()
        student = header.index("Student")
        assignments = self.assignments(gradebook)
        where = {}
        for assignment in assignments:
            where[assignment.name] = self._column(header, assignment.name)
            if where[assignment.name] == len(header):  # a new column: Canvas creates it
                header.append(self.assignment_columns.get(assignment.name, assignment.name))
                for row in meta:
                    row.append(points(assignment.max_score)
                               if row[student].strip() == "Points Possible" else "")
                for row in people:
                    row.append("")
        key = header.index(self.match_column)
        rows_by_key = {row[key]: row for row in people if row[key]}
        extra: dict[str, dict[str, str]] = {}
        for learner in self.learners(gradebook, assignments):
            row = rows_by_key.get(learner.lms_user_id) if learner.lms_user_id else None
            if row is None:
                self.note_unmatched(learner, NO_LMS_ID if not learner.lms_user_id else
                                    f"no Canvas row with {self.match_column} "
                                    f"{learner.lms_user_id!r}")
                continue
            for name, score in learner.scores.items():
                row[where[name]] = points(score)
            extra[row[key]] = self.learner_columns(learner)
        columns = list(dict.fromkeys(c for values in extra.values() for c in values))
        header += columns
        for row in meta:
            row += [""] * len(columns)
        for row in people:
            row += [extra.get(row[key], {}).get(c, "") for c in columns]
        self.write(header, [*meta, *people], "canvas_grades.csv")

    def _read_download(self) -> tuple[list[str], list[list[str]], list[list[str]]]:
        """(header, Canvas's own rows such as "Points Possible", one row per learner)."""
        if not self.gradebook_csv:
            raise ValueError("CanvasExport needs the gradebook CSV downloaded from Canvas "
                             "(--CanvasExport.gradebook_csv=FILE): it is filled in.")
        with open(self.gradebook_csv, newline="", encoding="utf-8-sig") as handle:
            rows = [row for row in csv.reader(handle) if row]
        if not rows or not set(CANVAS_PEOPLE) <= set(rows[0]):
            raise ValueError(f"{self.gradebook_csv} is not a Canvas gradebook export: its "
                             f"first row must name the columns {', '.join(CANVAS_PEOPLE)}.")
        header, width, ids = rows[0], len(rows[0]), rows[0].index("ID")
        body = [row + [""] * (width - len(row)) for row in rows[1:]]
        # Canvas's own rows (Points Possible, Manual Posting) have no learner ID
        return header, [r for r in body if not r[ids]], [r for r in body if r[ids]]

    def _column(self, header: list[str], assignment: str) -> int:
        """Index of the assignment's column in the download, or len(header) if it has none."""
        wanted = self.assignment_columns.get(assignment)
        for index, name in enumerate(header):
            if name == wanted or (wanted is None and
                                  CANVAS_ASSIGNMENT_ID.sub("", name) == assignment):
                return index
        if wanted is not None and CANVAS_ASSIGNMENT_ID.search(wanted):
            raise ValueError(f"{self.gradebook_csv} has no column {wanted!r} "
                             f"(CanvasExport.assignment_columns[{assignment!r}]).")
        return len(header)


class MoodleExport(LmsExport):
    """Moodle's grade-import CSV: an identifier column, the names, one column per assignment.

    On Moodle's import screen map the identifier column to `useridnumber` (the default "ID
    number"), and each assignment column to its grade item (or a new one)."""

    id_column = Unicode(
        "ID number", help="Header of the column that holds nbgrader's Student.lms_user_id."
    ).tag(config=True)

    def export(self, gradebook: Gradebook) -> None:
        assignments = self.assignments(gradebook)
        matched = []
        for learner in self.learners(gradebook, assignments):
            if learner.lms_user_id:
                matched.append(learner)
            else:
                self.note_unmatched(learner, NO_LMS_ID)
        extra = {learner.id: self.learner_columns(learner) for learner in matched}
        columns = list(dict.fromkeys(c for values in extra.values() for c in values))
        names = [a.name for a in assignments]
        rows = [[learner.lms_user_id, learner.first_name, learner.last_name, learner.email,
                 *(points(learner.scores[n]) if n in learner.scores else "" for n in names),
                 *(extra[learner.id].get(c, "") for c in columns)] for learner in matched]
        self.write([self.id_column, "First name", "Last name", "Email address", *names,
                    *columns], rows, "moodle_grades.csv")


def run_export(course: Course, plugin: type[LmsExport], chapter: str, to: Path,
               **settings) -> LmsExport:
    """Run an export plugin on one chapter, configured like `nbgrader export` would be."""
    exporter = plugin(config=course.config(), to=str(to), assignment=[chapter], **settings)
    with Gradebook(course.config().CourseDirectory.db_url) as gradebook:
        exporter.export(gradebook)
    return exporter
