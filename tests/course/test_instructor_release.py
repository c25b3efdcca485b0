"""`shoplab release`: nbgrader's generate_assignment, and release_assignment to an exchange.

The exchange is nbgrader's own, pointed at a temporary directory (no JupyterHub needed to
check that the student version lands where learners' Assignments tab fetches it from).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from shoplab.instructor.cli import main

REPO = Path(__file__).resolve().parents[2]
CHAPTER = "ch04" if (REPO / "source" / "ch04").is_dir() else "ch00"
NOTEBOOK = f"{CHAPTER}_exercises.ipynb"


def test_unknown_chapter_and_missing_course_are_plain_errors(tmp_path):
    result = CliRunner().invoke(main, ["grade", "ch99", "--course", str(REPO)])
    assert result.exit_code != 0 and "No assignment 'ch99'" in result.output
    result = CliRunner().invoke(main, ["release", "--all", "--course", str(tmp_path)])
    assert result.exit_code != 0 and "has no nbgrader_config.py" in result.output


@pytest.mark.slow
def test_release_to_the_exchange(tmp_path):
    course = tmp_path / "course"
    (course / "source").mkdir(parents=True)
    shutil.copytree(REPO / "source" / CHAPTER, course / "source" / CHAPTER)
    config = (REPO / "nbgrader_config.py").read_text()
    (course / "nbgrader_config.py").write_text(
        config + f"\nc.Exchange.root = {str(tmp_path / 'exchange')!r}\n")
    result = CliRunner().invoke(main, ["release", CHAPTER, "--exchange", "--course",
                                       str(course)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    released = course / "release" / CHAPTER / NOTEBOOK
    published = tmp_path / "exchange" / "shoplab" / "outbound" / CHAPTER / NOTEBOOK
    assert published.read_bytes() == released.read_bytes()
    # the student version: solutions and hidden tests stripped by nbgrader
    text = "".join("".join(c["source"]) for c in json.loads(released.read_text())["cells"])
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
