"""The course level, 初级 / 中级 / 高级, from a learner's share of each chapter's points.

The seed's 考核与评估 asks for a graded certification (认证体系: 初级、中级、高级), checked in
stages (分阶段进行检验), each level with a stated standard, and the top level earned by
exam *and* practice together (考试和实践相结合). Shop Lab's levels follow it:

* 初级 (foundation): at least `PASS` of the points in each foundation chapter
  (`FOUNDATION`: the welcome, platforms, products, inventory and pricing chapters);
* 中级: at least `PASS` in every built chapter before the capstone (all the topics taught);
* 高级: 中级, at least `HIGH` of all the course's points, and the capstone (`CAPSTONE`, the
  practice: a plan run through the shop) at least `PASS` — so 高级 needs chapter 13 built.

The sentence a learner and an instructor read is `rule_text()`, made from these constants
(docs/grading.md#levels quotes it; a test holds the two together). One rule, two inputs: the
self-study record (`graders.record`, from the checks the learner ran) and the gradebook
(`shoplab.instructor.export`, from nbgrader's scores), both as {chapter: fraction of its points}.
Which chapters count is read from `graders.registry` (built chapters only), never listed here.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from graders import registry
from graders.chapter import Chapter

LEVELS = ("初级", "中级", "高级")
PASS = 0.60
HIGH = 0.80
FOUNDATION = tuple(Chapter(n).code for n in range(5))
CAPSTONE = Chapter(13).code
# Partial credit adds up in floats (1.8/3 is 0.6000000000000001 or 0.5999…): never lose a level
# to rounding.
_ROUNDING = 1e-9


def percent(fraction: float) -> str:
    """Whole percent, rounded down: 59.6 % short of a 60 % bar shows as 59 %, not 60 %."""
    return f"{math.floor(fraction * 100 + 1e-6):d} %"


def rule_text() -> str:
    """The rule in one sentence, as docs/grading.md states it."""
    return (f"初级: at least {percent(PASS)} of the points in each of chapters "
            f"{FOUNDATION[0]}–{FOUNDATION[-1]}; 中级: at least {percent(PASS)} in every built "
            f"chapter before the capstone; 高级: 中级, at least {percent(HIGH)} of all the "
            f"course's points, and the capstone (chapter {CAPSTONE}) at least {percent(PASS)}.")


@dataclass(frozen=True)
class Standing:
    """Where a learner stands: the level reached (None: none yet), the next level and what it
    still needs, one short phrase per requirement (empty when 高级 is reached)."""

    level: str | None
    next: str | None
    missing: tuple[str, ...]


def chapter_points() -> dict[str, float]:
    """Each built chapter's points, from its exercise specs."""
    return {chapter: sum(e.max_points for e in registry.exercises(chapter))
            for chapter in registry.chapters()}


def standing(fractions: Mapping[str, float],
             points: Mapping[str, float] | None = None) -> Standing:
    """The level of a learner with `fractions` = {chapter "04": share of its points, 0-1}.

    `points` are the built chapters and their points (default: `chapter_points()`); a chapter
    missing from `fractions` counts as 0, a chapter not built is ignored."""
    points = chapter_points() if points is None else dict(points)
    share = {chapter: fractions.get(chapter, 0.0) for chapter in points}
    total = sum(points.values())
    overall = sum(share[c] * points[c] for c in points) / total if total else 0.0
    needs = {
        "初级": _below(share, FOUNDATION, PASS),
        "中级": _below(share, [c for c in points if c != CAPSTONE], PASS),
        "高级": [*_below(share, [CAPSTONE], PASS),
               *([] if overall + _ROUNDING >= HIGH else
                 [f"{percent(HIGH)} of all points (now {percent(overall)})"])],
    }
    reached = None
    for level in LEVELS:
        # a level includes the one below it: 高级 needs 中级's chapters too
        if any(needs[lower] for lower in LEVELS[:LEVELS.index(level) + 1]):
            return Standing(reached, level, tuple(needs[level]))
        reached = level
    return Standing(reached, None, ())


def _below(share: Mapping[str, float], chapters: Iterable[str], bar: float) -> list[str]:
    """What `chapters` still need to reach `bar`; a chapter this copy lacks needs building."""
    return [f"chapter {c} built in your copy of the course" if c not in share else
            f"chapter {c} at {percent(bar)} (now {percent(share[c])})"
            for c in chapters if c not in share or share[c] + _ROUNDING < bar]
