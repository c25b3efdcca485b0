"""The instructor workflow end to end on a real chapter, with the real nbgrader pipeline.

One simulated class (correct, a misconception, blank and every kind of broken notebook) is
graded once by `shoplab grade` in a throwaway course directory; the tests then compare it
with serial `nbgrader autograde`, re-run, force, kill, and read it back.
"""

from __future__ import annotations

import csv
import html
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from nbgrader.api import Gradebook

from graders.engine import RESULT_MIME
from shoplab.instructor.cli import main
from shoplab.instructor.course import Course
from shoplab.instructor.report import point_biserial

# One worker grades the shared class once (a module fixture would run once per xdist worker).
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("instructor-class")]

REPO = Path(__file__).resolve().parents[2]
CHAPTER = "ch04" if (REPO / "source" / "ch04").is_dir() else "ch00"
NOTEBOOK = f"{CHAPTER}_exercises.ipynb"
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
STUDENTS, SEED, TIMEOUT = 11, 7, "15"  # generous: a loaded CI machine is slow
NOT_GRADED = ("crash", "damaged", "missing")


def new_course(path: Path) -> Path:
    path.mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", path)
    shutil.copytree(REPO / "source" / CHAPTER, path / "source" / CHAPTER)
    return path


def shoplab(course: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    run = subprocess.run([str(BIN / "shoplab"), *args, "--course", str(course)],
                         capture_output=True, text=True, env=ENV)
    assert not check or run.returncode == 0, run.stderr[-3000:]
    return run


def invoke(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def scores(course: Path, auto: bool = False) -> dict[tuple[str, str], float]:
    """(student, grade cell) -> points (or only the autograder's, ignoring manual grades),
    for every graded cell in the gradebook."""
    with Gradebook(Course.at(course).config().CourseDirectory.db_url) as gradebook:
        found = {}
        for submission in gradebook.find_assignment(CHAPTER).submissions:
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.auto_score is not None or grade.manual_score is not None:
                        points = grade.auto_score if auto else grade.score
                        found[(submission.student.id, grade.name)] = float(points)
        return found


def student(kind: str, course: Path) -> str:
    return next(s for s in Course.at(course).students(CHAPTER) if s.endswith(f"-{kind}"))


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = new_course(tmp_path_factory.mktemp("class") / "course")
    shoplab(course, "release", CHAPTER)
    shoplab(course, "simulate", CHAPTER, "--students", str(STUDENTS), "--seed", str(SEED))
    run = shoplab(course, "grade", CHAPTER, "--workers", "2", "--timeout", TIMEOUT)
    return course, run.stdout


def test_one_command_grades_the_class_and_lists_broken_notebooks(graded):
    course, report = graded
    assert f"{STUDENTS - len(NOT_GRADED)} graded" in report
    for kind, reason in [("crash", "NOT GRADED — the kernel died"),
                         ("damaged", "NOT GRADED — ch"), ("missing", "NOT GRADED — no "),
                         ("loop", "timed out"), ("hog", "ran out of memory"),
                         ("flood", "printed too much"), ("exit", "sys.exit")]:
        line = next(x for x in report.splitlines() if f"-{kind}:" in x)
        assert reason in line, line
    graded_students = {s for s, _ in scores(course)}
    assert student("correct", course) in graded_students
    assert not graded_students & {student(k, course) for k in NOT_GRADED}
    correct = [v for (s, _), v in scores(course).items() if s == student("correct", course)]
    blank = [v for (s, _), v in scores(course).items() if s == student("blank", course)]
    assert min(correct) > 0 and max(blank) == 0


def test_scores_are_identical_to_serial_nbgrader(graded, tmp_path):
    course, _ = graded
    serial = new_course(tmp_path / "serial")
    chosen = [student(k, course) for k in ("correct", "misconception1", "syntax")]
    for name in chosen:
        shutil.copytree(course / "submitted" / name, serial / "submitted" / name)
    for args in (["generate_assignment", CHAPTER],
                 ["autograde", CHAPTER, f"--Execute.timeout={TIMEOUT}"]):
        subprocess.run([str(BIN / "nbgrader"), *args], cwd=serial, env=ENV,
                       capture_output=True, check=True)
    parallel = {k: v for k, v in scores(course).items() if k[0] in chosen}
    assert scores(serial) == parallel
    assert len(parallel) == len(chosen) * len({g for _, g in parallel})


def test_rerun_skips_graded_and_force_regrades(graded):
    course, _ = graded
    rerun = shoplab(course, "grade", CHAPTER, "--timeout", TIMEOUT).stdout
    assert f"0 graded, {STUDENTS - len(NOT_GRADED)} already graded" in rerun
    forced = shoplab(course, "grade", CHAPTER, "--force", "--student",
                     student("correct", course), "--timeout", TIMEOUT).stdout
    assert "1 graded, 0 already graded" in forced


def test_manual_grade_survives_regrading(graded):
    course, _ = graded
    url = Course.at(course).config().CourseDirectory.db_url
    marked = student("misconception1", course)
    with Gradebook(url) as gradebook:
        grade = gradebook.find_submission(CHAPTER, marked).notebooks[0].grades[0]
        cell = grade.name
        grade.manual_score = 1.0
        comment = gradebook.find_submission(CHAPTER, marked).notebooks[0].comments[0]
        comment.manual_comment = "Good reasoning, wrong denominator."
        gradebook.db.commit()
    shoplab(course, "grade", CHAPTER, "--force", "--student", student("blank", course),
            "--timeout", TIMEOUT)
    with Gradebook(url) as gradebook:
        notebook = gradebook.find_submission(CHAPTER, marked).notebooks[0]
        assert gradebook.find_grade(cell, notebook.name, CHAPTER, marked).manual_score == 1.0
        assert notebook.comments[0].manual_comment == "Good reasoning, wrong denominator."
    # nbgrader's own rule when the same learner is re-autograded: the manual score stays and
    # the cell is flagged for review again
    shoplab(course, "grade", CHAPTER, "--force", "--student", marked, "--timeout", TIMEOUT)
    with Gradebook(url) as gradebook:
        grade = gradebook.find_grade(cell, Path(NOTEBOOK).stem, CHAPTER, marked)
        assert grade.manual_score == 1.0 and grade.needs_manual_grade


def test_feedback_shows_the_misconception_message(graded):
    from graders.registry import exercises

    course, _ = graded
    invoke("feedback", CHAPTER, "--course", str(course))
    page = (course / "feedback" / student("misconception1", course) / CHAPTER
            / NOTEBOOK.replace(".ipynb", ".html")).read_text()
    first = next(e for e in exercises(CHAPTER[2:]) if e.mistakes)
    assert html.escape(first.mistakes[0].message) in page
    # the results published as data for the report are in the graded notebook, not the page
    autograded = (course / "autograded" / student("misconception1", course) / CHAPTER
                  / NOTEBOOK).read_text()
    assert RESULT_MIME in autograded and '"hidden_run"' in autograded
    assert RESULT_MIME not in page and "hidden_run" not in page


def test_export_matches_the_gradebook(graded, tmp_path):
    course, _ = graded
    out = tmp_path / "grades.csv"
    invoke("export", CHAPTER, "--course", str(course), "--out", str(out))
    rows = list(csv.DictReader(out.open()))
    in_book = scores(course)
    cells = sorted({g for _, g in in_book})
    assert list(rows[0]) == ["student_id", "first_name", "last_name", "email", *cells,
                             "total", "max", "level"]
    assert {r["student_id"] for r in rows} == {s for s, _ in in_book}
    for row in rows:
        points = [in_book[(row["student_id"], c)] for c in cells]
        assert [float(row[c]) for c in cells] == points
        assert float(row["total"]) == pytest.approx(sum(points))
    assert {r["level"] for r in rows} == {""}  # one chapter graded: no level yet (初级 needs 00-04)


def test_report_counts_learners_per_misconception(graded, tmp_path):
    from graders.registry import exercises

    course, _ = graded
    out = tmp_path / "report.html"
    invoke("report", CHAPTER, "--course", str(course), "--out", str(out))
    page = out.read_text()
    assert "<script src=" not in page and "Plotly.newPlot" in page  # plotly inlined: offline

    rows = re.findall(r"<tr><td>([\d.]+)</td><td>(\w+)</td><td class='n'>(\d+)</td>", page)
    counts = {(e, m): int(n) for e, m, n in rows}
    for exercise in exercises(CHAPTER[2:]):
        if not exercise.mistakes or exercise.mistakes[0].part is not None:
            continue
        # only the misconception1 learner computes each exercise's first mistake
        assert counts[(exercise.id, exercise.mistakes[0].name)] == 1
        assert exercise.mistakes[0].message in html.unescape(page)  # jinja writes &#39;


def test_simulation_is_reproducible(graded, tmp_path):
    course, _ = graded
    invoke("simulate", CHAPTER, "--students", str(STUDENTS), "--seed", str(SEED),
           "--course", str(course), "--out", str(tmp_path))
    for name in Course.at(course).students(CHAPTER):
        for original in (course / "submitted" / name / CHAPTER).iterdir():
            again = tmp_path / "submitted" / name / CHAPTER / original.name
            assert again.read_bytes() == original.read_bytes()


def test_kill_9_mid_run_then_resume_loses_and_duplicates_nothing(graded, tmp_path):
    course, _ = graded
    killed = new_course(tmp_path / "killed")
    shutil.copytree(course / "release", killed / "release")
    chosen = [student(k, course) for k in ("correct", "misconception1", "blank")]
    for name in chosen:
        shutil.copytree(course / "submitted" / name, killed / "submitted" / name)
    run = subprocess.Popen([str(BIN / "shoplab"), "grade", CHAPTER, "--workers", "2",
                            "--timeout", TIMEOUT, "--course", str(killed)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    markers = killed / "autograded" / ".shoplab-graded" / CHAPTER
    deadline = time.time() + 120
    while time.time() < deadline and not (markers.is_dir() and any(markers.iterdir())):
        time.sleep(0.2)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    done_before = len(list(markers.iterdir()))
    assert 1 <= done_before < len(chosen), "the kill should land mid-run"
    resumed = shoplab(killed, "grade", CHAPTER, "--timeout", TIMEOUT).stdout
    assert f"{len(chosen) - done_before} graded, {done_before} already graded" in resumed
    with Gradebook(Course.at(killed).config().CourseDirectory.db_url) as gradebook:
        submissions = gradebook.find_assignment(CHAPTER).submissions
        assert sorted(s.student.id for s in submissions) == sorted(chosen)
    # auto scores: another test gives one of these learners a manual grade in `course`
    expected = {k: v for k, v in scores(course, auto=True).items() if k[0] in chosen}
    assert scores(killed, auto=True) == expected


def test_zip_download_is_filed_into_submitted(graded, tmp_path):
    course, _ = graded
    fresh = new_course(tmp_path / "fresh")
    shutil.copytree(course / "release", fresh / "release")
    names = [student(k, course) for k in ("correct", "blank")]
    download = tmp_path / "lms-download.zip"
    with zipfile.ZipFile(download, "w") as archive:
        for name in names:
            notebook = course / "submitted" / name / CHAPTER / NOTEBOOK
            archive.write(notebook, f"week4/{name.split('-')[0]}_{NOTEBOOK}")
        archive.writestr("week4/readme.txt", "not a submission")
    invoke("collect", CHAPTER, str(download), "--course", str(fresh))
    for name in names:
        filed = fresh / "submitted" / name.split("-")[0] / CHAPTER / NOTEBOOK
        assert filed.read_bytes() == (course / "submitted" / name / CHAPTER / NOTEBOOK
                                      ).read_bytes()
    assert Course.at(fresh).students(CHAPTER) == sorted(n.split("-")[0] for n in names)


def test_point_biserial_by_hand():
    # passed = [1, 1, 0, 0], rest = [4, 2, 2, 0]: means 0.5 and 2; deviations
    # (0.5, 0.5, -0.5, -0.5) and (2, 0, 0, -2): cov = 1 + 0 + 0 + 1 = 2,
    # var_p = 4 × 0.25 = 1, var_r = 4 + 0 + 0 + 4 = 8  ->  2 / sqrt(8) = 0.7071
    assert point_biserial([1, 1, 0, 0], [4, 2, 2, 0]) == pytest.approx(0.70710678)
    assert point_biserial([1, 1, 1], [1, 2, 3]) is None  # everyone passed: undefined
