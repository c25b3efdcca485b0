"""Submissions downloaded from an LMS, filed into nbgrader's `submitted/` tree.

This follows nbgrader's `zip_collect` conventions and runs it: the download (a zip, or a
folder of files and zips) is placed in `downloaded/<chapter>/archive/`, extracted to
`downloaded/<chapter>/extracted/`, and each notebook is filed as
`submitted/<student>/<chapter>/<notebook>.ipynb` by FileNameCollectorPlugin's `named_regexp`.
Our default pattern reads `<student id>_<notebook name>.ipynb` (any folders before it), e.g.
`s001_ch04_exercises.ipynb`; pass your LMS's pattern (see nbgrader's zip_collect docs) with
`--regexp`. Names that do not match, and notebooks not in the release, are skipped (strict).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from shoplab.instructor.course import Course

DEFAULT_REGEXP = r".*/(?P<student_id>[^/_]+)_(?P<file_id>[^/]+\.ipynb)$"


def collect(course: Course, chapter: str, download: Path, regexp: str = DEFAULT_REGEXP) -> str:
    """File `download` (zip or folder) into submitted/; return nbgrader's log."""
    archive = course.root / "downloaded" / chapter / "archive"
    if archive.exists():
        shutil.rmtree(archive)
    if download.is_dir():
        shutil.copytree(download, archive)
    else:
        archive.mkdir(parents=True)
        shutil.copy(download, archive / download.name)
    return course.nbgrader("zip_collect", chapter, "--force", "--strict",
                           f"--FileNameCollectorPlugin.named_regexp={regexp}")
