"""Shop Lab's exercise checks. In an exercise notebook:

    from graders import check, hint, progress, solution

Each exercise is declared once, as an `Exercise` spec in its chapter module
(`graders/chapters/ch04.py`).
Inside this package, import with absolute names (`from graders.spec import ...`): the hidden
grade cells re-import the package from disk (see `graders.pristine`).
"""

from graders.learner import certificate, check, hint, progress, solution

__all__ = ["certificate", "check", "hint", "progress", "solution"]
