"""What a learner with a given misconception computes — imported by simulated notebooks.

Kept apart from `simulate` (which needs nbformat, seconds to import) because it runs inside
every simulated learner's kernel, within the grading timeout.
"""

from __future__ import annotations


def mistaken(exercise_id: str, mistake: str):
    """The mistake's wrong function, or its wrong value on the shop's tables."""
    from graders.answers import Function
    from graders.data import Data
    from graders.registry import find

    exercise = find(exercise_id)
    wrong = next(m for m in exercise.mistakes if m.name == mistake).answer
    return wrong if isinstance(exercise.answer, Function) else wrong(Data())
