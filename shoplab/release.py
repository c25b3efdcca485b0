"""Regenerate the student notebooks in `release/` from `source/` with nbgrader.

`python -m shoplab.release [ch04 ...]` (or `make release`) runs nbgrader's own
`generate_assignment` for each chapter, without touching a gradebook, so that what we
commit is exactly what nbgrader would hand to a class. tests/course/test_release.py fails when the
committed copies are stale.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def assignments(root: Path = ROOT) -> list[str]:
    """Chapters with a source exercise notebook, e.g. ["ch00", "ch04"]."""
    source = root / "source"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and p.name.startswith("ch"))


def generate(root: Path = ROOT, names: list[str] | None = None) -> None:
    """Write release/<chapter>/ for each chapter; raise with nbgrader's log if it fails."""
    nbgrader = Path(sys.executable).with_name("nbgrader")
    for name in names or assignments(root):
        run = subprocess.run(
            [str(nbgrader), "generate_assignment", name, "--force", "--no-db"],
            cwd=root, capture_output=True, text=True,
        )
        if run.returncode != 0:
            raise RuntimeError(f"nbgrader generate_assignment {name} failed:\n{run.stderr}")


if __name__ == "__main__":
    generate(names=sys.argv[1:] or None)
    print("release/ regenerated from source/")
