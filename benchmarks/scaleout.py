"""Benchmark: one class graded three ways into PostgreSQL: local pool, 2 shards, 2 Dask workers.

    python benchmarks/scaleout.py [--chapter ch04] [--students 40] [--timeout 10]

Starts its own PostgreSQL server and Dask cluster on 127.0.0.1 (see tests/servers_support.py;
Debian's PostgreSQL must be installed), grades the same simulated class with
`shoplab grade --workers 2`, with `--shard 1/2` and `--shard 2/2` side by side (one worker
each), and with `--scheduler` on a `dask scheduler` with two one-thread `dask worker`s;
prints the wall-clock times and checks the three gradebooks hold identical scores. On one
machine this measures the overhead of each way, not a speed-up: the shards and the Dask
workers share the same cores as the local pool. Not a timed test: run it by hand
(`make bench`) and record the result in docs/instructors.md.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from grading import course_copy, scores  # noqa: E402 - the other benchmark's helpers
from servers_support import DaskCluster, PostgresServer  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}


def on_postgres(course: Path, url: str) -> Path:
    config = course / "nbgrader_config.py"
    config.write_text(config.read_text().replace('"sqlite:///gradebook.db"', repr(url)))
    return course


def timed(*commands: list[str]) -> float:
    """Run the commands side by side; return the wall-clock seconds until all are done."""
    start = time.perf_counter()
    runs = [subprocess.Popen(c, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            for c in commands]
    for run, command in zip(runs, commands, strict=True):
        _, stderr = run.communicate()
        if run.returncode != 0:
            sys.exit(f"{' '.join(command)} failed:\n{stderr.decode()[-2000:]}")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chapter", default="ch04")
    parser.add_argument("--students", type=int, default=40)
    parser.add_argument("--timeout", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    shoplab = str(BIN / "shoplab")
    server = PostgresServer()
    with tempfile.TemporaryDirectory() as tmp:
        cluster = DaskCluster(2, Path(tmp))
        try:
            ways = {name: on_postgres(course_copy(Path(tmp) / name, args.chapter),
                                      server.create_database(name))
                    for name in ("local", "shards", "dask")}
            first = ways["local"]
            subprocess.run([shoplab, "release", args.chapter, "--course", str(first)],
                           env=ENV, check=True, capture_output=True)
            subprocess.run([shoplab, "simulate", args.chapter, "--students",
                            str(args.students), "--seed", str(args.seed), "--course",
                            str(first)], env=ENV, check=True, capture_output=True)
            for course in (ways["shards"], ways["dask"]):
                shutil.copytree(first / "release", course / "release")
                shutil.copytree(first / "submitted", course / "submitted")

            def grade(course: Path, *extra: str) -> list[str]:
                return [shoplab, "grade", args.chapter, "--timeout", str(args.timeout),
                        "--course", str(course), *extra]

            times = {
                "local pool, 2 workers": timed(grade(ways["local"], "--workers", "2")),
                "2 shards, 1 worker each": timed(
                    *(grade(ways["shards"], "--shard", f"{k}/2", "--workers", "1")
                      for k in (1, 2))),
                "Dask, 2 workers": timed(grade(ways["dask"], "--scheduler", cluster.address)),
            }
            books = [scores(course, args.chapter) for course in ways.values()]
        finally:
            left = cluster.stop()
            server.stop()
    identical = books[0] == books[1] == books[2]
    print(f"{args.students} simulated submissions of {args.chapter} into PostgreSQL, "
          f"{os.cpu_count()} cores, cell timeout {args.timeout} s")
    for name, seconds in times.items():
        print(f"{name:24}: {seconds:7.1f} s")
    print(f"identical scores        : {identical} ({len(books[0])} grade cells)")
    if left:
        print(f"still running after the cluster stopped: {left}")
    if not identical or left:
        sys.exit(1)


if __name__ == "__main__":
    main()
