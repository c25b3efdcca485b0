"""References kept on disk: each exercise's expected answer and its mistakes' answers, computed
once per version of the shop's data and of the course's code, not in every grade cell.

Every check and every hidden grade of every submission needs the same references, and some
take a second to compute (a month-by-month split of two years of sessions). `build` computes
those of the value exercises (a function answer's reference is called on each case instead)
and stores each exercise's with `shoplab.stored`, under a key that hashes the data manifest and
every file of the `graders` and `shoplab` packages: a changed table, formula, spec or stored
plan computes them again. `reference` and `mistake_answer` read a stored entry whose key
matches, and compute the value in the caller's process otherwise. Only `build` writes, in a
trusted process, never in a kernel (`shoplab.stored` says why that keeps the threat model).
"""

from __future__ import annotations

from graders.data import Data
from graders.spec import Exercise, Mistake
from shoplab import stored


def _key() -> str:
    return stored.key("graders", "shoplab")


def _entry(exercise: Exercise) -> dict | None:
    return stored.read(f"exercise-{exercise.id}", _key())


def reference(exercise: Exercise, data: Data):
    """The exercise's expected answer (`exercise.reference(data)`), from disk when stored."""
    entry = _entry(exercise)
    return entry["reference"] if entry is not None else exercise.reference(data)


def mistake_answer(exercise: Exercise, mistake: Mistake, data: Data):
    """A named mistake's answer (`mistake.answer(data)`), from disk when stored."""
    entry = _entry(exercise)
    if entry is not None and mistake.name in entry["mistakes"]:
        return entry["mistakes"][mistake.name]
    return mistake.answer(data)


def build(exercises, data: Data | None = None) -> list[str]:
    """Store the references of `exercises` that are missing or stale; return their ids."""
    from graders.answers import Function

    data = data or Data()
    built = []
    for exercise in exercises:
        if isinstance(exercise.answer, Function) or _entry(exercise) is not None:
            continue
        entry = {"reference": exercise.reference(data),
                 "mistakes": {m.name: m.answer(data) for m in exercise.mistakes}}
        if stored.write(f"exercise-{exercise.id}", _key(), entry):
            built.append(exercise.id)
    return built
