"""The learner's copy (`shoplab learner-copy`): no answers in it, and the same checks and grades.

What counts as an answer is read from the instructor's copy, not typed here: every solution
region of `source/` (`graders.cells.solution_text`) and every held-back case of the specs
(its label and its source text in `graders/chapters/chNN.py`). Then release notebooks run in
real kernels from both copies, blank and solved, and must print the same checks; a
submission made in the learner's copy is graded by real nbgrader in the instructor's copy and
earns what its checks said.
"""

import ast
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient
from nbgrader.api import Gradebook

from graders import cells, registry
from graders.chapter import Chapter, answer_id, grade_id
from graders.engine import BLANK, PASSED, RESULT_MIME
from shoplab.instructor.learner_copy import (
    LearnerCopyError,
    build,
    commit,
    strip_chapter,
    tracked_files,
)

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
CHAPTERS = registry.chapters()
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("learner-copy")]


@pytest.fixture(scope="module")
def copy(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("learner") / "shoplab"
    build(out)
    return out


def env_for(root: Path) -> dict[str, str]:
    """Imports resolve to `root`'s graders and shoplab (ahead of the editable install); the
    tables are the instructor's built ones (the copy ships their builder, not the CSVs)."""
    return {**os.environ, "PYTHONPATH": str(root), "SHOPLAB_DATA": str(ROOT / "datasets"),
            "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def texts(root: Path, names=None) -> dict[str, str]:
    """Every file's text (or the `names` given); a notebook's also as its cells' sources
    (JSON escapes undone)."""
    found = {}
    for name in names or sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()):
        text = (root / name).read_text(encoding="utf-8", errors="replace")
        if name.endswith(".ipynb"):
            text += "\n".join(cells._text(c) for c in json.loads(text)["cells"])
        found[name] = text
    return found


def hidden_cases() -> list[tuple[str, str, str]]:
    """(exercise id, label, source text) of every held-back case in the instructor's specs."""
    found = []
    for chapter in CHAPTERS:
        path = ROOT / "graders" / "chapters" / f"{Chapter.parse(chapter).assignment}.py"
        text = path.read_text(encoding="utf-8")
        segments = [ast.get_source_segment(text, case)
                    for node in ast.walk(ast.parse(text)) if isinstance(node, ast.Call)
                    for kw in node.keywords if kw.arg == "hidden" for case in kw.value.elts]
        cases = [(ex.id, case.label) for ex in registry.exercises(chapter) for case in ex.hidden]
        assert len(segments) == len(cases)
        found += [(ex_id, label, seg) for (ex_id, label), seg in zip(cases, segments, strict=True)]
    assert found, "the specs have no held-back cases to look for"
    return found


def solution_lines() -> dict[str, list[str]]:
    """Exercise id -> the lines of its worked solution found nowhere else in the instructor's
    copy but in source/ (a line the reference code shares is readable by design)."""
    shipped_anyway = [name for name in tracked_files(ROOT)
                      if not name.startswith(("source/", "tests/")) and (ROOT / name).is_file()]
    elsewhere = {line.strip() for text in texts(ROOT, shipped_anyway).values()
                 for line in text.splitlines()}
    return {ex.id: [line.strip() for line in cells.solution_text(ex.id).splitlines()
                    if line.strip() and line.strip() not in elsewhere]
            for chapter in CHAPTERS for ex in registry.exercises(chapter)}


def test_the_copy_has_no_source_notebooks_tests_or_instructor_code(copy):
    for absent in ("source", "tests", "shoplab/instructor", "nbgrader_config.py", "docs"):
        assert not (copy / absent).exists(), absent
    for present in ("release", "notebooks", "graders/chapters", "shoplab/shopgen",
                    "datasets/MANIFEST.sha256", "binder"):
        assert (copy / present).exists(), present
    assert [p.name for p in (copy / "release").iterdir()] != []


def test_no_solution_region_solution_text_or_held_back_case_in_the_copy(copy):
    files = texts(copy)
    everything = "\n".join(files.values())
    notebooks = {n: t for n, t in files.items() if n.endswith(".ipynb")}
    assert any(n.startswith("release/") for n in notebooks)
    for marker in (cells.BEGIN, cells.END, "BEGIN HIDDEN TESTS"):  # (graders/cells.py names them)
        assert not [n for n, t in notebooks.items() if marker in t], marker
    lines = solution_lines()
    assert sum(map(len, lines.values())) > len(lines), "too few solution lines to look for"
    shipped = {line.strip() for line in everything.splitlines()}
    for ex_id, solution in lines.items():
        leaked = [line for line in solution if line in shipped]
        assert not leaked, f"{ex_id}'s solution is in the learner's copy: {leaked}"
        whole = cells.solution_text(ex_id).strip()
        assert whole not in everything, f"{ex_id}'s solution is in the learner's copy"
    # A label may be a lesson's own words ("a 50 % service level"); in graders/ it is the case.
    specs = "\n".join(t for n, t in files.items() if n.startswith("graders/"))
    for ex_id, label, source in hidden_cases():
        assert label not in specs, f"{ex_id}'s held-back case {label!r} is in the copy"
        assert source not in everything, f"{ex_id}'s held-back case {source!r} is in the copy"


def run(root: Path, code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], cwd=root, env=env_for(root),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_the_copys_specs_keep_how_many_cases_grading_adds_and_solutions_are_off(copy):
    code = ("import json, graders, graders.registry as r, graders.learner as l\n"
            "print(json.dumps({'file': graders.__file__, 'solutions': l.solutions_allowed(),"
            " 'hidden': {e.id: [c.label for c in e.hidden] for ch in r.chapters()"
            " for e in r.exercises(ch)}}))")
    seen = json.loads(run(copy, code).strip().splitlines()[-1])
    assert Path(seen["file"]).is_relative_to(copy)
    assert seen["solutions"] is False
    full = {ex.id: len(ex.hidden) for ch in CHAPTERS for ex in registry.exercises(ch)}
    assert {k: len(v) for k, v in seen["hidden"].items()} == full
    assert {label for labels in seen["hidden"].values() for label in labels} == {
        "a held-back case"}


def test_grading_in_the_copy_fails_loudly_instead_of_skipping_held_back_cases(copy):
    exercise = next(ex for ch in CHAPTERS for ex in registry.exercises(ch) if ex.hidden)
    code = ("from graders.engine import evaluate\nfrom graders.registry import find\n"
            f"ex = find({exercise.id!r})\n"
            "try:\n    evaluate(ex, ex.reference, hidden=True)\n"
            "except LookupError as e:\n    print('refused:', e)\n")
    assert "refused: This is the learner's copy" in run(copy, code)


def test_a_hidden_case_that_is_not_a_literal_tuple_is_refused():
    with pytest.raises(LearnerCopyError, match="literal"):
        strip_chapter("from x import y\nExercise(hidden=CASES)\n", "ch99.py")


def test_a_helper_only_held_back_cases_use_goes_with_them():
    text = ("from graders.spec import Case\n\nSECRET = 12.5  # only the hidden case\n\n"
            "@staticmethod\ndef secret_inputs(data):\n    return {'x': SECRET}\n\n"
            "def shared(data):\n    return 1\n\n"
            "E = Exercise(cases=(Case('a', shared),),\n"
            "             hidden=(Case('secret', secret_inputs), Case('b', shared)))\n")
    stripped = strip_chapter(text)
    assert "SECRET" not in stripped and "secret" not in stripped and "@" not in stripped
    assert "def shared" in stripped and "hidden=(WITHHELD,) * 2" in stripped
    compile(stripped, "<stripped>", "exec")


def solved(release: Path, chapter: str, only=None):
    """The release notebook with every answer cell (or those of the exercise ids in `only`)
    finished as the source notebook has it."""
    nb = nbformat.read(release, as_version=4)
    source = cells.read(cells.source_path(chapter))
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        for ex in registry.exercises(chapter):
            if meta.get("grade_id") == answer_id(ex.id) and (only is None or ex.id in only):
                cell.source = cells.solution_code(cells._text(cells.answer_cell(source, ex.id)))
    return nb


def release_path(root: Path, chapter: str) -> Path:
    chapter = Chapter.parse(chapter)
    return root / "release" / chapter.assignment / chapter.notebook


def checks(root: Path, chapter: str) -> list[tuple[str, str, str]]:
    """Run the chapter's release notebook blank, then solved, in one real kernel from `root`,
    as nbgrader's Validate does (checks publish their results); return each grade cell's
    (exercise, published result, printed feedback)."""
    blank = nbformat.read(release_path(root, chapter), as_version=4)
    answered = solved(release_path(root, chapter), chapter).cells
    for cell in answered:
        cell.id = f"solved-{cell.id}"
    nb = nbformat.v4.new_notebook(cells=blank.cells + answered)
    nb.cells.append(nbformat.v4.new_code_cell("import graders; print(graders.__file__)"))
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(release_path(root, chapter).parent)}}
                   ).execute(env={**env_for(root), "NBGRADER_EXECUTION": "validate"})
    assert Path(nb.cells[-1].outputs[0].text.strip()).is_relative_to(root)
    found = []
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade") and cell.cell_type == "code":  # markdown: a written answer
            published = [o.data[RESULT_MIME] for o in cell.outputs
                         if o.output_type == "display_data" and RESULT_MIME in o.data]
            printed = "".join(o.text for o in cell.outputs if o.output_type == "stream")
            found.append((meta["grade_id"], json.dumps(published, sort_keys=True), printed))
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_every_release_notebook_checks_the_same_in_both_copies(copy, chapter):
    learner, instructor = checks(copy, chapter), checks(ROOT, chapter)
    exercises = registry.exercises(chapter)
    assert len(learner) == 2 * len(exercises)
    assert learner == instructor
    statuses = [json.loads(published)[0]["status"] for _, published, _ in learner]
    assert statuses == [BLANK] * len(exercises) + [PASSED] * len(exercises)
    # The copy withholds the held-back cases but still says how many grading adds.
    for ex, (_, _, printed) in zip(exercises, learner[len(exercises):], strict=True):
        assert (f"also tried on {len(ex.hidden)} held-back" in printed) == bool(ex.hidden)


GRADED = "04"


def test_a_submission_made_in_the_copy_grades_the_same_in_the_instructors(copy, tmp_path):
    """Half the exercises solved, the rest blank, checked (as Validate does) in a kernel in the
    learner's copy; real nbgrader autogrades it on a throwaway course made from the
    instructor's source, and each grade cell earns what the learner's check said."""
    chapter = Chapter.parse(GRADED)
    exercises = registry.exercises(GRADED)
    done = {ex.id for ex in exercises[::2]}
    nb = solved(release_path(copy, GRADED), GRADED, only=done)
    NotebookClient(nb, timeout=300, kernel_name="python3", allow_errors=True,
                   resources={"metadata": {"path": str(release_path(copy, GRADED).parent)}}
                   ).execute(env={**env_for(copy), "NBGRADER_EXECUTION": "validate"})
    learner_said = {cell.metadata.nbgrader.grade_id: o.data[RESULT_MIME]["score"]
                    for cell in nb.cells if cell.metadata.get("nbgrader", {}).get("grade")
                    for o in cell.outputs
                    if o.output_type == "display_data" and RESULT_MIME in o.data}

    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", course)
    shutil.copytree(ROOT / "source" / chapter.assignment, course / "source" / chapter.assignment)
    submitted = course / "submitted" / "learner" / chapter.assignment / chapter.notebook
    submitted.parent.mkdir(parents=True)
    nbformat.write(nb, submitted)
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    for step in (["generate_assignment", chapter.assignment, "--force"],
                 ["autograde", chapter.assignment]):
        result = subprocess.run([str(BIN / "nbgrader"), *step], cwd=course, env=env,
                                capture_output=True, text=True, timeout=1200)
        assert result.returncode == 0, result.stderr[-3000:]
    with Gradebook(f"sqlite:///{course}/gradebook.db") as gb:
        graded = gb.find_submission_notebook(chapter.notebook.removesuffix(".ipynb"),
                                             chapter.assignment, "learner")
        scores = {g.name: g.score for g in graded.grades if g.name.startswith("ex")}
    expected = {grade_id(ex.id): ex.max_points if ex.id in done else 0.0 for ex in exercises}
    assert scores == expected
    assert learner_said == expected


def test_the_branch_gets_one_fast_forward_commit_per_build_and_the_work_tree_is_left_alone(
        copy, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    repo.mkdir()

    def git(*args):
        return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org",
                               *args], cwd=repo, check=True, capture_output=True,
                              text=True).stdout.strip()
    git("init", "-q", "-b", "main")
    (repo / "instructor.txt").write_text("answers\n")
    git("add", ".")
    git("commit", "-qm", "instructor")
    for role in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{role}_NAME", "t")
        monkeypatch.setenv(f"GIT_{role}_EMAIL", "t@example.org")
    first = commit(copy, repo, "learner")
    second = commit(copy, repo, "learner")
    assert git("rev-parse", "learner") == second
    assert git("rev-parse", f"{second}^") == first
    listed = set(git("ls-tree", "-r", "--name-only", "learner").splitlines())
    assert listed == {str(p.relative_to(copy)) for p in copy.rglob("*") if p.is_file()}
    assert git("status", "--porcelain") == "" and git("branch", "--show-current") == "main"
