"""Find an exercise by its id ("04.2"): chapter modules are `graders.chNN`, imported on demand."""

from __future__ import annotations

import importlib
import pkgutil

import graders
from graders.spec import Exercise


def chapter_module(chapter: str):
    return importlib.import_module(f"graders.ch{chapter}")


def chapters() -> list[str]:
    """Chapter numbers that have exercises, e.g. ["00", "04"]."""
    return sorted(
        m.name[2:] for m in pkgutil.iter_modules(graders.__path__)
        if m.name.startswith("ch") and m.name[2:].isdigit()
    )


def exercises(chapter: str) -> tuple[Exercise, ...]:
    return chapter_module(chapter).EXERCISES


def find(exercise_id: str) -> Exercise:
    chapter = exercise_id.split(".")[0]
    if chapter not in chapters():
        raise KeyError(f"No chapter {chapter!r} (exercise ids look like '04.2').")
    for exercise in exercises(chapter):
        if exercise.id == exercise_id:
            return exercise
    ids = ", ".join(e.id for e in exercises(chapter))
    raise KeyError(f"No exercise {exercise_id!r}; chapter {chapter} has {ids}.")
