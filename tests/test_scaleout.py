"""Grading past one machine, for real: a PostgreSQL gradebook, shards, a Dask cluster.

A PostgreSQL server, a `dask scheduler` and two `dask worker` processes are started here on
127.0.0.1 and stopped after. One small simulated class is graded once on this machine, unsharded,
into PostgreSQL (the reference); the shards, the killed shard and the Dask cluster must each
produce exactly its gradebook. Every grading run goes through the `shoplab` command line.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from browser_support import LabServer
from nbgrader.api import Gradebook
from servers_support import DaskCluster, PostgresServer, command_line, free_port

from shoplab.instructor.course import Course, CourseError
from shoplab.instructor.executors import in_shard, parse_shard

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("scaleout")]

REPO = Path(__file__).resolve().parents[1]
CHAPTER = "ch04" if (REPO / "source" / "ch04").is_dir() else "ch00"
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
STUDENTS, SEED, TIMEOUT = 4, 7, "30"  # correct, misconception, blank, syntax error
MANIFEST = REPO / "deploy" / "grade-job.yaml"
K8S_VERSION = "1.33.0"  # a Kubernetes still in support; the schema ships in kubernetes-validate


def shoplab(course: Path, *args: str, check: bool = True, env: dict | None = None
            ) -> subprocess.CompletedProcess:
    run = subprocess.run([str(BIN / "shoplab"), *args, "--course", str(course)],
                         capture_output=True, text=True, env=env or ENV)
    assert not check or run.returncode == 0, run.stderr[-3000:]
    return run


def last_line(run: subprocess.CompletedProcess) -> str:
    return run.stderr.strip().splitlines()[-1]


def course_on(path: Path, db_url: str, submissions: Path | None = None) -> Path:
    """A throwaway course whose gradebook is `db_url`, with a copy of `submissions`."""
    path.mkdir(parents=True)
    config = (REPO / "nbgrader_config.py").read_text()
    assert config.count('"sqlite:///gradebook.db"') == 1
    (path / "nbgrader_config.py").write_text(
        config.replace('"sqlite:///gradebook.db"', repr(db_url)))
    shutil.copytree(REPO / "source" / CHAPTER, path / "source" / CHAPTER)
    if submissions:
        shutil.copytree(submissions / "release", path / "release")
        shutil.copytree(submissions / "submitted", path / "submitted")
    return path


def gradebook(course: Path) -> dict:
    """Everything grading writes: (student, cell) -> auto score, and the row counts (a
    duplicate row, or a lost one, changes them)."""
    with Gradebook(Course.at(course).config().CourseDirectory.db_url) as book:
        submissions = book.find_assignment(CHAPTER).submissions
        grades = [(s.student.id, g.name, g.auto_score) for s in submissions
                  for n in s.notebooks for g in n.grades]
        return {"scores": {(who, cell): score for who, cell, score in grades},
                "submissions": len(submissions), "grade rows": len(grades)}


def marked(course: Path) -> set[str]:
    folder = course / "autograded" / ".shoplab-graded" / CHAPTER
    return {p.stem for p in folder.glob("*.json")} if folder.is_dir() else set()


def wait_for(condition, what: str, seconds: float = 180) -> None:
    deadline = time.time() + seconds
    while not condition():
        assert time.time() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)


@pytest.fixture(scope="session")
def postgres():
    server = PostgresServer()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def klass(tmp_path_factory):
    """The simulated class: release/ and submitted/ (in a course that grades nothing)."""
    course = tmp_path_factory.mktemp("class") / "course"
    course.mkdir()
    shutil.copy(REPO / "nbgrader_config.py", course)
    shutil.copytree(REPO / "source" / CHAPTER, course / "source" / CHAPTER)
    shoplab(course, "release", CHAPTER)
    shoplab(course, "simulate", CHAPTER, "--students", str(STUDENTS), "--seed", str(SEED))
    return course


@pytest.fixture(scope="module")
def reference(postgres, klass, tmp_path_factory):
    """The class released and graded on this machine, unsharded, into PostgreSQL: the
    gradebook the shards, the killed shard and the Dask cluster must each reproduce."""
    course = course_on(tmp_path_factory.mktemp("pg") / "course",
                       postgres.create_database("reference"))
    shutil.copytree(klass / "submitted", course / "submitted")
    shoplab(course, "release", CHAPTER)
    run = shoplab(course, "grade", CHAPTER, "--workers", "2", "--timeout", TIMEOUT)
    return course, run.stdout


def test_postgres_gradebook_release_grade_feedback_export_report(reference, tmp_path):
    course, report = reference
    assert f"{STUDENTS} graded" in report
    book = gradebook(course)
    assert book["submissions"] == STUDENTS and None not in book["scores"].values()
    shoplab(course, "feedback", CHAPTER)
    for student in marked(course):
        assert (course / "feedback" / student / CHAPTER / f"{CHAPTER}_exercises.html").exists()
    shoplab(course, "export", CHAPTER, "--out", str(tmp_path / "grades.csv"))
    rows = {r["student_id"]: r for r in csv.DictReader((tmp_path / "grades.csv").open())}
    assert sorted(rows) == sorted(marked(course))
    for student, row in rows.items():
        points = [v for (who, _), v in book["scores"].items() if who == student]
        assert float(row["total"]) == pytest.approx(sum(points))
        kind = student.split("-", 1)[1]
        if kind in ("correct", "blank"):
            assert float(row["total"]) == (float(row["max"]) if kind == "correct" else 0)
    shoplab(course, "report", CHAPTER, "--out", str(tmp_path / "report.html"))
    assert "Plotly.newPlot" in (tmp_path / "report.html").read_text()


def formgrader(server: LabServer, path: str, body: dict | None = None):
    """Call formgrader's REST API as its web page does (GET, or PUT with a JSON body)."""
    request = urllib.request.Request(
        f"{server.url}/formgrader/api/{path}", method="PUT" if body is not None else "GET",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"token {server.token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def exported_totals(course: Path, out: Path) -> dict[str, float]:
    shoplab(course, "export", CHAPTER, "--out", str(out))
    return {r["student_id"]: float(r["total"]) for r in csv.DictReader(out.open())}


def test_formgrader_reads_and_writes_the_postgres_gradebook(reference, tmp_path):
    """A TA's manual grade, entered through formgrader's own API on a server whose
    gradebook is PostgreSQL, is in the gradebook `shoplab export` reads — and taking it
    back restores the autograded total."""
    course, _ = reference
    root = ["--allow-root"] if os.geteuid() == 0 else []
    port = free_port()
    server = LabServer([str(BIN / "jupyter"), "server", "--ip=127.0.0.1", f"--port={port}",
                        "--no-browser", *root], course, ENV, port, tmp_path / "server.log")
    try:
        server.wait_ready()
        submissions = {s["student"]: s for s in formgrader(server, f"submissions/{CHAPTER}")}
        assert set(submissions) == marked(course), server.log()
        auto = gradebook(course)["scores"]
        for student, row in submissions.items():
            assert row["score"] == pytest.approx(
                sum(v for (who, _), v in auto.items() if who == student))
        before = exported_totals(course, tmp_path / "before.csv")
        blank = next(s for s in submissions if s.endswith("-blank"))
        notebook = next(n for n in formgrader(
            server, f"submitted_notebooks/{CHAPTER}/{CHAPTER}_exercises")
            if n["student"] == blank)
        grade = next(g for g in formgrader(server, f"grades?submission_id={notebook['id']}")
                     if g["max_score"] > 0)
        formgrader(server, f"grade/{grade['id']}", {"manual_score": grade["max_score"]})
        try:
            after = exported_totals(course, tmp_path / "after.csv")
            assert after[blank] == pytest.approx(before[blank] + grade["max_score"])
            assert {s: t for s, t in after.items() if s != blank} == {
                s: t for s, t in before.items() if s != blank}
        finally:
            formgrader(server, f"grade/{grade['id']}", {"manual_score": None})
        assert exported_totals(course, tmp_path / "restored.csv") == before
    finally:
        server.stop()


def manifest_runs(course: Path) -> list[tuple[list[str], dict]]:
    """Each pod of the Indexed Job as a local command: its args with the course volume's
    mount path replaced by `course`, and JOB_COMPLETION_INDEX set as Kubernetes sets it."""
    job = yaml.safe_load(MANIFEST.read_text())
    spec = job["spec"]["template"]["spec"]
    container = spec["containers"][0]
    mount = container["volumeMounts"][0]["mountPath"]
    command = [part.replace(mount, str(course)) for part in
               [*container["command"], *container["args"]]]
    command[0] = str(BIN / command[0])
    return [(command, {**ENV, "JOB_COMPLETION_INDEX": str(index)})
            for index in range(job["spec"]["completions"])]


def test_kubernetes_job_manifest_is_valid_and_shards_the_class():
    import kubernetes_validate

    job = yaml.safe_load(MANIFEST.read_text())
    kubernetes_validate.validate(job, K8S_VERSION, strict=True)
    assert job["spec"]["completionMode"] == "Indexed"
    args = job["spec"]["template"]["spec"]["containers"][0]["args"]
    assert args[args.index("--shards") + 1] == str(job["spec"]["completions"])
    broken = yaml.safe_load(MANIFEST.read_text())
    broken["spec"]["completionMode"] = ["Indexed"]  # the check can fail
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, K8S_VERSION, strict=True)


def test_shards_are_a_stable_partition_of_the_class():
    students = [f"s{n:03d}" for n in range(200)]
    shards = [in_shard(students, k, 3) for k in (1, 2, 3)]
    assert sorted(sum(shards, [])) == students and all(40 < len(s) < 90 for s in shards)
    # a learner joining late changes no one else's shard
    assert in_shard([*students, "late"], 2, 3)[:len(shards[1])] == shards[1]
    assert parse_shard("2/3", None) == (2, 3)
    for bad in ("0/3", "4/3", "2", "a/b"):
        with pytest.raises(CourseError, match="K/N"):
            parse_shard(bad, None)


def test_shards_come_from_the_kubernetes_job_completion_index(monkeypatch):
    monkeypatch.setenv("JOB_COMPLETION_INDEX", "0")
    assert parse_shard(None, 2) == (1, 2)  # pod 0 grades shard 1
    for index, shards in [("0", 0), ("1", 1)]:  # no shard at all; a pod past the last one
        monkeypatch.setenv("JOB_COMPLETION_INDEX", index)
        with pytest.raises(CourseError, match="completions"):
            parse_shard(None, shards)
    monkeypatch.delenv("JOB_COMPLETION_INDEX")
    with pytest.raises(CourseError, match="JOB_COMPLETION_INDEX"):
        parse_shard(None, 2)


def test_concurrent_shards_from_the_manifest_give_the_unsharded_gradebook(
        postgres, reference, klass, tmp_path):
    course = course_on(tmp_path / "course", postgres.create_database("sharded"), klass)
    pods = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True) for command, env in manifest_runs(course)]
    outputs = [pod.communicate() for pod in pods]
    assert [pod.returncode for pod in pods] == [0] * len(pods), outputs
    counts = [int(out.split(": ")[1].split(" graded")[0]) for out, _ in outputs]
    assert sum(counts) == STUDENTS
    assert gradebook(course) == gradebook(reference[0])


def test_a_shard_killed_with_kill_9_and_rerun_loses_and_duplicates_nothing(
        postgres, reference, klass, tmp_path):
    course = course_on(tmp_path / "course", postgres.create_database("killed"), klass)
    students = Course.at(course).students(CHAPTER)
    big = max((1, 2), key=lambda k: len(in_shard(students, k, 2)))
    share = in_shard(students, big, 2)
    assert len(share) >= 2, "the class is too small to kill a shard mid-run"
    shard = ["grade", CHAPTER, "--shard", f"{big}/2", "--timeout", TIMEOUT]
    run = subprocess.Popen([str(BIN / "shoplab"), *shard, "--workers", "1",
                            "--course", str(course)], env=ENV,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for(lambda: marked(course), "the shard's first graded submission")
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    done = marked(course)
    assert 1 <= len(done) < len(share), "the kill should land mid-run"
    again = shoplab(course, *shard).stdout
    assert f"{len(share) - len(done)} graded, {len(done)} already graded" in again
    shoplab(course, "grade", CHAPTER, "--shard", f"{3 - big}/2", "--timeout", TIMEOUT)
    assert gradebook(course) == gradebook(reference[0])


def test_wrong_db_url_is_one_clear_line_and_marks_nothing(klass, tmp_path):
    closed = free_port()  # nothing listens there
    for url, reason in [(f"postgresql://grader:secret@127.0.0.1:{closed}/shoplab",
                         "Connection refused"),
                        ("postgres://grader@127.0.0.1/shoplab", "postgres")]:
        course = course_on(tmp_path / f"course-{len(reason)}", url, klass)
        run = shoplab(course, "grade", CHAPTER, check=False)
        assert run.returncode == 1
        line = last_line(run)
        assert line.startswith("Error: cannot open the gradebook") and reason in line, line
        assert "CourseDirectory.db_url" in line and "secret" not in line, line
        assert not marked(course)
    for command in (["release", CHAPTER], ["feedback", CHAPTER],
                    ["export", CHAPTER, "--out", str(tmp_path / "g.csv")],
                    ["report", CHAPTER, "--out", str(tmp_path / "r.html")]):
        run = shoplab(course, *command, check=False)
        lines = run.stderr.strip().splitlines()
        assert run.returncode == 1 and len(lines) == 1, run.stderr[-2000:]
        assert lines[0].startswith(("Error: cannot open the gradebook",
                                    "Error: the gradebook failed")), lines
        assert "db_url" in lines[0] and "secret" not in lines[0], lines


def test_feedback_before_grading_says_what_to_run(klass, tmp_path):
    course = course_on(tmp_path / "course", "sqlite:///gradebook.db")
    run = shoplab(course, "feedback", CHAPTER, check=False)
    assert run.returncode == 1
    assert run.stderr.strip() == (f"Error: nothing graded for {CHAPTER} yet: "
                                  f"run `shoplab grade {CHAPTER}` first")


def test_postgres_going_away_mid_run_stops_with_one_line_and_marks_only_what_it_holds(
        reference, klass, tmp_path):
    server = PostgresServer()  # its own server: this test stops it
    try:
        course = course_on(tmp_path / "course", server.create_database("fragile"), klass)
        run = subprocess.Popen([str(BIN / "shoplab"), "grade", CHAPTER, "--workers", "1",
                                "--timeout", TIMEOUT, "--course", str(course)], env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wait_for(lambda: marked(course), "the first graded submission")
        server.halt()
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 1
        line = stderr.strip().splitlines()[-1]
        assert line.startswith("Error: the gradebook postgresql://") and "mid-run" in line, line
        done = marked(course)
        assert 1 <= len(done) < STUDENTS
        server.start()
        in_book = {who for (who, _), score in gradebook(course)["scores"].items()
                   if score is not None}
        assert done <= in_book
        shoplab(course, "grade", CHAPTER, "--timeout", TIMEOUT)
        assert gradebook(course) == gradebook(reference[0])
    finally:
        server.stop()


def test_dask_cluster_grades_identically_and_survives_a_killed_worker(
        postgres, reference, klass, tmp_path):
    course = course_on(tmp_path / "course", postgres.create_database("dask"), klass)
    cluster = DaskCluster(2, tmp_path)
    try:
        run = subprocess.Popen([str(BIN / "shoplab"), "grade", CHAPTER, "--scheduler",
                                cluster.address, "--timeout", TIMEOUT, "--course", str(course)],
                               env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

        def busy_worker():
            """A worker with a kernel running (mid-submission), once one is graded."""
            return next((w for w in cluster.workers if marked(course) and any(
                "ipykernel" in command_line(p) for p in cluster.tree(w)[1:])), None)

        wait_for(busy_worker, "a graded submission and a worker mid-submission", 300)
        victim = busy_worker()
        cluster.kill(victim)
        stdout, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr[-3000:]
        assert f"{STUDENTS} graded" in stdout
        assert gradebook(course) == gradebook(reference[0])
    finally:
        left = cluster.stop()
    assert left == [], f"still running after the cluster stopped: {left}"


def test_unreachable_scheduler_is_one_clear_line(klass, tmp_path):
    course = course_on(tmp_path / "course", "sqlite:///gradebook.db", klass)
    nowhere = f"tcp://127.0.0.1:{free_port()}"
    run = shoplab(course, "grade", CHAPTER, "--scheduler", nowhere, check=False)
    assert run.returncode == 1
    assert last_line(run).startswith(f"Error: cannot reach the Dask scheduler {nowhere}")
    assert not marked(course)
