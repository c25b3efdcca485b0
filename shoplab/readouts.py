"""Readout cells show their sentence, not their code: the one place that marks them.

A lesson states its findings as sentences computed from the data (`say(f"The {len(fitted)}
fitted elasticities are …")`), so a number in the text can never drift from the data. But the
code that builds such a sentence is a wall of f-string a learner should not have to read to
get the sentence. So each readout cell carries both markers tools honour for "collapse the
input": `metadata.jupyter.source_hidden` (JupyterLab, Notebook 7) and the `hide-input` tag
(Jupyter Book and other static-site builders). The cell still runs and is still tested; one
click shows its code.

Which cells are readouts is decided here, from the code, not by hand: a cell is a readout
when everything it shows is a sentence — each statement-level expression in it (also inside
loops and branches) is a call to `say`, `Markdown` or `print`, and there is at least one. A
cell that also shows a table, a figure or a widget is not, so its code stays in view.

`python -m shoplab.readouts notebooks/*.ipynb` sets the markers (and removes them from cells
that are no longer readouts); tests/test_readouts.py fails when a committed lesson is stale.
"""

from __future__ import annotations

import ast
import json
import sys
from pathlib import Path

SENTENCE_CALLS = ("say", "Markdown", "print")
TAG = "hide-input"


def is_readout(source: str) -> bool:
    """Whether a code cell with this source only shows sentences (see the module docstring)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return False
    shown = [node.value for node in ast.walk(tree) if isinstance(node, ast.Expr)]
    return bool(shown) and all(
        isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
        and value.func.id in SENTENCE_CALLS
        for value in shown
    )


def is_marked(cell: dict) -> bool:
    """Whether a cell carries both hide-the-input markers."""
    return (cell.get("metadata", {}).get("jupyter", {}).get("source_hidden") is True
            and TAG in cell.get("metadata", {}).get("tags", []))


def _set_marks(cell: dict, readout: bool) -> None:
    metadata = cell.setdefault("metadata", {})
    jupyter = metadata.get("jupyter", {})
    tags = [tag for tag in metadata.get("tags", []) if tag != TAG]
    jupyter.pop("source_hidden", None)
    if readout:
        jupyter["source_hidden"] = True
        tags.append(TAG)
    for key, value in (("jupyter", jupyter), ("tags", tags)):
        if value:
            metadata[key] = value
        else:
            metadata.pop(key, None)


def stale_cells(notebook: dict) -> list[int]:
    """Indices of code cells whose markers do not match whether they are readouts."""
    return [index for index, cell in enumerate(notebook["cells"])
            if cell["cell_type"] == "code"
            and is_marked(cell) != is_readout("".join(cell["source"]))]


def mark(path: Path) -> bool:
    """Set the readout markers in the notebook at `path`; True if the file changed.

    The JSON is written as nbformat writes it (indent 1, sorted keys), so an unchanged
    notebook stays byte for byte the same.
    """
    notebook = json.loads(path.read_text())
    stale = stale_cells(notebook)
    for index in stale:
        cell = notebook["cells"][index]
        _set_marks(cell, is_readout("".join(cell["source"])))
    if stale:
        path.write_text(json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n")
    return bool(stale)


def main(paths: list[str]) -> int:
    if not paths:
        print("usage: python -m shoplab.readouts NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    for name in paths:
        if mark(Path(name)):
            print(f"marked readout cells in {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
