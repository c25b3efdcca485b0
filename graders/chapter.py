"""A chapter's identity, spelled once: `Chapter.parse` reads 4, "04", "ch04" or "04.2".

The course spells a chapter three ways — "04" in exercise ids and lesson file names, "ch04"
as the nbgrader assignment, "ex04_1" as a grade cell id — and every conversion between them
lives here, so no other module builds those strings by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

LAST = 99
_FORMS = re.compile(r"(?:ch)?(\d{1,2})(?:\.\d+)?")


@dataclass(frozen=True, order=True)
class Chapter:
    """One chapter, by number (0-99)."""

    number: int

    def __post_init__(self):
        if not isinstance(self.number, int) or not 0 <= self.number <= LAST:
            raise ValueError(f"a chapter number is a whole number 0-{LAST}, not {self.number!r}")

    @classmethod
    def parse(cls, value: int | str | Chapter) -> Chapter:
        """4, "4", "04", "ch04", or an exercise id "04.2" -> Chapter(4); ValueError otherwise."""
        if isinstance(value, Chapter):
            return value
        if isinstance(value, int) and not isinstance(value, bool):
            return cls(value)
        match = _FORMS.fullmatch(str(value).strip().lower())
        if not match:
            raise ValueError(f"{value!r} is not a chapter: write 4, 04 or ch04")
        return cls(int(match.group(1)))

    @property
    def code(self) -> str:
        """"04": the prefix of exercise ids and lesson notebooks."""
        return f"{self.number:02d}"

    @property
    def assignment(self) -> str:
        """"ch04": the nbgrader assignment, its folders and its notebook's stem."""
        return f"ch{self.code}"

    @property
    def notebook(self) -> str:
        """The exercise notebook's file name inside source/ch04/ and release/ch04/."""
        return f"{self.assignment}_exercises.ipynb"

    def exercise_id(self, number: int) -> str:
        return f"{self.code}.{number}"

    def __str__(self) -> str:
        return self.code


def grade_id(exercise_id: str) -> str:
    """nbgrader's grade cell id for an exercise: "04.1" -> "ex04_1" (ids allow no dots)."""
    chapter, _, number = exercise_id.partition(".")
    return f"ex{Chapter.parse(chapter).code}_{int(number)}"


def answer_id(exercise_id: str) -> str:
    """nbgrader's id for the exercise's solution (answer) cell: "04.1" -> "ex04_1_answer"."""
    return f"{grade_id(exercise_id)}_answer"


def written_id(written: str) -> str:
    """nbgrader's id for a written answer graded by hand: "13.case" -> "ex13_case" (no
    exercise's grade cell id has a name after the chapter, so the two never collide)."""
    chapter, _, name = written.partition(".")
    return f"ex{Chapter.parse(chapter).code}_{name}"


def exercise_of(grade_cell_id: str) -> str | None:
    """The exercise id a grade cell id names ("ex04_1" -> "04.1"), or None for other cells."""
    match = re.fullmatch(r"ex(\d{2})_(\d+)", grade_cell_id)
    return f"{match.group(1)}.{match.group(2)}" if match else None
