"""Benchmark: `shoplab grade` (parallel workers) against plain serial `nbgrader autograde`.

    python benchmarks/grading.py [--chapter ch04] [--students 40] [--workers 2] [--runs 3]

Both grade the same simulated class (same seed, same submissions, same per-cell timeout) in
throwaway course directories. Prints the wall-clock times and the throughput ratio of each
run and their median, checks that both gradebooks hold identical scores for every
submission both could grade, and names the submissions only `shoplab grade` could grade
(thanks to its limits). Not a timed test: run it by hand and record the result in
docs/instructors.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nbgrader.api import Gradebook

from shoplab.instructor.course import Course

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def course_copy(path: Path, chapter: str) -> Path:
    path.mkdir(parents=True)
    shutil.copy(REPO / "nbgrader_config.py", path)
    shutil.copytree(REPO / "source" / chapter, path / "source" / chapter)
    return path


def run(*command: str, cwd: Path) -> float:
    """Run a command; return its wall-clock seconds. Failures of single submissions are
    expected (the class has broken notebooks), so only the time is kept."""
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=ENV, capture_output=True)
    return time.perf_counter() - start


def scores(course: Path, chapter: str) -> dict[tuple[str, str], float]:
    with Gradebook(Course.at(course).config().CourseDirectory.db_url) as gradebook:
        return {(s.student.id, g.name): float(g.score)
                for s in gradebook.find_assignment(chapter).submissions
                for n in s.notebooks for g in n.grades if g.auto_score is not None}


def grade_both(args) -> tuple[float, float, dict, dict]:
    """One run: (serial seconds, parallel seconds, their scores, nbgrader's scores)."""
    nbgrader, shoplab = str(BIN / "nbgrader"), str(BIN / "shoplab")
    with tempfile.TemporaryDirectory() as tmp:
        parallel = course_copy(Path(tmp) / "parallel", args.chapter)
        serial = course_copy(Path(tmp) / "serial", args.chapter)
        for course in (parallel, serial):
            run(nbgrader, "generate_assignment", args.chapter, "--force", cwd=course)
        run(shoplab, "simulate", args.chapter, "--students", str(args.students),
            "--seed", str(args.seed), cwd=parallel)
        shutil.copytree(parallel / "submitted", serial / "submitted")

        t_parallel = run(shoplab, "grade", args.chapter, "--workers", str(args.workers),
                         "--timeout", str(args.timeout), cwd=parallel)
        t_serial = run(nbgrader, "autograde", args.chapter,
                       f"--Execute.timeout={args.timeout}", cwd=serial)
        return t_serial, t_parallel, scores(parallel, args.chapter), scores(serial, args.chapter)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", default="ch04")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.students} simulated submissions of {args.chapter}, {os.cpu_count()} cores, "
          f"cell timeout {args.timeout} s", flush=True)
    ratios, differing = [], []
    for number in range(1, args.runs + 1):
        t_serial, t_parallel, ours, theirs = grade_both(args)
        both = set(ours) & set(theirs)
        differing += [(key, ours[key], theirs[key]) for key in sorted(both)
                      if ours[key] != theirs[key]]
        only_ours = sorted({student for student, _ in set(ours) - set(theirs)})
        ratios.append(t_serial / t_parallel)
        print(f"run {number}: serial nbgrader autograde {t_serial:7.1f} s, shoplab grade "
              f"({args.workers} workers) {t_parallel:7.1f} s, ratio {ratios[-1]:5.2f}x, "
              f"{len(both)} grade cells graded by both", flush=True)
        if only_ours:  # e.g. the memory hog: nbgrader alone cannot grade it, the limit can
            print(f"       graded only by shoplab: {', '.join(only_ours)}")
    print(f"throughput ratio (median of {args.runs}): {statistics.median(ratios):5.2f}x")
    print(f"identical scores: {not differing}")
    if differing:
        for key, mine, nbgraders in differing:
            print(f"  {key}: shoplab {mine} vs nbgrader {nbgraders}")
        sys.exit(1)

if __name__ == "__main__":
    main()
