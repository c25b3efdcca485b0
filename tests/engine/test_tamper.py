"""A submission that patches the course's checking code still gets the score it earned.

Runs the real nbgrader pipeline (generate_assignment, autograde) on a throwaway course with
two submissions that both start by sabotaging `graders` and `shoplab` (see docs/grading.md
for the threat model): one answers nothing and must score zero, the other carries the
solutions and must score full marks — so the sabotage itself is not what decides the score.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from graders import registry

ROOT = Path(__file__).resolve().parents[2]
BIN = str(Path(sys.executable).parent)

SABOTAGE = """\
import graders
import graders.engine
import graders.learner
import graders.pristine
import graders.registry
import shoplab


def always_right(exercise, answer, **kwargs):
    return graders.engine.Result(exercise, graders.engine.PASSED, exercise.max_points)


graders.engine.evaluate = always_right
graders.learner.evaluate = always_right
graders.learner.check = lambda *args, **kwargs: None
check = lambda *args, **kwargs: None  # noqa: E731
graders.pristine.grade = lambda *args, **kwargs: 100.0
grade = graders.pristine.grade
for exercise in graders.registry.exercises("{chapter}"):
    object.__setattr__(exercise, "reference", lambda *args, **kwargs: ...)
    object.__setattr__(exercise, "hidden", ())
"""
SABOTAGE_DATA = "\nshoplab.load_table = lambda name: None\n"


def nbgrader(course: Path, *args: str) -> None:
    env = {**os.environ, "PATH": BIN + os.pathsep + os.environ["PATH"]}
    run = subprocess.run([f"{BIN}/nbgrader", *args], cwd=course, env=env,
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]


def submit(course: Path, student: str, notebook: Path, chapter: str, code: str) -> None:
    nb = nbformat.read(notebook, as_version=4)
    setup = next(i for i, c in enumerate(nb.cells) if c.cell_type == "code")
    nb.cells.insert(setup + 1, nbformat.v4.new_code_cell(code))
    target = course / "submitted" / student / f"ch{chapter}" / notebook.name
    target.parent.mkdir(parents=True)
    nbformat.write(nb, target)


@pytest.mark.slow
def test_sabotage_neither_earns_nor_costs_points(tmp_path):
    chapter = "04" if "04" in registry.chapters() else registry.chapters()[0]
    name = f"ch{chapter}"
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "source" / name, tmp_path / "source" / name)
    nbgrader(tmp_path, "generate_assignment", name, "--force")
    notebook = f"{name}_exercises.ipynb"
    sabotage = SABOTAGE.format(chapter=chapter)
    submit(tmp_path, "blank", tmp_path / "release" / name / notebook, chapter,
           sabotage + SABOTAGE_DATA)
    submit(tmp_path, "solved", tmp_path / "source" / name / notebook, chapter, sabotage)
    nbgrader(tmp_path, "autograde", name)

    total = sum(ex.max_points for ex in registry.exercises(chapter))
    with Gradebook(f"sqlite:///{tmp_path}/gradebook.db") as gb:
        blank = gb.find_submission(name, "blank")
        solved = gb.find_submission(name, "solved")
        assert blank.max_score == total
        assert blank.score == 0
        assert solved.score == total
