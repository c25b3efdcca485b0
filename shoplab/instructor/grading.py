"""Autograde a whole class in parallel, resumably, with a plain list of what went wrong.

Why long-lived workers: one `nbgrader autograde --student X` process per submission pays
nbgrader's ~2 s start-up each time and is slower than serial grading. Here each worker
process keeps one NbGraderAPI and grades many submissions in-process with `_grade_one`;
where those processes run (a local pool, a shard of the class, a Dask cluster) is
`executors`' business.

Safety of the gradebook: nbgrader commits each submission's rows itself; SQLite serialises
the writers (we give it a 60 s lock timeout), PostgreSQL takes concurrent ones (see
gradebook_db for the schema's creation, done once, alone). A submission counts as
graded only when its marker `autograded/.shoplab-graded/<chapter>/<student>.json` exists,
written atomically *after* nbgrader finished, and it records the submitted notebook's
modification time. A run killed at any point (kill -9) therefore resumes by re-grading the
unmarked submissions, and nbgrader's update-or-create keeps exactly one row per grade cell:
nothing lost, nothing duplicated. A newer resubmission is re-graded automatically.

Manual grades survive: nbgrader's re-autograde only rewrites `auto_score` and flags a cell
that already has a manual score as needing review again; other students are untouched.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import nbformat

from shoplab.instructor.course import NOTEBOOK, Course
from shoplab.instructor.limits import TRUNCATED

GRADED, SKIPPED, FAILED = "graded", "skipped", "failed"


@dataclass
class Outcome:
    student: str
    status: str
    score: float | None = None
    max_score: float | None = None
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Limits:
    timeout: int | None = None  # seconds per cell; None keeps nbgrader_config.py's
    memory_mb: int = 4096
    output_kb: int = 1000

    def overrides(self) -> dict:
        found = {
            "Autograde.autograde_preprocessors": _autograde_preprocessors(),
            "LimitedKernelManager.memory_limit": self.memory_mb * 2**20,
            "BoundedExecute.max_output_bytes": self.output_kb * 1000,
        }
        if self.timeout is not None:
            found["Execute.timeout"] = self.timeout
        return found


def _autograde_preprocessors() -> list:
    """nbgrader's autograde pipeline with its Execute step swapped for the bounded one."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    from shoplab.instructor.limits import BoundedExecute

    default = Autograde.autograde_preprocessors.default()
    return [BoundedExecute if step is Execute else step for step in default]


def marker(course: Course, chapter: str, student: str) -> Path:
    return course.root / "autograded" / ".shoplab-graded" / chapter / f"{student}.json"


def submitted_notebook(course: Course, chapter: str, student: str) -> Path:
    return course.root / "submitted" / student / chapter / NOTEBOOK.format(chapter=chapter)


def is_graded(course: Course, chapter: str, student: str) -> bool:
    """Graded by us, and not resubmitted since."""
    path, notebook = marker(course, chapter, student), submitted_notebook(course, chapter, student)
    if not path.exists() or not notebook.exists():
        return False
    return json.loads(path.read_text())["submitted_mtime"] == notebook.stat().st_mtime_ns


def grade_class(course: Course, chapter: str, *, workers: int | None = None,
                force: bool = False, only: tuple[str, ...] = (), limits: Limits = Limits(),
                shard: tuple[int, int] | None = None, scheduler: str | None = None,
                on_start: Callable[[int], None] = lambda total: None,
                on_done: Callable[[Outcome], None] = lambda outcome: None) -> list[Outcome]:
    """Grade every submission of `chapter` (or `only` these students, or shard K of N);
    one Outcome each. The local pool, or the Dask cluster at `scheduler`, runs _grade_one."""
    from shoplab.instructor import executors

    course.check_chapter(chapter)
    _register_assignment(course, chapter)
    students = [s for s in course.students(chapter) if not only or s in only]
    if shard:
        students = executors.in_shard(students, *shard)
    outcomes = [Outcome(s, SKIPPED) for s in students
                if not force and is_graded(course, chapter, s)]
    todo = [s for s in students if s not in {o.student for o in outcomes}]
    on_start(len(todo))
    if todo:
        store_references(chapter)
        if scheduler:
            run = executors.on_dask(scheduler, course.root, limits, chapter, todo)
        else:
            run = executors.on_local_pool(course.root, limits, chapter, todo, workers)
        for outcome in run:
            outcomes.append(outcome)
            on_done(outcome)
    return sorted(outcomes, key=lambda o: o.student)


def store_references(chapter: str) -> list[str]:
    """Compute the chapter's references (and the Double 11 model's context) once, here, for
    every kernel to read from disk (shoplab.stored: kernels never write them); the ids of the
    exercises stored. A data directory this process cannot write only costs speed: each
    kernel then computes them itself."""
    from graders.chapter import Chapter
    from graders.references import build
    from graders.registry import exercises
    from shoplab.shopgen import model

    try:
        model.store_context()
        return build(exercises(Chapter.parse(chapter).code))
    except OSError:
        return []


def _register_assignment(course: Course, chapter: str) -> None:
    """nbgrader autograde needs the assignment in the gradebook: add it once, if missing
    (alone: other graders of the same class wait; see gradebook_db)."""
    from nbgrader.api import Gradebook, MissingEntry

    from shoplab.instructor.gradebook_db import prepared

    def register(url: str) -> None:
        with Gradebook(url) as gradebook:
            try:
                gradebook.find_assignment(chapter)
                return
            except MissingEntry:
                pass
        course.generate(chapter)

    prepared(course, register)


_worker: dict = {}


def _start_worker(root: Path, limits: Limits) -> None:
    """Per pool worker: die with the parent (kill -9 included), and build the grader."""
    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:  # not Linux: orphans finish their current submission and exit
        pass
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    load_grader(root, limits)


def load_grader(root: Path, limits: Limits) -> None:
    """This process's long-lived grader (one NbGraderAPI), built once per course, limits and
    nbgrader_config.py (a Dask worker outlives runs, and the config may change between them)."""
    try:
        key = (root, limits, (Path(root) / "nbgrader_config.py").read_bytes())
    except OSError:
        key = (root, limits, None)  # Course.at below says what is wrong
    if _worker.get("key") == key:
        return
    _worker.clear()
    _worker["key"] = key
    try:
        course = Course.at(root)
        _worker.update(course=course, api=course.api(**limits.overrides()),
                       db_url=course.config().CourseDirectory.db_url)
    except Exception as error:  # noqa: BLE001 - reported per submission, never respawned
        _worker["broken"] = f"the grader could not start: {type(error).__name__}: {error}"


def _grade_one(job: tuple[str, str]) -> Outcome:
    """Grade one submission with this process's grader: the one definition every executor
    runs. Only a submission whose grades are in the gradebook gets its marker; a gradebook
    that stops answering raises GradebookError (the run stops, nothing is marked)."""
    from sqlalchemy.exc import SQLAlchemyError

    from shoplab.instructor.gradebook_db import is_gone, unreachable

    chapter, student = job
    if "broken" in _worker:
        return Outcome(student, FAILED, problems=[_worker["broken"]])
    course: Course = _worker["course"]
    notebook = submitted_notebook(course, chapter, student)
    if not notebook.exists():
        return Outcome(student, FAILED, problems=[f"no {notebook.name} in the submission"])
    try:
        nbformat.read(notebook, as_version=4)
    except Exception as error:  # noqa: BLE001 - any unreadable file is the same to a teacher
        return Outcome(student, FAILED, problems=[
            f"{notebook.name} is not a readable notebook (damaged JSON?): "
            f"{type(error).__name__}"])
    stamp = marker(course, chapter, student)
    stamp.unlink(missing_ok=True)
    mtime = notebook.stat().st_mtime_ns
    result = _worker["api"].autograde(chapter, student, force=True, create=True)
    if not result["success"]:
        if is_gone(result.get("error", "") + result.get("log", "")):
            raise unreachable(course, _worker["db_url"], RuntimeError(
                _failure_reason(result).removeprefix("nbgrader could not grade it: ")),
                mid_run=True)
        return Outcome(student, FAILED, problems=[_failure_reason(result)])
    autograded = course.root / "autograded" / student / chapter / notebook.name
    try:
        score = _score(chapter, student)
    except SQLAlchemyError as error:
        raise unreachable(course, _worker["db_url"], error, mid_run=True) from None
    outcome = Outcome(student, GRADED, *score,
                      problems=problems_in(nbformat.read(autograded, as_version=4)))
    stamp.parent.mkdir(parents=True, exist_ok=True)
    partial = stamp.with_suffix(".tmp")
    partial.write_text(json.dumps({"submitted_mtime": mtime, **asdict(outcome)}))
    os.replace(partial, stamp)
    return outcome


def _score(chapter: str, student: str) -> tuple[float, float]:
    from nbgrader.api import Gradebook

    with Gradebook(_worker["db_url"]) as gradebook:
        submission = gradebook.find_submission(chapter, student)
        return float(submission.score), float(submission.max_score)


def _failure_reason(result: dict) -> str:
    text = result.get("error", "") + result.get("log", "")
    if "DeadKernelError" in text or "Kernel died" in text:
        return "the kernel died while running it (os._exit, a crash, or out of memory)"
    last = [line for line in result.get("error", "").strip().splitlines() if line.strip()]
    return "nbgrader could not grade it: " + (last[-1] if last else "unknown error")


def problems_in(notebook) -> list[str]:
    """Plain reasons for the limits a graded notebook ran into, cell by cell."""
    problems = []
    for number, cell in enumerate(notebook.cells, start=1):
        for output in cell.get("outputs", []):
            if output.output_type == "error":
                reason = {
                    "CellTimeoutError": "timed out (infinite loop?)",
                    "KeyboardInterrupt": "timed out (infinite loop?)",
                    "MemoryError": "ran out of memory (memory limit)",
                    "SystemExit": "called sys.exit()",
                    "DeadKernelError": "killed the kernel",
                }.get(output.ename)
                if reason:
                    problems.append(f"cell {number} {reason}")
            elif output.output_type == "stream" and output.text.startswith(
                    TRUNCATED.split("—")[0]):
                problems.append(f"cell {number} printed too much (output cut)")
    return sorted(set(problems), key=problems.index)
