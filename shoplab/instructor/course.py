"""One nbgrader course directory, seen through nbgrader's own configuration and APIs.

The course root holds `nbgrader_config.py`; every path and the gradebook URL are resolved
against it, so the `shoplab` commands behave like nbgrader's when run from the root.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

NOTEBOOK = "{chapter}_exercises.ipynb"


def ensure_tools_on_path() -> None:
    """nbgrader shells out to `alembic` (and we to `nbgrader`): put the venv's bin first."""
    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bin_dir + os.pathsep + os.environ.get("PATH", "")


class CourseError(RuntimeError):
    """Something an instructor must fix (wrong directory, unknown chapter, nbgrader failed)."""


@dataclass(frozen=True)
class Course:
    root: Path

    @classmethod
    def at(cls, directory: str | os.PathLike) -> Course:
        root = Path(directory).resolve()
        if not (root / "nbgrader_config.py").exists():
            raise CourseError(f"{root} has no nbgrader_config.py: pass --course <course root>.")
        ensure_tools_on_path()
        return cls(root)

    @property
    def db_path(self) -> Path:
        return self.root / "gradebook.db"

    def chapters(self) -> list[str]:
        """Assignments with a source folder, e.g. ["ch00", "ch04"]."""
        source = self.root / "source"
        return sorted(p.name for p in source.iterdir() if p.is_dir() and p.name.startswith("ch"))

    def check_chapter(self, chapter: str) -> str:
        if chapter not in self.chapters():
            known = ", ".join(self.chapters()) or "none"
            raise CourseError(f"No assignment {chapter!r} in {self.root / 'source'} "
                              f"(known: {known}).")
        return chapter

    def generate(self, chapter: str, *, gradebook: bool = True) -> None:
        """Build release/<chapter>/ from source/ with nbgrader's generate_assignment.
        Without `gradebook`, nothing is recorded (how the committed release/ is built)."""
        no_db = () if gradebook else ("--no-db",)
        self.nbgrader("generate_assignment", chapter, "--force", *no_db)

    def students(self, chapter: str) -> list[str]:
        """Students with a `submitted/<student>/<chapter>/` folder."""
        base = self.root / "submitted"
        if not base.is_dir():
            return []
        return sorted(p.name for p in base.iterdir() if (p / chapter).is_dir())

    def config(self, **overrides) -> Config:
        """The course's nbgrader config with absolute paths (and a patient SQLite)."""
        config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        config.CourseDirectory.root = str(self.root)
        url = config.CourseDirectory.get("db_url", "sqlite:///gradebook.db")
        if url.startswith("sqlite:///") and not url.startswith("sqlite:////"):
            # relative to the course root, as when nbgrader runs there; wait for the lock
            # (up to a minute) instead of failing when two workers write at once
            url = f"sqlite:///{self.root / url.removeprefix('sqlite:///')}?timeout=60"
        config.CourseDirectory.db_url = url
        for dotted, value in overrides.items():
            section, name = dotted.split(".")
            config[section][name] = value
        return config

    def api(self, **overrides):
        """nbgrader's Python API for this course. Its methods return {"success": ...}."""
        from nbgrader.apps.api import NbGraderAPI
        from nbgrader.coursedir import CourseDirectory

        config = self.config(**overrides)
        return NbGraderAPI(CourseDirectory(config=config), config=config)

    def nbgrader(self, *args: str) -> str:
        """Run an `nbgrader` subcommand in the course root; raise with its log on failure."""
        run = subprocess.run(
            [str(Path(sys.executable).with_name("nbgrader")), *args],
            cwd=self.root, capture_output=True, text=True,
        )
        if run.returncode != 0:
            raise CourseError(f"nbgrader {' '.join(args)} failed:\n{run.stderr[-3000:]}")
        return run.stderr + run.stdout
