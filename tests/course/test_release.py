"""release/ is exactly what nbgrader generates from source/ (so it is never stale)."""

import shutil
from pathlib import Path

import nbformat
import pytest

from shoplab.release import ROOT, assignments, generate


def cells(path: Path):
    nb = nbformat.read(path, as_version=4)
    return [(c.cell_type, c.source, c.metadata.get("nbgrader")) for c in nb.cells]


@pytest.mark.slow
def test_release_matches_a_fresh_generate_assignment(tmp_path):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "source", tmp_path / "source")
    names = assignments()
    assert names, "no chapters in source/"
    generate(tmp_path, names)
    fresh = sorted((tmp_path / "release").rglob("*.ipynb"))
    committed = sorted((ROOT / "release").rglob("*.ipynb"))
    rel = [p.relative_to(tmp_path / "release") for p in fresh]
    assert rel == [p.relative_to(ROOT / "release") for p in committed], "run `make release`"
    for new, old in zip(fresh, committed, strict=True):
        assert cells(new) == cells(old), f"{old} is stale: run `make release`"
