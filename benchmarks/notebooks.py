"""Benchmark: what a graded run and a lesson cost, against the floor any grader pays.

    python benchmarks/notebooks.py [--runs 3] [--only ch08 08_funnels ...]

Every chapter in `source/` and every lesson in `notebooks/`, unless `--only` names some.
Per chapter: the graded run of its solution notebook (`source/chNN/chNN_exercises.ipynb`, real
kernel via nbclient, `NBGRADER_EXECUTION=autograde`, hidden cells included) against the floor:
a kernel started that runs only `import numpy, pandas, plotly, graders, shoplab`. Per lesson
(`notebooks/*.ipynb`): its Run All time and the kernel's resident memory afterwards (VmRSS, read
inside the kernel). The chapters' references are stored first (`shoplab references`, as
`shoplab grade` does before a class), so the checks read them as a class's grading does. Medians
of `--runs` runs; last, the worst chapter and the largest lesson kernel against the goals (2x the
floor, 300 MB). Not a timed test: the numbers depend on the machine and on what else runs on
it; run it alone and record the result in docs/instructors.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from shoplab.instructor.grading import store_references

REPO = Path(__file__).resolve().parents[1]
FLOOR = "import numpy, pandas, plotly, graders, shoplab"
GOAL_RATIO, GOAL_MB = 2.0, 300  # the goals: a graded run within 2x the floor, a lesson in 300 MB
RSS = "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmRSS')))"


def execute(nb: nbformat.NotebookNode, cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    """Run `nb` in a fresh kernel (start included); return (seconds, kernel RSS in kB after)."""
    nb.cells.append(nbformat.v4.new_code_cell(RSS))
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)  # the kernel inherits the environment of this process
    try:
        start = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(cwd)}}).execute()
        seconds = time.perf_counter() - start
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    rss = int(nb.cells[-1].outputs[0]["text"].strip())
    return seconds, rss


def median_run(path: Path | None, runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median seconds and median RSS (MB) of `runs` runs of `path` (None: the floor)."""
    times, rss = [], []
    for _ in range(runs):
        nb = (nbformat.read(path, as_version=4) if path is not None
              else nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(FLOOR)]))
        s, kb = execute(nb, path.parent if path is not None else REPO, env)
        times.append(s)
        rss.append(kb / 1024)
    return statistics.median(times), statistics.median(rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="*", default=None,
                        help="chapters (ch08) and lessons (08_funnels) to run; default all")
    args = parser.parse_args()
    chapters = sorted((REPO / "source").glob("ch*/ch*_exercises.ipynb"))
    lessons = sorted((REPO / "notebooks").glob("*.ipynb"))
    if args.only is not None:
        chapters = [p for p in chapters if p.parent.name in args.only]
        lessons = [p for p in lessons if p.stem in args.only]

    for chapter in chapters:
        store_references(chapter.parent.name)
    floor, floor_mb = median_run(None, args.runs, {})
    print(f"{os.cpu_count()} cores, median of {args.runs} runs; floor (kernel start + "
          f"`{FLOOR}`): {floor:.1f} s, {floor_mb:.0f} MB", flush=True)
    print(f"{'graded run':<22} {'s':>6} {'x floor':>8}")
    ratios, memory = {}, {}
    for path in chapters:
        s, _ = median_run(path, args.runs, {"NBGRADER_EXECUTION": "autograde"})
        ratios[path.parent.name] = s / floor
        print(f"{path.parent.name:<22} {s:6.1f} {s / floor:8.1f}", flush=True)
    print(f"{'lesson Run All':<22} {'s':>6} {'x floor':>8} {'MB':>6}")
    for path in lessons:
        s, mb = median_run(path, args.runs, {})
        memory[path.stem] = mb
        print(f"{path.stem:<22} {s:6.1f} {s / floor:8.1f} {mb:6.0f}", flush=True)
    if ratios:
        worst = max(ratios, key=ratios.get)
        print(f"worst graded run: {worst}, {ratios[worst]:.1f}x the floor "
              f"(goal <= {GOAL_RATIO}x: {'met' if ratios[worst] <= GOAL_RATIO else 'not met'})")
    if memory:
        largest = max(memory, key=memory.get)
        print(f"largest lesson kernel: {largest}, {memory[largest]:.0f} MB "
              f"(goal <= {GOAL_MB} MB: {'met' if memory[largest] <= GOAL_MB else 'not met'})")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
