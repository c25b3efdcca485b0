"""The README and guides point at files that exist, and the README lists every lesson."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
LINK = re.compile(r"\]\((?!https?://|#|mailto:)([^)#\s]+)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_relative_links_resolve(doc):
    missing = [t for t in LINK.findall(doc.read_text()) if not (doc.parent / t).exists()]
    assert missing == []


def test_readme_links_every_lesson_and_exercise_notebook():
    readme = (ROOT / "README.md").read_text()
    for nb in [*(ROOT / "notebooks").glob("*.ipynb"), *(ROOT / "release").glob("*/*.ipynb")]:
        assert f"]({nb.relative_to(ROOT)})" in readme, nb.name
