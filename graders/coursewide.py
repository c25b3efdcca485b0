"""The course-wide self-study view: every built chapter's points from the record, the level
(`graders.levels`) and a printable certificate page.

Self-study only: the numbers come from the checks the learner ran on their own machine
(`graders.record`), without the graded version's held-back cases, so the page says it is a
self-study record and not an instructor's grade. A class's level comes from the gradebook
(`shoplab export`), by the same rule.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from graders import levels, record, registry

HONEST = ("A self-study record: the scores of the checks this learner ran on their own "
          "computer (kept by Shop Lab in {where}). It is not an instructor's grade: the "
          "graded version of each chapter also runs held-back cases.")


@dataclass(frozen=True)
class Row:
    """One built chapter: its code, title, points earned on the checks and points possible."""

    chapter: str
    title: str
    earned: float
    possible: float

    @property
    def fraction(self) -> float:
        return self.earned / self.possible if self.possible else 0.0


def rows(session: Mapping[str, object] | None = None) -> list[Row]:
    """Every built chapter's best points: the record's, or this session's results
    (`graders.learner._results`) where they are better, e.g. when the record is unwritable."""
    best = {exercise: entry["score"] for exercise, entry in record.read().items()}
    for exercise, result in (session or {}).items():
        best[exercise] = max(best.get(exercise, 0.0), result.score)
    table = []
    for chapter in registry.chapters():
        exercises = registry.exercises(chapter)
        earned = sum(min(max(best.get(e.id, 0.0), 0.0), e.max_points) for e in exercises)
        table.append(Row(chapter, registry.entry(chapter).title, earned,
                         sum(e.max_points for e in exercises)))
    return table


def standing(table: list[Row]) -> levels.Standing:
    return levels.standing({r.chapter: r.fraction for r in table},
                           {r.chapter: r.possible for r in table})


def describe(table: list[Row]) -> str:
    """The text `progress()` shows."""
    lines = [f"Course progress, from your checks (kept in {record.path()}):"]
    for row in table:
        lines.append(f"  {row.chapter} {row.title}: {row.earned:g} of {row.possible:g} points "
                     f"({levels.percent(row.fraction)})")
    now = standing(table)
    lines.append(f"Level: {now.level or 'none yet'}.")
    if now.next:
        lines += [f"For {now.next} you still need:", *(f"  - {m}" for m in now.missing)]
    else:
        lines.append("That is the course's top level.")
    lines += [f"The rule: {levels.rule_text()}",
              "This counts the checks you ran; the graded version also runs held-back cases."]
    if now.level:
        lines.append('A printable page of this record: from graders import certificate, then '
                     'certificate("Your Name").')
    return "\n".join(lines)


def page(name: str, table: list[Row], today: date) -> str:
    """The certificate: one self-contained HTML page (no scripts, no external files)."""
    now = standing(table)
    cells = "\n".join(
        f"<tr><td>{r.chapter}</td><td>{html.escape(r.title)}</td>"
        f"<td class=num>{r.earned:g} / {r.possible:g}</td>"
        f"<td class=num>{levels.percent(r.fraction)}</td></tr>" for r in table)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Shop Lab — {html.escape(name)} — {now.level}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; color: #222; }}
h1 {{ font-size: 1.6rem; margin-bottom: .2rem; }}
.level {{ font-size: 2.4rem; margin: .6rem 0; }}
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0; }}
td, th {{ border-bottom: 1px solid #ccc; padding: .25rem .5rem; text-align: left; }}
.num {{ text-align: right; white-space: nowrap; }}
.note {{ font-size: .9rem; color: #444; }}
@page {{ size: A4; margin: 18mm; }}
@media print {{ body {{ margin: 0; max-width: none; }} tr {{ break-inside: avoid; }} }}
</style></head>
<body>
<h1>Shop Lab: run your shop on numbers</h1>
<p>Course level reached by</p>
<p class="name"><strong>{html.escape(name)}</strong></p>
<p class="level">{now.level}</p>
<p>on {today.isoformat()}.</p>
<table><thead><tr><th>Chapter</th><th></th><th class=num>Points</th><th class=num>Share</th>
</tr></thead><tbody>
{cells}
</tbody></table>
<p class="note">The rule: {html.escape(levels.rule_text())}</p>
<p class="note">{html.escape(HONEST.format(where=record.path()))}</p>
</body></html>
"""
