"""Every notebook runs top to bottom in a real kernel, and says what it should.

Lessons run without errors. Source exercise notebooks (solutions in) pass every check;
release notebooks (what learners get) report every exercise as not attempted, without a
single exception. Committed notebooks carry no outputs or widget state.
"""

import json
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("*.ipynb"))
SOURCES = sorted((ROOT / "source").glob("ch*/*.ipynb"))
RELEASES = sorted((ROOT / "release").glob("ch*/*.ipynb"))
ALL = LESSONS + SOURCES + RELEASES


def execute(path: Path, *extra_cells: str):
    nb = nbformat.read(path, as_version=4)
    nb.cells.extend(nbformat.v4.new_code_cell(code) for code in extra_cells)
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return nb


def outputs_text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("display_data", "execute_result"):
            parts.append(str(out.data.get("text/plain", "")) + str(out.data.get("text/html", "")))
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "".join(parts)


def grade_cells(nb):
    """The autograded cells: code. A markdown grade cell is a written answer graded by hand."""
    return [c for c in nb.cells
            if c.cell_type == "code" and c.metadata.get("nbgrader", {}).get("grade")]


def errors(nb):
    return [outputs_text(c) for c in nb.cells
            if any(o.output_type == "error" for o in c.get("outputs", []))]


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(ROOT)))
def test_committed_without_outputs_or_widget_state(path):
    nb = json.loads(path.read_text())
    assert "widgets" not in nb.get("metadata", {})
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.slow
@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_lesson_runs_without_errors(path):
    assert errors(execute(path)) == []


@pytest.mark.slow
@pytest.mark.parametrize("path", SOURCES, ids=lambda p: p.parent.name)
def test_source_solutions_pass_every_check_inline_and_at_the_end(path):
    """Each check passes where it stands and again after the whole notebook has run, so no
    later cell overwrites an answer that an earlier grade cell read."""
    checks = [c.source.splitlines()[0] for c in grade_cells(nbformat.read(path, as_version=4))]
    assert checks
    nb = execute(path, *checks)
    assert errors(nb) == []
    inline, at_end = grade_cells(nb), nb.cells[-len(checks):]
    for cell in [*inline, *at_end]:
        text = outputs_text(cell)
        assert "✓" in text and "✗" not in text, text


@pytest.mark.slow
@pytest.mark.parametrize("path", RELEASES, ids=lambda p: p.parent.name)
def test_release_runs_and_reports_not_attempted(path):
    nb = execute(path)
    assert errors(nb) == []
    cells = grade_cells(nb)
    assert cells
    for cell in cells:
        assert "not attempted yet" in outputs_text(cell)
        assert "BEGIN HIDDEN TESTS" not in cell.source and "pristine" not in cell.source
    summary = outputs_text(nb.cells[-1])
    assert f"0 of {len(cells)} exercises passed" in summary
