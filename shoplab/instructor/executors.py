"""Where submissions are graded: a pool on this machine, a shard of the class, or Dask.

All three run the same `grading._grade_one` (limits, markers, messages) in a process that
keeps one long-lived nbgrader grader; they differ only in where those processes live:

* `on_local_pool`: forked workers on this machine, one per core;
* `in_shard`: not an executor of its own but a stable share of the class, so N machines (or
  the N pods of a Kubernetes Indexed Job) each run the local pool on their share, into one
  PostgreSQL gradebook;
* `on_dask`: the workers of a running Dask cluster (`dask scheduler`, `dask worker`), which
  must see the course directory at the same path (a shared volume) and reach the gradebook.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from shoplab.instructor.course import CourseError
from shoplab.instructor.grading import Limits, Outcome, _grade_one, _start_worker, load_grader

WORKERS_WAIT = 60  # seconds a Dask scheduler may take to have a worker


def in_shard(students: list[str], k: int, n: int) -> list[str]:
    """Shard k of n (1-based): the students whose id hashes to it. Stable: it depends on the
    id alone, so adding a learner, or a pod starting late, never moves anyone else."""
    if not 1 <= k <= n:
        raise CourseError(f"shard {k}/{n}: K must be between 1 and N")
    return [s for s in students
            if int(hashlib.sha256(s.encode()).hexdigest(), 16) % n == k - 1]


def parse_shard(text: str | None, shards: int | None) -> tuple[int, int] | None:
    """`--shard K/N`, or `--shards N` with K from a Kubernetes Indexed Job's
    JOB_COMPLETION_INDEX (0-based, so pod 0 grades shard 1)."""
    if text and shards is not None:
        raise CourseError("give --shard K/N or --shards N, not both")
    if shards is not None:
        index = os.environ.get("JOB_COMPLETION_INDEX", "")
        if not index.isdigit():
            raise CourseError("--shards N takes its shard from JOB_COMPLETION_INDEX (set by a "
                              "Kubernetes Indexed Job), which is not set here: use --shard K/N")
        if not 0 <= int(index) < shards:
            raise CourseError(f"JOB_COMPLETION_INDEX={index} with --shards {shards}: keep the "
                              "Job's completions equal to --shards (write K/N with 1 <= K <= N)")
        return int(index) + 1, shards
    if not text:
        return None
    k, _, n = text.partition("/")
    if not (k.isdigit() and n.isdigit() and 1 <= int(k) <= int(n)):
        raise CourseError(f"--shard {text}: write K/N with 1 <= K <= N, e.g. --shard 2/4")
    return int(k), int(n)


def on_local_pool(root: Path, limits: Limits, chapter: str, students: list[str],
                  workers: int | None) -> Iterator[Outcome]:
    """Forked workers on this machine (one per core unless told), each with one grader."""
    workers = max(1, min(workers or os.cpu_count() or 1, len(students)))
    # Import nbgrader's apps (~2-5 s) once, here: forked workers inherit it for free.
    import nbgrader.apps.api  # noqa: F401
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, _start_worker, (root, limits)) as pool:
        yield from pool.imap_unordered(_grade_one, [(chapter, s) for s in students])


_one_at_a_time = threading.Lock()  # a Dask worker with several threads shares one grader


def _grade_on_dask_worker(root: Path, limits: Limits, chapter: str, student: str) -> Outcome:
    """A Dask task: this worker process's grader, built at its first submission."""
    with _one_at_a_time:
        load_grader(root, limits)
        return _grade_one((chapter, student))


def on_dask(scheduler: str, root: Path, limits: Limits, chapter: str,
            students: list[str]) -> Iterator[Outcome]:
    """One task per submission on the Dask cluster at `scheduler`, in completion order.

    A worker that dies mid-task is noticed by the scheduler, which gives its submissions to
    another worker (the marker is written only after the gradebook has the grades)."""
    from distributed import Client, as_completed

    try:
        client = Client(scheduler, timeout=10)
    except (OSError, TimeoutError, ValueError) as error:
        raise CourseError(f"cannot reach the Dask scheduler {scheduler} ({error}): start "
                          "`dask scheduler` there, or fix --scheduler") from None
    with client:
        try:
            client.wait_for_workers(1, timeout=WORKERS_WAIT)
        except TimeoutError:
            raise CourseError(f"the Dask scheduler {scheduler} has no worker after "
                              f"{WORKERS_WAIT} s: start `dask worker {scheduler}`") from None
        futures = [client.submit(_grade_on_dask_worker, root, limits, chapter, student,
                                 pure=False) for student in students]
        for future in as_completed(futures):
            yield future.result()
