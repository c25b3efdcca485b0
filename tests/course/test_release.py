"""source/ is rendered from the specs, and release/ is exactly what nbgrader generates from
source/ (so neither is ever stale)."""

import shutil
from pathlib import Path

import nbformat
import pytest

from graders.cells import LayoutError, render, source_path
from shoplab.instructor.course import Course
from shoplab.release import ROOT, rendered


def assignments():
    return Course.at(ROOT).chapters()


def cells(path: Path):
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in nb.cells]


@pytest.mark.slow
def test_release_matches_a_fresh_generate_assignment(tmp_path):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "source", tmp_path / "source")
    names = assignments()
    assert names, "no chapters in source/"
    for name in names:
        Course.at(tmp_path).generate(name, gradebook=False)
    fresh = sorted((tmp_path / "release").rglob("*.ipynb"))
    committed = sorted((ROOT / "release").rglob("*.ipynb"))
    rel = [p.relative_to(tmp_path / "release") for p in fresh]
    assert rel == [p.relative_to(ROOT / "release") for p in committed], "run `make release`"
    for new, old in zip(fresh, committed, strict=True):
        assert cells(new) == cells(old), f"{old} is stale: run `make release`"


@pytest.mark.parametrize("chapter", assignments())
def test_source_notebook_is_rendered_from_its_specs(chapter):
    """Headings, answer-format lines, grade cells and their metadata match the specs."""
    path, committed, fresh = rendered(chapter)
    assert committed == fresh, f"{path.relative_to(ROOT)} is stale: run `make release`"


def _without(notebook, grade_id):
    notebook.cells = [c for c in notebook.cells
                      if c.metadata.get("nbgrader", {}).get("grade_id") != grade_id]
    return notebook


def test_rendering_names_a_missing_grade_cell_or_a_cell_without_a_spec():
    notebook = nbformat.read(source_path("04"), as_version=4)
    with pytest.raises(LayoutError, match=r"04\.2 grade"):
        render(_without(notebook, "ex04_2"), "04")
    notebook = nbformat.read(source_path("04"), as_version=4)
    notebook.cells[-2].metadata["nbgrader"] = {"grade": True, "grade_id": "ex04_77"}
    with pytest.raises(LayoutError, match="04.77"):
        render(notebook, "04")


def test_rendering_keeps_the_authors_prose_and_replaces_a_wrong_heading():
    notebook = nbformat.read(source_path("04"), as_version=4)
    cell = next(c for c in notebook.cells if c.source.startswith("### Exercise 04.1 "))
    prose = cell.source.split("\n", 4)[4]
    cell.source = "### Exercise 04.1 — Old title (9 points)\n\n" + prose
    render(notebook, "04")
    assert cell.source.startswith("### Exercise 04.1 — Gross margin of every product (2 points)"
                                  "\n\n**Answer:** `margin`, ")
    assert cell.source.endswith("\n\n" + prose)


def test_a_written_answer_is_rendered_from_its_rubric_and_missing_one_is_named():
    from graders import registry
    from graders.cells import written_heading
    from graders.chapter import written_id

    chapter = next((c for c in registry.chapters() if registry.written(c)), None)
    if chapter is None:
        pytest.skip("no chapter has a written answer")
    written = registry.written(chapter)[0]
    notebook = nbformat.read(source_path(chapter), as_version=4)
    heading = next(c for c in notebook.cells if c.source.startswith(f"### Written {written.id} "))
    answer = next(c for c in notebook.cells
                  if c.metadata.get("nbgrader", {}).get("grade_id") == written_id(written.id))
    heading.source = f"### Written {written.id} — Old title (1 point)\n\nMy prose."
    answer.metadata["nbgrader"]["points"] = 99
    render(notebook, chapter)
    assert heading.source.startswith(written_heading(written) + "\n\n**Graded by your instructor**")
    assert heading.source.endswith("\n\nMy prose.")
    assert answer.metadata["nbgrader"]["points"] == written.max_points
    assert answer.metadata["nbgrader"]["solution"] and answer.metadata["nbgrader"]["grade"]
    with pytest.raises(LayoutError, match=rf"{written.id} answer"):
        render(_without(nbformat.read(source_path(chapter), as_version=4),
                        written_id(written.id)), chapter)
