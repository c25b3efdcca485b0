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


@pytest.mark.parametrize("spelling", ["4", "04", "ch04", "CH04"])
def test_a_chapter_may_be_written_4_04_or_ch04(spelling, tmp_path):
    course = tmp_path / "course"
    for folder in ("source", "release"):
        shutil.copytree(REPO / folder / "ch04", course / folder / "ch04")
    shutil.copy(REPO / "nbgrader_config.py", course)
    result = CliRunner().invoke(main, ["simulate", spelling, "--students", "1",
                                       "--course", str(course)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert (course / "submitted" / "s001-correct" / "ch04" / "ch04_exercises.ipynb").exists()


def test_a_chapter_that_is_no_chapter_is_a_usage_error():
    result = CliRunner().invoke(main, ["grade", "chapter-four", "--course", str(REPO)])
    assert result.exit_code == 2
    assert "'chapter-four' is not a chapter: write 4, 04 or ch04" in result.output
