"""Grade cells a learner deleted come back when nbgrader grades the notebook.

nbgrader 0.9.6 re-adds deleted grade cells (`c.OverwriteCells.add_missing_cells = True`),
but two ordinary classroom notebooks make its autograde stop, so the learner gets no grade:

* a learner deleted a whole exercise — the answer cell *and* its grade cell. A missing grade
  cell goes right after the source cell that preceded it, looked up on the assumption that
  it survived; here it is the deleted answer cell (KeyError);
* a learner duplicated a grade cell. `DeduplicateIds` keeps the last copy and empties the
  earlier copies' nbgrader metadata (`{}`); the search for missing *task* cells then reads a
  `grade_id` those cells no longer have (KeyError), and even without recovery the emptied
  metadata fails nbgrader's own metadata check ("an old version of the nbgrader metadata").

`KeepLastCopy` turns the earlier copies into plain cells instead (no nbgrader metadata at
all). `RestoreMissingCells` places each missing grade cell after the nearest earlier source
cell still in the notebook (first, if none is) and reads grade ids tolerantly (OverwriteCells
itself strips the id of a cell the gradebook does not know), so these notebooks are graded:
a restored check with no answer scores 0, the other exercises as usual. (Source cells are
taken in the gradebook's order, the order nbgrader itself relies on.) Both replace their
parent in nbgrader's own autograde pipeline (`c.Autograde.sanitize_preprocessors` in
nbgrader_config.py), so `nbgrader autograde` and `shoplab grade` behave alike.
"""

from __future__ import annotations

from nbgrader.preprocessors import DeduplicateIds, OverwriteCells


class KeepLastCopy(DeduplicateIds):
    """DeduplicateIds whose discarded copies become plain cells, valid for nbgrader."""

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.metadata.get("nbgrader") == {}:  # an earlier copy of a kept cell
            del cell.metadata["nbgrader"]
        return cell, resources


class RestoreMissingCells(OverwriteCells):
    """OverwriteCells whose re-added grade cells never depend on a deleted neighbour."""

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        sources = {cell.name: cell for cell in source_nb.source_cells}
        order = list(sources)
        solutions = {cell.name for cell in source_nb.solution_cells}
        for grade_cell in sorted(source_nb.grade_cells, key=lambda cell: order.index(cell.name)):
            present = {grade_id(cell): index for index, cell in enumerate(nb.cells)}
            if grade_cell.name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook",
                             grade_cell.name)
            before = order[:order.index(grade_cell.name)]
            anchor = next((present[name] for name in reversed(before) if name in present), -1)
            nb.cells.insert(anchor + 1, self.missing_cell_transform(
                sources[grade_cell.name], grade_cell.max_score,
                is_solution=grade_cell.name in solutions))
        return nb, resources

    def add_missing_task_cells(self, nb, resources):
        """Missing task cells go at the end, in source order, as upstream puts them."""
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        sources = {cell.name: cell for cell in source_nb.source_cells}
        present = {grade_id(cell) for cell in nb.cells}
        for task in source_nb.task_cells:
            if task.name not in present:
                nb.cells.append(self.missing_cell_transform(
                    sources[task.name], task.max_score, is_task=True))
        return nb, resources


def grade_id(cell) -> str | None:
    """The cell's nbgrader id; None for a plain cell or one DeduplicateIds emptied."""
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def sanitize_preprocessors() -> list:
    """nbgrader's autograde sanitising steps, with DeduplicateIds and OverwriteCells
    replaced by ours."""
    from nbgrader.converters import Autograde

    ours = {DeduplicateIds: KeepLastCopy, OverwriteCells: RestoreMissingCells}
    return [ours.get(step, step) for step in Autograde.sanitize_preprocessors.default()]
