"""The exercise notebook's generated parts, rendered from the spec — and read back.

An author writes two things per exercise: the spec (`graders/chapters/chNN.py`) and, in the
source notebook, the exercise's prose and its answer cell with a solution region
(`### BEGIN SOLUTION` … `### END SOLUTION`). Everything else that names the exercise is
rendered here, so an id, title, point value or the hidden grading block is typed once:

* the heading line ``### Exercise 04.1 — Gross margin of every product (2 points)``;
* the answer-format line under it (name, type, unit, the precision it is checked to, a
  function's parameters), from the answer kind;
* the answer cell's and grade cell's nbgrader metadata (grade ids from `graders.chapter`);
* the grade cell: the learner's `check(...)` and the hidden block that grades with
  `graders.pristine` (tamper-resistant).

`render(notebook)` rewrites those parts in place and leaves the prose alone; `make release`
(`python -m shoplab.release`) runs it over `source/` before nbgrader builds `release/`, and a
test fails when a committed notebook differs from its rendering. `solution_text` reads the
worked solution out of the source notebook, so `solution()` shows what the notebook tests run.

This module reads notebooks as plain JSON dicts (no nbformat): `solution()` imports it in the
learner's kernel.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from graders import registry
from graders.answers import (
    LABEL_SET_RULE,
    ONE_LABEL_RULE,
    Answer,
    Function,
    Label,
    LabelSet,
    Number,
    Series,
    Table,
    parameters,
    precision_words,
)
from graders.chapter import Chapter, answer_id, exercise_of, grade_id, written_id
from graders.spec import Exercise, Written

ROOT = Path(__file__).resolve().parents[1]
HEADING = re.compile(r"### Exercise (?P<id>\d{2}\.\d+) — ")
WRITTEN_HEADING = re.compile(r"### Written (?P<id>\d{2}\.\w+) — ")
FORMAT_PREFIX = "**Answer:** "
RUBRIC_PREFIX = "**Graded by your instructor** "
BEGIN, END = "### BEGIN SOLUTION", "### END SOLUTION"
PLACEHOLDER = re.compile(r"\s*\w+\s*=\s*\.\.\.(\s*#.*)?")
SCHEMA = 3


class LayoutError(ValueError):
    """A source notebook does not have the cells its chapter's specs need."""


def source_path(chapter, root: Path = ROOT) -> Path:
    chapter = Chapter.parse(chapter)
    return root / "source" / chapter.assignment / chapter.notebook


# --- what is rendered -------------------------------------------------------------------------

def heading(exercise: Exercise) -> str:
    points = exercise.part_points()
    total = f"{exercise.max_points:g} point{'' if exercise.max_points == 1 else 's'}"
    if None not in points and len(set(points.values())) == 1:
        total += f", {next(iter(points.values())):g} per {exercise.answer.part_word}"
    elif None not in points:
        total += ": " + ", ".join(f"{part} {p:g}" for part, p in points.items())
    return f"### Exercise {exercise.id} — {exercise.title} ({total})"


def _describe(answer: Answer) -> str:
    if isinstance(answer, Number):
        return f"{answer.description}, {precision_words(answer.unit, answer.tol)}"
    if isinstance(answer, Series):
        order = ", in the order asked for" if answer.ordered else ""
        return (f"{answer.description} (one value per label; the index's name and dtype do not "
                f"matter){order}, each {precision_words(answer.unit, answer.tol)}")
    if isinstance(answer, Label):
        if answer.choices:
            return ("text, one of " + ", ".join(f"`{c!r}`" for c in answer.choices)
                    + f" ({ONE_LABEL_RULE})")
        return f"one name or label (capitals do not matter; {ONE_LABEL_RULE})"
    if isinstance(answer, LabelSet):
        return f"the names ({LABEL_SET_RULE}; capitals do not matter)"
    if isinstance(answer, Table):
        columns = "; ".join(f"`{name}`: {_describe(kind)}" for name, kind in answer.columns.items())
        return (f"a table (DataFrame) keyed by `{answer.index}` (as its index, any name, or as a "
                f"column named `{answer.index}`) with the columns {columns}. Each column earns "
                "its points on its own; extra columns are ignored")
    if hasattr(answer, "format_words"):  # graders.plan.Plan: its rule is the capstone's
        return answer.format_words()
    raise TypeError(f"no answer-format wording for {type(answer).__name__}")


def answer_format(exercise: Exercise) -> str:
    """The line under the heading: what to define, its type and unit, and how it is checked."""
    if isinstance(exercise.answer, Function):
        what = (f"`{exercise.name}({', '.join(parameters(exercise.reference))})`, a function "
                "called with these inputs in this order (your parameter names may differ) that "
                f"returns {_describe(exercise.answer.returns)}")
    else:
        what = f"`{exercise.name}`, {_describe(exercise.answer)}"
    return f"{FORMAT_PREFIX}{what}."


def _points_words(points: float) -> str:
    return f"{points:g} point{'' if points == 1 else 's'}"


def written_heading(written: Written) -> str:
    return (f"### Written {written.id} — {written.title} ({_points_words(written.max_points)}, "
            "graded by your instructor)")


def rubric_line(written: Written) -> str:
    """The line under a written answer's heading: the rubric the instructor grades it by."""
    criteria = "; ".join(f"**{name}** ({_points_words(points)}): {what}"
                         for name, points, what in written.rubric)
    return f"{RUBRIC_PREFIX}(no check runs on prose) on: {criteria}."


def grade_source(exercise: Exercise) -> str:
    """The grade cell: the visible check, then the block nbgrader hides from learners."""
    call = f'("{exercise.id}")'
    return "\n".join((
        f"check{call}",
        "### BEGIN HIDDEN TESTS",
        '__import__("sys").modules.pop("graders.pristine", None)',
        "from graders.pristine import grade",
        f"grade{call}",
        "### END HIDDEN TESTS",
    ))


def _nbgrader(cell_id: str, *, grade: bool, solution: bool, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": cell_id, "locked": not solution,
            "schema_version": SCHEMA, "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def _points(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def render(notebook: dict, chapter) -> dict:
    """Rewrite `notebook`'s headings, format lines, answer/grade metadata and grade cells
    from `chapter`'s specs (in place; returned for convenience). Raise LayoutError when an
    exercise lacks its heading, answer cell or grade cell, or the notebook has extra ones."""
    exercises = {ex.id: ex for ex in registry.exercises(chapter)}
    seen: dict[str, set[str]] = {ex_id: set() for ex_id in exercises}
    written = {written_id(w.id): w for w in registry.written(chapter)}
    seen |= {w.id: set() for w in written.values()}
    for cell in notebook["cells"]:
        text = _text(cell)
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell["cell_type"] == "markdown" and (match := WRITTEN_HEADING.match(text)):
            answer = _known({w.id: w for w in written.values()}, match["id"], "written heading")
            body = text.split("\n")[1:]
            while body and (not body[0].strip() or body[0].startswith(RUBRIC_PREFIX)):
                body.pop(0)
            cell["source"] = "\n".join([written_heading(answer), "", rubric_line(answer), "",
                                        *body])
            seen[answer.id].add("heading")
        elif meta.get("grade_id") in written:
            answer = written[meta["grade_id"]]
            if cell["cell_type"] != "markdown":
                raise LayoutError(f"written answer {answer.id}'s cell must be a markdown cell")
            cell["metadata"]["nbgrader"] = _nbgrader(
                written_id(answer.id), grade=True, solution=True,
                points=_points(answer.max_points))
            seen[answer.id].add("answer")
            seen[answer.id].add("grade")
        elif cell["cell_type"] == "markdown" and (match := HEADING.match(text)):
            exercise = _known(exercises, match["id"], "heading")
            body = text.split("\n")[1:]
            while body and (not body[0].strip() or body[0].startswith(FORMAT_PREFIX)):
                body.pop(0)
            cell["source"] = "\n".join([heading(exercise), "", answer_format(exercise), "", *body])
            seen[exercise.id].add("heading")
        elif meta.get("grade_id", "").endswith("_answer") and meta.get("solution"):
            exercise_id = exercise_of(meta["grade_id"].removesuffix("_answer"))
            exercise = _known(exercises, exercise_id, "answer cell")
            cell["metadata"]["nbgrader"] = _nbgrader(answer_id(exercise.id), grade=False,
                                                     solution=True)
            seen[exercise.id].add("answer")
        elif meta.get("grade") and (exercise_id := exercise_of(meta.get("grade_id", ""))):
            exercise = _known(exercises, exercise_id, "grade cell")
            cell["source"] = grade_source(exercise)
            cell["metadata"]["nbgrader"] = _nbgrader(
                grade_id(exercise.id), grade=True, solution=False,
                points=_points(exercise.max_points))
            seen[exercise.id].add("grade")
    missing = [f"{ex_id} {part}" for ex_id, parts in seen.items()
               for part in ("heading", "answer", "grade") if part not in parts]
    if missing:
        raise LayoutError(f"chapter {Chapter.parse(chapter)}'s source notebook lacks: "
                          + ", ".join(missing) + " (see docs/authoring.md)")
    return notebook


def _known(exercises: dict, exercise_id: str | None, what: str):
    if exercise_id not in exercises:
        raise LayoutError(f"a {what} names exercise {exercise_id!r}, which has no spec "
                          f"(specs: {', '.join(exercises)})")
    return exercises[exercise_id]


def _text(cell: dict) -> str:
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


# --- what is read back ------------------------------------------------------------------------

def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def answer_cell(notebook: dict, exercise_id: str) -> dict:
    wanted = answer_id(exercise_id)
    for cell in notebook["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == wanted:
            return cell
    raise LayoutError(f"no answer cell {wanted!r} for exercise {exercise_id}")


def solution_code(answer_source: str) -> str:
    """A source answer cell as a learner would finish it: the solution markers removed and
    the `name = ...` placeholder they would overwrite dropped (a function keeps its `def`)."""
    return "\n".join(line for line in answer_source.split("\n")
                     if line.strip() not in (BEGIN, END) and not PLACEHOLDER.fullmatch(line))


def solution_text(exercise_id: str, root: Path = ROOT) -> str | None:
    """The worked solution from the chapter's source notebook, or None where there is none
    (a learner's copy without the course's source/ folder)."""
    path = source_path(exercise_id, root)
    if not path.exists():
        return None
    return solution_code(_text(answer_cell(read(path), exercise_id)))
