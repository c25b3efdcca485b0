"""The learner's side: `check`, `hint`, `solution` and `progress`, used in exercise notebooks.

`check` prints a pass, a targeted "not yet", or "not attempted yet" — never the expected
value. Under nbgrader (`NBGRADER_EXECUTION` is set by autograde and validate) the result is
also published as data (`engine.publish`, for the class report) and a failed check raises,
so the grade cell loses its points and Validate reports it.
"""

from __future__ import annotations

import html
import os
import sys
from datetime import date
from pathlib import Path

from graders import coursewide, record, registry
from graders.chapter import Chapter
from graders.engine import BLANK, NOT_YET, PASSED, evaluate, lookup, publish

_BY_NAME = object()

_results: dict[str, object] = {}
_hints_seen: dict[str, int] = {}


def grading() -> bool:
    return bool(os.environ.get("NBGRADER_EXECUTION"))


def _show(obj) -> None:
    """Rich display in a notebook, plain text elsewhere (and in nbgrader's feedback)."""
    if grading():
        print(obj if isinstance(obj, str) else obj.text())
        return
    try:
        from IPython import get_ipython
        from IPython.display import HTML, display
    except ImportError:  # pragma: no cover - IPython ships with the course
        get_ipython = None
    if get_ipython is None or get_ipython() is None:
        print(obj if isinstance(obj, str) else obj.text())
    elif isinstance(obj, str):
        display(HTML(f'<div style="white-space:pre-wrap">{html.escape(obj)}</div>'))
    else:
        display(obj)


class NotPassed(AssertionError):
    """Raised under nbgrader when a check earns nothing. Its traceback is one short line
    (`Result.short`, via IPython's `_render_traceback_`), so Validate shows one line per
    exercise ("04.1 …: not attempted yet"), not a wall of tracebacks."""

    def __init__(self, result):
        super().__init__(result.text())
        self.headline = result.short()

    def _render_traceback_(self):
        return [self.headline]


def check(exercise_id: str, answer=_BY_NAME) -> None:
    """Check your answer to one exercise and say what to fix. Without `answer`, the answer
    is looked up by the name the exercise declares (the grade cells do this, so a failed
    answer cell is reported as such). A written answer has no check: it says so."""
    if (written := registry.find_written(exercise_id)) is not None:
        _show(_by_instructor(written))
        return
    exercise = registry.find(exercise_id)
    if answer is _BY_NAME:
        answer = lookup(exercise.name, sys._getframe(1).f_globals)
    result = evaluate(exercise, answer)
    _results[exercise_id] = result
    _show(result)
    if not grading():  # grading never reads or writes the self-study record
        record.note(exercise_id, result.score, exercise.max_points)
    else:
        # A zero here stops the grade cell before its hidden part: publish what it found.
        publish(result)
        if result.score == 0:
            raise NotPassed(result)


def hint(exercise_id: str, number: int | None = None) -> None:
    """Show the next hint (or hint `number`) for an exercise: one step at a time."""
    exercise = registry.find(exercise_id)
    total = len(exercise.hints)
    if number is None:
        number = min(_hints_seen.get(exercise_id, 0) + 1, total)
    if not 1 <= number <= total:
        raise ValueError(f"Exercise {exercise_id} has hints 1 to {total}.")
    _hints_seen[exercise_id] = max(_hints_seen.get(exercise_id, 0), number)
    if number < total:
        more = f' Run hint("{exercise_id}") again for the next one.'
    elif solutions_allowed() and not grading():
        more = f' That was the last hint; solution("{exercise_id}") shows a worked solution.'
    else:
        more = " That was the last hint."
    _show(f"Hint {number} of {total} for {exercise_id}: {exercise.hints[number - 1]}{more}")


# The learner's copy of the course (`shoplab learner-copy`) ships with this set to "off".
SOLUTIONS_DEFAULT = "on"


def solutions_allowed() -> bool:
    """Self-study sees solutions; a graded class turns them off with SHOPLAB_SOLUTIONS=off."""
    setting = os.environ.get("SHOPLAB_SOLUTIONS", SOLUTIONS_DEFAULT)
    return setting.lower() not in ("off", "0", "no")


def solution(exercise_id: str) -> None:
    """Show a worked solution (self-study only)."""
    exercise = registry.find(exercise_id)
    if not solutions_allowed() or grading():
        _show(f"Solutions are turned off for this class. Try hint(\"{exercise_id}\").")
        return
    from graders.cells import solution_text

    text = solution_text(exercise.id)
    if text is None:
        _show("No worked solution comes with this copy of the course. "
              f"Try hint(\"{exercise_id}\").")
        return
    _show(f"Solution to {exercise_id} {exercise.title}:\n\n{text}")


def _by_instructor(written) -> str:
    return (f"{written.id} {written.title} is graded by your instructor "
            f"({written.max_points:g} points): no check reads prose. Its rubric is above the cell.")


SELF_STUDY_ONLY = ("Course-wide progress and the certificate are a self-study record, "
                   "kept on your own computer; they are not read while grading.")


def progress(chapter: str | None = None) -> None:
    """Summarise the chapter's exercises (4, "04" or "ch04"): what you have passed, what is left.
    Without a chapter: every chapter's points from your record, and your course level."""
    if chapter is None:
        _show(SELF_STUDY_ONLY if grading() else coursewide.describe(coursewide.rows(_results)))
        return
    chapter = Chapter.parse(chapter).code
    rows, earned, total = [], 0.0, 0.0
    for exercise in registry.exercises(chapter):
        result = _results.get(exercise.id)
        status = result.status if result else "not checked yet"
        score = result.score if result else 0.0
        earned, total = earned + score, total + exercise.max_points
        mark = {PASSED: "✓", NOT_YET: "✗", BLANK: "…"}.get(status, "·")
        rows.append(f"{mark} {exercise.id} {exercise.title}: {status} "
                    f"({score:g}/{exercise.max_points:g})")
    passed = sum(1 for r in _results.values() if r.exercise.chapter == chapter
                 and r.status == PASSED)
    lines = [f"Chapter {chapter}: {passed} of {len(rows)} exercises passed, "
             f"{earned:g} of {total:g} points on the checks you ran.", *rows,
             "The graded version also runs held-back cases, so make each check pass first."]
    lines += [f"✎ {w.id} {w.title}: graded by your instructor (−/{w.max_points:g}), not "
              "counted above" for w in registry.written(chapter)]
    _show("\n".join(lines))


def certificate(name: str, out: str | os.PathLike = "shoplab-certificate.html") -> None:
    """Write a printable page of your course level and chapter scores (once you have a level)
    to `out`, and show a link to it."""
    if grading():
        _show(SELF_STUDY_ONLY)
        return
    if not str(name).strip():
        _show('The certificate needs your name: certificate("Your Name").')
        return
    table = coursewide.rows(_results)
    now = coursewide.standing(table)
    if now.level is None:
        _show(f"No level yet, so no certificate. For {now.next}: {'; '.join(now.missing)}.")
        return
    target = Path(out)
    target.write_text(coursewide.page(name, table, date.today()), encoding="utf-8")
    _show(Link(target, f"Your {now.level} certificate: {target} (open it, then print it)"))


class Link:
    """A link to a file in a notebook (its `_repr_html_`), the path elsewhere (`text`)."""

    def __init__(self, target, label: str):
        self.target, self.label = target, label

    def text(self) -> str:
        return self.label

    def _repr_html_(self) -> str:
        href = html.escape(self.target.as_posix(), quote=True)
        return f'<a href="{href}" target="_blank">{html.escape(self.label)}</a>'
