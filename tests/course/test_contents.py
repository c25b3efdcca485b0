"""The lists of chapters (README table, welcome list, "next chapter" pointers) are rendered
from the table of contents and the files present, and never point at a missing chapter."""

import re
import shutil

import nbformat
import pytest

from graders.registry import CONTENTS
from shoplab.contents import (
    NEXT_TAG,
    ContentsError,
    next_pointer,
    readme_table,
    render_lesson,
    rendered,
    rows,
)
from shoplab.release import ROOT

LINK = re.compile(r"\]\(([^)]+)\)")


@pytest.mark.parametrize("path", list(rendered()), ids=lambda p: p.name)
def test_committed_list_is_rendered_from_the_registry(path):
    committed, fresh = rendered()[path]
    assert committed == fresh, f"{path.relative_to(ROOT)} is stale: run `make release`"


def test_every_chapter_of_the_contents_is_in_the_readme_table_once():
    table = readme_table()
    for entry in CONTENTS:
        assert len(re.findall(rf"^\| {entry.chapter} \| {re.escape(entry.title)} \|", table,
                              re.M)) == 1


@pytest.mark.parametrize("row", [r for r in rows() if r.lesson], ids=lambda r: str(r.entry.chapter))
def test_next_pointer_links_a_lesson_that_exists(row):
    [target] = LINK.findall(next_pointer(row.entry.chapter))
    assert (row.lesson.parent / target).exists()
    later = [r for r in rows() if r.lesson and r.entry.chapter > row.entry.chapter]
    assert target == (later[0].lesson.name if later else "00_welcome.ipynb")


def test_a_new_lesson_moves_the_previous_chapters_pointer(tmp_path):
    (tmp_path / "notebooks").mkdir()
    for name in ("00_welcome.ipynb", "03_inventory.ipynb"):
        shutil.copy(ROOT / "notebooks" / name, tmp_path / "notebooks")
    assert "03_inventory.ipynb" in next_pointer("00", tmp_path)
    assert "00_welcome.ipynb" in next_pointer("03", tmp_path)  # the last: the list
    (tmp_path / "notebooks" / "01_platforms.ipynb").write_text("{}")
    assert "01_platforms.ipynb" in next_pointer("00", tmp_path)
    assert "[lesson](notebooks/01_platforms.ipynb)" in readme_table(tmp_path)


def test_a_lesson_without_its_tagged_cell_is_named():
    notebook = nbformat.read(ROOT / "notebooks" / "04_pricing.ipynb", as_version=4)
    notebook.cells = [c for c in notebook.cells if NEXT_TAG not in c.metadata.get("tags", [])]
    with pytest.raises(ContentsError, match="lesson 04 needs one markdown cell tagged"):
        render_lesson(notebook, "04")


COURSE_NOTEBOOKS = sorted([*ROOT.glob("notebooks/*.ipynb"), *ROOT.glob("source/ch*/*.ipynb"),
                           *ROOT.glob("release/ch*/*.ipynb")])
NEXT_CHAPTER = re.compile(r"\bnext\b[^.\n]{0,40}?\bchapter\s+(\d{2})\b", re.I)


@pytest.mark.parametrize("path", COURSE_NOTEBOOKS, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_notebook_links_and_next_pointers_reach_written_chapters(path):
    """Beyond the generated pointer: no hand-typed link in a lesson or exercise notebook is
    broken, and no text sends the learner "next" to a chapter whose lesson is not written."""
    written = {int(r.entry.chapter.number) for r in rows() if r.lesson}
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type != "markdown":
            continue
        for target in LINK.findall(cell.source):
            target = target.split("#")[0].split()[0] if target.strip() else target
            if not target or re.match(r"[a-z]+:", target):
                continue
            assert (path.parent / target).exists(), f"{path.name} links {target}, which is missing"
        for chapter in NEXT_CHAPTER.findall(cell.source):
            assert int(chapter) in written, f"{path.name}: 'next' points to chapter {chapter}"
