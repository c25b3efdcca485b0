"""`make release` (`python -m shoplab.release [ch04 ...]`): one command from the specs to release/.

It first re-renders each source notebook's generated parts from its chapter's specs
(`graders.cells`: headings, answer-format lines, grade cells and their nbgrader metadata),
then builds `release/` with nbgrader's own `generate_assignment` (no gradebook), so what we
commit is exactly what nbgrader would hand to a class, and last re-renders the lists of
chapters (`shoplab.contents`: README table, welcome list, "next chapter" pointers).
tests/course/test_release.py and test_contents.py fail when any of these is stale.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from graders.cells import render, source_path
from graders.chapter import Chapter
from shoplab.contents import render_all
from shoplab.instructor.course import Course

ROOT = Path(__file__).resolve().parents[1]


def rendered(chapter, root: Path = ROOT) -> tuple[Path, str, str]:
    """(path, the committed text, the text rendering it from the specs gives)."""
    path = source_path(chapter, root)
    text = path.read_text(encoding="utf-8")
    notebook = render(nbformat.reads(text, as_version=4), chapter)
    return path, text, nbformat.writes(notebook) + "\n"


def release(root: Path = ROOT, names: list[str] | None = None) -> list[Path]:
    """Render source/ and regenerate release/ for `names` (default: every assignment), then
    the chapter lists; return the files whose rendering changed."""
    course = Course.at(root)
    names = [course.check_chapter(Chapter.parse(n).assignment) for n in names or []]
    names = names or course.chapters()
    changed = []
    for name in names:
        path, before, after = rendered(name, root)
        if after != before:
            path.write_text(after, encoding="utf-8")
            changed.append(path)
    for name in names:
        course.generate(name, gradebook=False)
    return changed + render_all(root)


if __name__ == "__main__":
    for path in release(names=sys.argv[1:] or None):
        print(f"re-rendered {path.relative_to(ROOT)}")
    print("release/ regenerated from source/")
