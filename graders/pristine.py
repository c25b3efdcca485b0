"""Grading that a submission cannot tamper with by patching the course's own code.

Hidden grade cells do

    __import__("sys").modules.pop("graders.pristine", None)
    from graders.pristine import grade
    grade("04.2")

(the answer is looked up by the name the spec declares, so an answer cell that failed is
reported as such), so this module is re-read from disk every time, and `grade` re-imports
`graders` and `shoplab` from disk as well (setting the learner's copies aside for the
duration), then reads the tables from disk. Whatever the notebook did to those packages'
attributes, to the exercise registry, to the loaded DataFrames or to the names
`check`/`grade` does not reach the score. What this does not defend against is documented
in docs/grading.md.
"""

import sys

_OWN = ("graders", "shoplab")


def _is_own(name: str) -> bool:
    return name.split(".")[0] in _OWN


_BY_NAME = object()


def grade(exercise_id: str, answer=_BY_NAME) -> float:
    """Score `answer` on public and held-back cases; print the feedback, publish the result
    as data (for the class report); raise on zero.

    Returns the points earned as a plain float: nbgrader reads a grade cell's final value as
    partial credit.
    """
    learners = {name: mod for name, mod in sys.modules.items() if _is_own(name)}
    for name in learners:
        del sys.modules[name]
    try:
        from graders.engine import evaluate, lookup, publish
        from graders.registry import find

        exercise = find(exercise_id)
        if answer is _BY_NAME:
            answer = lookup(exercise.name, sys._getframe(1).f_globals)
        result = evaluate(exercise, answer, hidden=True)
        publish(result)
    finally:
        for name in [n for n in sys.modules if _is_own(n)]:
            del sys.modules[name]
        sys.modules.update(learners)
    print(result.text())
    if result.score == 0:
        raise AssertionError(result.text())
    return float(result.score)
