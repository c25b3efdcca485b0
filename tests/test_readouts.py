"""Readout cells (sentences built from the data) are committed with their code collapsed."""

import json
from pathlib import Path

import pytest

from shoplab import readouts

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


@pytest.mark.parametrize("source, expected", [
    ('say(f"{n} SKUs")', True),
    ('x = 2\nMarkdown(f"""\n{x} orders\n""")', True),
    ('for day in days:\n    print(f"{day}: ¥{gmv:,.0f}")', True),
    ('display(table.style.format("{:.1%}"))\nsay("a sentence")', False),  # shows a table
    ('table.style.format("{:.1%}")', False),
    ('fig = go.Figure()\nfig', False),
    ("price_explorer(products, price_tests)", False),
    ("x = 1", False),  # shows nothing
    ('def f():\n    """doc"""\nsay("x")', False),
    ("say(f'unclosed", False),
])
def test_what_counts_as_a_readout(source, expected):
    assert readouts.is_readout(source) is expected


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_readouts_are_marked_and_nothing_else(path):
    notebook = json.loads(path.read_text())
    assert readouts.stale_cells(notebook) == [], (
        f"{path.name}: readout markers out of date; run `python -m shoplab.readouts "
        f"notebooks/*.ipynb`")
    assert any(readouts.is_marked(c) for c in notebook["cells"]), f"{path.name} has no readout"


def test_marking_sets_both_markers_and_is_idempotent(tmp_path):
    cell = {"cell_type": "code", "execution_count": None, "outputs": [],
            "metadata": {"tags": ["keep"]}, "source": ['say(f"{n} SKUs")']}
    table = {"cell_type": "code", "execution_count": None, "outputs": [], "source": ["t"],
             "metadata": {"jupyter": {"source_hidden": True}, "tags": ["hide-input"]}}
    path = tmp_path / "lesson.ipynb"
    path.write_text(json.dumps({"cells": [cell, table], "metadata": {}, "nbformat": 4,
                                "nbformat_minor": 5}))
    assert readouts.mark(path) is True
    cells = json.loads(path.read_text())["cells"]
    assert cells[0]["metadata"] == {"jupyter": {"source_hidden": True},
                                    "tags": ["keep", "hide-input"]}
    assert cells[1]["metadata"] == {}  # no longer a readout: both markers removed
    before = path.read_text()
    assert readouts.mark(path) is False and path.read_text() == before
