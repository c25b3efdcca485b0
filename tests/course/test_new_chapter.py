"""Adding a chapter touches only the chapter's own files (docs/authoring.md says which).

In a temporary copy of the repository (a git repo of its own, so every change shows), the
test writes a tiny chapter — the first of the table of contents that has no files yet, so it
keeps working as chapters land; once every chapter is written, the copy first removes the last
chapter's files (and re-renders the lists of chapters) and commits that, so the test still
adds a chapter to a course that lacks it — the way an author would — its lesson, its spec
module and its source notebook with prose, answer cells and empty grade cells — and then only runs
commands: `make release`'s `python -m shoplab.release` renders and releases it, the generic
spec and staleness tests run on it, and real nbgrader grades a simulated class of it. The
only files that differ from the commit afterwards are the chapter's own three, its
release/, and the lists of chapters the release re-renders.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from graders.registry import CONTENTS

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("new-chapter")]

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _unwritten(entry, root: Path = REPO) -> bool:
    chapter = entry.chapter
    return not ((root / "graders" / "chapters" / f"{chapter.assignment}.py").exists()
                or list((root / "notebooks").glob(f"{chapter.code}_*.ipynb"))
                or (root / "source" / chapter.assignment).exists())


NEW = next((entry for entry in CONTENTS if _unwritten(entry)), CONTENTS[-1])
MAKE_ROOM = not _unwritten(NEW)  # every chapter is written: the copy drops NEW's files first
NN, CH = NEW.chapter.code, NEW.chapter.assignment  # "05", "ch05"
LESSON = f"{NN}_throwaway.ipynb"
PREVIOUS = sorted(p for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb") if p.name < NN)[-1]

SPEC = '''"""Chapter @@ (a throwaway written by tests/course/test_new_chapter.py)."""

from graders.answers import Function, Number
from graders.spec import Case, Exercise, Mistake
from shoplab import metrics


def _platform(data):
    return data.orders[data.orders["channel"] == "platform"]


EXERCISES = (
    Exercise(
        id="@@.1",
        kind="computation",
        name="platform_paid",
        title="Paid orders on the platform",
        answer=Number("count"),
        reference=lambda data: len(metrics.paid(_platform(data))),
        mistakes=(Mistake("every_order", lambda data: len(_platform(data)),
                          "That counts every order; only paid ones are sales."),),
        hints=("Keep the platform channel, then the paid orders.",),
        points=1,
    ),
    Exercise(
        id="@@.2",
        kind="decision",
        name="net_payout",
        title="Net payout of an order",
        answer=Function(returns=Number("yuan")),
        reference=lambda amount, commission: amount * (1 - commission),
        cases=(Case("a ¥100 order at 5 %", {"amount": 100.0, "commission": 0.05}),),
        hidden=(Case("no commission", {"amount": 80.0, "commission": 0.0}),),
        mistakes=(Mistake("commission_kept", lambda amount, commission: amount * commission,
                          "That is the platform's commission, not what you keep."),),
        hints=("You keep what the commission does not take.",),
        points=2,
    ),
)
'''.replace("@@", NN)

SETUP = ("from graders import check, hint, progress, solution\n"
         "from shoplab import load_table\nfrom shoplab.metrics import paid\n\n"
         'orders = load_table("orders")')


def code(source: str, **nbgrader) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    if nbgrader:
        cell.metadata["nbgrader"] = {"schema_version": 3, "grade": False, "solution": False,
                                     "task": False, "locked": True, **nbgrader}
    return cell


def source_notebook() -> nbformat.NotebookNode:
    """What the author writes: prose, answer cells with solution regions, empty grade cells."""
    md = nbformat.v4.new_markdown_cell
    cells = [
        md(f"# Chapter {NN} — a throwaway"),
        code(SETUP, grade_id="setup"),
        md(f"### Exercise {NN}.1 — \n\nCount the paid orders placed on the platform channel."),
        code("platform_paid = ...\n### BEGIN SOLUTION\n"
             'platform_paid = len(paid(orders[orders.channel == "platform"]))\n'
             "### END SOLUTION", grade_id=f"ex{NN}_1_answer", solution=True, locked=False),
        code("", grade_id=f"ex{NN}_1", grade=True),
        md(f"### Exercise {NN}.2 — \n\nWrite `net_payout(amount, commission)`."),
        code('def net_payout(amount, commission):\n    """What you keep (¥)."""\n'
             "    ### BEGIN SOLUTION\n    return amount * (1 - commission)\n"
             "    ### END SOLUTION", grade_id=f"ex{NN}_2_answer", solution=True, locked=False),
        code("", grade_id=f"ex{NN}_2", grade=True),
        code(f'progress("{NN}")', grade_id="progress"),
    ]
    return nbformat.v4.new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3 (Shop Lab)", "language": "python",
                       "name": "python3"}})


def lesson() -> nbformat.NotebookNode:
    cells = [nbformat.v4.new_markdown_cell(f"# Chapter {NN} — a throwaway lesson"),
             nbformat.v4.new_markdown_cell("", metadata={"tags": ["next-chapter"]})]
    return nbformat.v4.new_notebook(cells=cells)


OWN = {f"graders/chapters/{CH}.py", f"notebooks/{LESSON}", f"source/{CH}/{CH}_exercises.ipynb"}
GENERATED = {f"release/{CH}/{CH}_exercises.ipynb",  # nbgrader's student version
             "README.md", "notebooks/00_welcome.ipynb",  # chapter table; chapter list
             f"notebooks/{PREVIOUS.name}"}  # the previous lesson's next pointer


def run(args, cwd: Path, env: dict) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    assert done.returncode == 0, (done.stdout + done.stderr)[-4000:]
    return done.stdout


def changed(repo: Path, env: dict) -> set[str]:
    out = run(["git", "status", "--porcelain", "--untracked-files=all"], repo, env)
    return {line[3:] for line in out.splitlines()}


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """A committed copy of the tracked files, with the new chapter written into it."""
    copy = tmp_path_factory.mktemp("new-chapter") / "repo"
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                             check=True).stdout.decode().split("\0")
    for name in filter(None, tracked):
        if (REPO / name).is_file():
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, copy / name)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}",
           "PYTHONPATH": str(copy), "SHOPLAB_DATA": str(REPO / "datasets"),
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.org",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.org"}
    if MAKE_ROOM:
        for path in [copy / "graders" / "chapters" / f"{CH}.py",
                     *(copy / "notebooks").glob(f"{NN}_*.ipynb")]:
            path.unlink()
        for folder in ("source", "release"):
            shutil.rmtree(copy / folder / CH)
        run([str(BIN / "python"), "-c", "from shoplab.contents import render_all; render_all()"],
            copy, env)
        assert _unwritten(NEW, copy)
    run(["git", "init", "-q"], copy, env)
    run(["git", "add", "-A"], copy, env)
    run(["git", "commit", "-qm", f"before chapter {NN}"], copy, env)

    (copy / "graders" / "chapters" / f"{CH}.py").write_text(SPEC)
    (copy / "source" / CH).mkdir()
    nbformat.write(source_notebook(), copy / "source" / CH / f"{CH}_exercises.ipynb")
    nbformat.write(lesson(), copy / "notebooks" / LESSON)
    assert changed(copy, env) == OWN
    run([str(BIN / "python"), "-m", "shoplab.release"], copy, env)
    return copy, env


def test_release_renders_it_and_changes_nothing_outside_the_chapter(repo):
    copy, env = repo
    assert changed(copy, env) == OWN | GENERATED
    source = (copy / "source" / CH / f"{CH}_exercises.ipynb").read_text()
    assert f"### Exercise {NN}.2 — Net payout of an order (2 points)" in source
    assert f'grade(\\"{NN}.1\\")' in source
    assert f"[lesson](notebooks/{LESSON})" in (copy / "README.md").read_text()
    welcome = (copy / "notebooks" / "00_welcome.ipynb").read_text()
    assert f"[{NEW.title}]({LESSON})" in welcome
    previous = (copy / "notebooks" / PREVIOUS.name).read_text()
    assert f"**Next chapter:** [{NN} — {NEW.title}]({LESSON})" in previous


def test_its_own_checks_pass_in_the_copy(repo):
    copy, env = repo
    tests = [f"tests/engine/test_exercises.py::{name}[{exercise}]"
             for exercise in (f"{NN}.1", f"{NN}.2")
             for name in ("test_reference_passes_public_and_hidden",
                          "test_blank_is_not_attempted",
                          "test_solution_comes_from_the_source_notebooks_solution_region")]
    tests += [f"tests/engine/test_exercises.py::test_each_mistake_fails_with_its_own_message"
              f"[{mistake}]" for mistake in (f"{NN}.1-every_order", f"{NN}.2-commission_kept")]
    tests += ["tests/engine/test_exercises.py::test_source_notebook_has_one_grade_cell_per_"
              f"exercise[{NN}]",
              "tests/course/test_release.py::test_source_notebook_is_rendered_from_its_specs"
              f"[{CH}]",
              "tests/course/test_contents.py::test_committed_list_is_rendered_from_the_registry"]
    out = run([str(BIN / "python"), "-m", "pytest", "-p", "no:xdist", "-q", "-p",
               "no:cacheprovider", *tests], copy, env)
    assert " passed" in out and "failed" not in out and "skipped" not in out, out


def test_real_nbgrader_grades_a_class_of_it(repo, tmp_path):
    copy, env = repo
    course = tmp_path / "course"
    course.mkdir()
    shutil.copy(copy / "nbgrader_config.py", course)
    shutil.copytree(copy / "source" / CH, course / "source" / CH)
    shoplab = [str(BIN / "shoplab")]
    for args in (["release", CH], ["simulate", CH, "--students", "3", "--seed", "1"],
                 ["grade", CH, "--workers", "1", "--timeout", "60"]):
        run([*shoplab, *args, "--course", str(course)], copy, env)
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        scores = {s.student.id: s.score for s in gradebook.find_assignment(CH).submissions}
    assert scores == {"s001-correct": 3.0, "s002-misconception1": 0.0, "s003-blank": 0.0}
