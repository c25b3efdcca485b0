"""References kept on disk: each exercise's expected answer and its mistakes' answers, computed
once per version of the shop's data and of the course's code, not in every grade cell.

Every check and every hidden grade of every submission needs the same references, and some
take a second to compute (a month-by-month split of two years of sessions). `build` computes
those of the value exercises (a function answer's reference is called on each case instead)
and stores each exercise's with `shoplab.stored`, under a key that hashes the data manifest and
every file of the `graders` and `shoplab` packages: a changed table, formula, spec or stored
plan computes them again. `answers` reads an exercise's stored entry once per evaluation; where
none matches the key, each value is computed in the caller's process. Only `build` writes, in a
trusted process, never in a kernel (`shoplab.stored` says why that keeps the threat model).
"""

from __future__ import annotations

from dataclasses import dataclass

from graders.data import Data
from graders.spec import Exercise, Mistake
from shoplab import stored


def _key() -> str:
    return stored.key("graders", "shoplab")


def _entry(exercise: Exercise) -> dict | None:
    return stored.read(f"exercise-{exercise.id}", _key())


@dataclass(frozen=True)
class Answers:
    """One exercise's stored entry, read once for a whole evaluation (the reference and every
    mistake it matches against), or None: then each value is computed."""

    exercise: Exercise
    entry: dict | None

    def reference(self, data: Data):
        """The expected answer (`exercise.reference(data)`), from disk when stored."""
        if self.entry is not None:
            return self.entry["reference"]
        return self.exercise.reference(data)

    def mistake(self, mistake: Mistake, data: Data):
        """A named mistake's answer (`mistake.answer(data)`), from disk when stored."""
        if self.entry is not None and mistake.name in self.entry["mistakes"]:
            return self.entry["mistakes"][mistake.name]
        return mistake.answer(data)


def answers(exercise: Exercise) -> Answers:
    """The exercise's references as stored for the current data and code, if they are."""
    return Answers(exercise, _entry(exercise))


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
