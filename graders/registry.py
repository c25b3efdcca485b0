"""The course's table of contents and its exercises, found by chapter or by id ("04.2").

`CONTENTS` lists every chapter of the course — built or planned — with its title: the README's
chapter table, the welcome notebook's list and each lesson's "next chapter" pointer are made
from it (`shoplab.contents`). Which chapters are *built* is not typed anywhere: a chapter
has exercises when `graders/chapters/chNN.py` exists, and a lesson when
`notebooks/NN_<topic>.ipynb` does. Adding a chapter therefore edits neither this file nor any list.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

import graders.chapters
from graders.chapter import Chapter
from graders.spec import Exercise, Written


@dataclass(frozen=True)
class Entry:
    """One row of the table of contents."""

    chapter: Chapter
    title: str


CONTENTS = tuple(Entry(Chapter(number), title) for number, title in enumerate((
    "Welcome: how the course works, the shop, the industry",
    "Platforms & store setup",
    "Products, SKUs & categories",
    "Inventory",
    "Pricing",
    "Promotions, coupons & holiday marketing",
    "Traffic, search & advertising",
    "Livestream & social commerce",
    "Funnels & conversion",
    "Customers & membership",
    "Customer service & reviews",
    "Logistics & multi-platform operations",
    "Finance, tax & risk",
    "Capstone: run the shop on data, plan Double 11",
)))


def entry(chapter) -> Entry:
    """The table-of-contents row of a chapter (4, "04", "ch04"); KeyError if not in the course."""
    wanted = Chapter.parse(chapter)
    for row in CONTENTS:
        if row.chapter == wanted:
            return row
    raise KeyError(f"Chapter {wanted} is not in the course's table of contents.")


def chapter_module(chapter):
    return importlib.import_module(f"graders.chapters.{Chapter.parse(chapter).assignment}")


def chapters() -> list[str]:
    """Chapter numbers that have exercises, e.g. ["00", "04"]."""
    found = []
    for module in pkgutil.iter_modules(graders.chapters.__path__):
        try:
            found.append(Chapter.parse(module.name))
        except ValueError:
            continue
    return [c.code for c in sorted(found)]


def exercises(chapter) -> tuple[Exercise, ...]:
    return chapter_module(chapter).EXERCISES


def written(chapter) -> tuple[Written, ...]:
    """The chapter's answers graded by hand (`WRITTEN`; most chapters have none)."""
    return getattr(chapter_module(chapter), "WRITTEN", ())


def find_written(answer_id: str) -> Written | None:
    """The written answer (graded by hand) with this id ("13.case"), or None."""
    try:
        chapter = Chapter.parse(answer_id.split(".")[0]).code
    except ValueError:
        return None
    if chapter not in chapters():
        return None
    return next((w for w in written(chapter) if w.id == answer_id), None)


def find(exercise_id: str) -> Exercise:
    try:
        chapter = Chapter.parse(exercise_id.split(".")[0]).code
    except ValueError:
        chapter = None
    if chapter not in chapters():
        raise KeyError(f"No chapter {exercise_id.split('.')[0]!r} (exercise ids look like '04.2').")
    for exercise in exercises(chapter):
        if exercise.id == exercise_id:
            return exercise
    ids = ", ".join(e.id for e in exercises(chapter))
    raise KeyError(f"No exercise {exercise_id!r}; chapter {chapter} has {ids}.")
