"""A reproducible synthetic class: plausible submissions for demos, tests and the benchmark.

Each simulated learner starts from the release notebook (what a real learner gets) and
fills the solution cells: correctly (the source notebook's solution), with one of the
exercise's declared misconceptions (`misconception.mistaken`: the very answer the engine names),
blank, or broken in a way real classes produce (syntax error, infinite loop, a crash that
kills the kernel, sys.exit, a flood of output, a memory hog, damaged JSON, no notebook).
The same `seed` gives byte-identical files.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import nbformat

from shoplab.instructor.course import NOTEBOOK, Course

BROKEN = {
    "syntax": "{name} = = 1  # a typo\n",
    "loop": "while True:  # never ends\n    pass\n",
    "crash": "import os\nos._exit(1)  # kills the kernel\n",
    "exit": "import sys\nsys.exit('giving up')\n",
    "flood": "for line in range(3_000):\n    print(line, 'spam ' * 1_000)\n",
    "hog": "hog = b'x' * (6 * 2**30)  # 6 GiB\n",
}
DAMAGED, MISSING = "damaged", "missing"


@dataclass(frozen=True)
class Slot:
    """One exercise's solution cell in the notebook."""

    cell: int
    exercise_id: str
    name: str
    mistakes: tuple[str, ...]


def slots(source_nb) -> list[Slot]:
    """Each exercise's answer cell, found by its nbgrader id (the rule in `graders.chapter`)."""
    from graders.chapter import exercise_of
    from graders.registry import find

    found = []
    for index, cell in enumerate(source_nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not meta.get("solution"):
            continue
        exercise_id = exercise_of(meta.get("grade_id", "").removesuffix("_answer"))
        if exercise_id is None:
            continue
        exercise = find(exercise_id)
        mistakes = tuple(m.name for m in exercise.mistakes if m.part is None)
        found.append(Slot(index, exercise_id, exercise.name, mistakes))
    return found


def profiles(slot_list: list[Slot], students: int, rng: random.Random) -> list[tuple[str, dict]]:
    """(kind, {cell: variant}) per learner: every case once, then random partial attempts.

    Small classes get the most telling cases first: correct, the first misconception of
    each exercise, blank, then each way of breaking a notebook."""
    everything = {s.cell: "correct" for s in slot_list}
    first = slot_list[0].cell
    misconceptions = [(f"misconception{k + 1}", {
        s.cell: f"mistake:{s.mistakes[k]}" if k < len(s.mistakes) else "correct"
        for s in slot_list}) for k in range(max((len(s.mistakes) for s in slot_list), default=0))]
    wanted = [("correct", everything), *misconceptions[:1],
              ("blank", {s.cell: "blank" for s in slot_list}),
              *((kind, {**everything, first: f"broken:{kind}"})
                for kind in [*BROKEN, DAMAGED, MISSING]),
              *misconceptions[1:]]
    while len(wanted) < students:
        choice = {}
        for s in slot_list:
            options = ["correct"] * 3 + ["blank"] + [f"mistake:{m}" for m in s.mistakes]
            choice[s.cell] = rng.choice(options)
        wanted.append(("partial", choice))
    return wanted[:students]


def _cell_source(variant: str, slot: Slot, source_cell: str, release_cell: str) -> str:
    from graders.cells import solution_code

    if variant == "correct":
        return solution_code(source_cell)
    if variant == "blank":
        return release_cell
    if variant.startswith("mistake:"):
        name = variant.split(":", 1)[1]
        return ("from shoplab.instructor.misconception import mistaken\n"
                f"{slot.name} = mistaken({slot.exercise_id!r}, {name!r})")
    kind = variant.split(":", 1)[1]
    if kind == "hog":  # the hog never gets to the answer, in any grader
        return BROKEN[kind] + release_cell
    return BROKEN.get(kind, "").format(name=slot.name) + solution_code(source_cell)


def simulate(course: Course, chapter: str, students: int, seed: int, out: Path) -> list[str]:
    """Write `students` submissions to `out/submitted/`; return the student ids."""
    course.check_chapter(chapter)
    name = NOTEBOOK.format(chapter=chapter)
    source = nbformat.read(course.root / "source" / chapter / name, as_version=4)
    release = nbformat.read(course.root / "release" / chapter / name, as_version=4)
    slot_list = slots(source)
    if not slot_list:
        raise ValueError(f"{name} has no exercise answer cell (grade id exNN_M_answer)")
    ids = []
    for number, (kind, choice) in enumerate(
            profiles(slot_list, students, random.Random(seed)), start=1):
        student = f"s{number:03d}-{kind}"
        folder = out / "submitted" / student / chapter
        folder.mkdir(parents=True, exist_ok=True)
        ids.append(student)
        if kind == MISSING:
            (folder / "my answers.txt").write_text("I could not open the notebook.\n")
            continue
        notebook = nbformat.from_dict(release)
        for slot in slot_list:
            variant = choice[slot.cell]
            notebook.cells[slot.cell].source = _cell_source(
                variant, slot, source.cells[slot.cell].source, release.cells[slot.cell].source)
        text = nbformat.writes(notebook)
        if kind == DAMAGED:
            text = text[: len(text) // 2]
        (folder / name).write_text(text)
    return ids
