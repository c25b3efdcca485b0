"""The class report: one self-contained HTML file (plotly.js inlined, opens offline).

* score distribution of the graded submissions;
* per exercise (grade cell): pass rate (full points) and item discrimination, the
  *corrected point-biserial*: the correlation between passing this exercise (0/1) and the
  learner's points on all the *other* exercises (so an item does not correlate with itself).
  Near 0 or negative: the exercise does not separate stronger from weaker learners;
* misconceptions: for each exercise, how many learners' graded results name each of its
  mistakes, with the message they saw. The engine publishes every graded result as data
  (`graders.engine.RESULT_MIME`: exercise id, points, matched mistake names) beside the
  feedback text; the report reads that data, never the message text;
* each graded learner's total, lowest first.

The page is rendered from templates/report.html.j2 with Jinja2's autoescaping: student ids,
exercise names and messages are text, whatever characters they hold.
"""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import plotly.graph_objects as go
from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup
from plotly.offline import get_plotlyjs

from shoplab.instructor.course import NOTEBOOK, Course
from shoplab.instructor.export import grade_table


def point_biserial(passed: list[int], rest: list[float]) -> float | None:
    """Pearson correlation of a 0/1 item with the rest score; None when undefined."""
    n = len(passed)
    if n < 2:
        return None
    mean_p, mean_r = sum(passed) / n, sum(rest) / n
    cov = sum((p - mean_p) * (r - mean_r) for p, r in zip(passed, rest, strict=True))
    var_p = sum((p - mean_p) ** 2 for p in passed)
    var_r = sum((r - mean_r) ** 2 for r in rest)
    return None if var_p == 0 or var_r == 0 else cov / math.sqrt(var_p * var_r)


def graded_results(notebook) -> list[dict]:
    """The engine's results, as data, from an autograded notebook: one per grade cell that
    published one (the hidden grade's when it ran, else the visible check's). Fields as in
    `graders.engine.Result.as_data`."""
    from graders.engine import RESULT_MIME

    found = []
    for cell in notebook.cells:
        published = [output["data"][RESULT_MIME] for output in cell.get("outputs", [])
                     if output.get("output_type") == "display_data"
                     and RESULT_MIME in output.get("data", {})]
        if published:
            found.append(published[-1])
    return found


def misconception_counts(course: Course, chapter: str, students: list[str]) -> list[dict]:
    """[{exercise, mistake, message, learners}]: how many learners' graded results name each
    of the chapter's mistakes (by name, so two mistakes sharing a message count apart)."""
    import nbformat

    from graders.registry import exercises

    counts: Counter = Counter()
    for student in students:
        path = course.root / "autograded" / student / chapter / NOTEBOOK.format(chapter=chapter)
        if not path.exists():
            continue
        named = {(result["exercise"], name)
                 for result in graded_results(nbformat.read(path, as_version=4))
                 for name in result["mistakes"]}
        counts.update(named)
    return [{"exercise": exercise.id, "mistake": mistake.name, "message": mistake.message,
             "learners": counts[(exercise.id, mistake.name)]}
            for exercise in exercises(chapter) for mistake in exercise.mistakes]


def build_report(course: Course, chapter: str) -> str:
    columns, rows = grade_table(course, chapter)
    totals = [row["total"] for row in rows]
    items = []
    for column in columns:
        maximum = _max_points(course, chapter, column)
        scored = [row.get(column) or 0.0 for row in rows]  # None: not graded by hand yet
        passed = [int(score >= maximum) for score in scored]
        rest = [row["total"] - score for row, score in zip(rows, scored, strict=True)]
        items.append((column, sum(passed) / len(rows) if rows else 0.0,
                      point_biserial(passed, rest)))
    mistakes = misconception_counts(course, chapter, [row["student_id"] for row in rows])

    scores = go.Figure(go.Histogram(x=totals, nbinsx=20))
    scores.update_layout(title=f"{chapter}: total scores of {len(rows)} graded learners",
                         xaxis_title="points", yaxis_title="learners")
    rates = go.Figure(go.Bar(x=[c for c, _, _ in items], y=[r for _, r, _ in items]))
    rates.update_layout(title="Pass rate per exercise (full points)",
                        yaxis_tickformat=".0%", yaxis_range=[0, 1])
    seen = [m for m in mistakes if m["learners"]]
    hits = go.Figure(go.Bar(y=[f"{m['exercise']} {m['mistake']}" for m in seen],
                            x=[m["learners"] for m in seen], orientation="h"))
    hits.update_layout(title="Learners per named misconception", xaxis_title="learners",
                       height=200 + 30 * len(seen))

    charts = "".join(f.to_html(full_html=False, include_plotlyjs=False)
                     for f in (scores, rates, hits))
    return render(chapter=chapter, learners=rows, items=items, mistakes=mistakes,
                  charts=Markup(charts), plotly_js=Markup(get_plotlyjs()))


def render(**context) -> str:
    """The report page from templates/report.html.j2. Autoescaped, so a student id, a
    chapter or a mistake's message is shown as text, never run as markup."""
    environment = Environment(loader=PackageLoader("shoplab.instructor", "templates"),
                              autoescape=True, undefined=StrictUndefined)
    return environment.get_template("report.html.j2").render(**context)


def _max_points(course: Course, chapter: str, grade_id: str) -> float:
    from nbgrader.api import Gradebook

    with Gradebook(course.config().CourseDirectory.db_url) as gradebook:
        notebook = Path(NOTEBOOK.format(chapter=chapter)).stem
        return float(gradebook.find_grade_cell(grade_id, notebook, chapter).max_score)


def write_report(course: Course, chapter: str, out: Path) -> None:
    out.write_text(build_report(course, chapter), encoding="utf-8")
