"""How an exercise is declared: once, in a chapter module, and nowhere else.

A chapter module (`graders/chapters/ch04.py`) holds a tuple `EXERCISES` of `Exercise` specs.
One spec drives the learner's instant check, nbgrader's visible and hidden grade cells (rendered by
`graders.cells`) and the staged hints. The reference answer is always *computed* — from the
shop's tables (`Data`) or, for function answers, by a reference function — never typed in.

Two shapes of exercise:

* a **value** (number, label, Series, table): `reference(data)` computes it; each
  `Mistake.answer(data)` computes a known wrong answer from the same tables;
* a **function** (`answer=Function(...)`): the learner writes a function; `reference` is
  the correct one, each `Mistake.answer` a wrong one with the same signature, and `cases`
  / `hidden` are the inputs it is called with (hidden ones only run when grading).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from graders.answers import Answer, Function
from graders.chapter import Chapter


@dataclass(frozen=True)
class Mistake:
    """A named misconception: a wrong answer computed from the same inputs, and what to say.

    `part` names the table column it concerns when the exercise has parts.
    """

    name: str
    answer: Callable[..., Any]
    message: str
    part: str | None = None


@dataclass(frozen=True)
class Case:
    """Inputs a function answer is called with. `inputs` may be a callable of `Data`
    (to use the shop's own tables); `label` says in plain words what the case is."""

    label: str
    inputs: Mapping[str, Any] | Callable[[Any], Mapping[str, Any]]

    def resolve(self, data) -> dict[str, Any]:
        return dict(self.inputs(data) if callable(self.inputs) else self.inputs)


def _withheld(data):
    raise LookupError("This is the learner's copy of the course: its held-back cases are "
                      "not here. Grade in the instructor's full copy (docs/grading.md).")


# What a held-back case becomes in the learner's copy (`shoplab learner-copy`): the check can
# still say how many cases grading adds, but their inputs and labels stay with the instructor,
# and grading there fails loudly instead of scoring on cases it does not have.
WITHHELD = Case("a held-back case", _withheld)


# What an exercise asks of the learner. The course promises at least half of each chapter's
# points on decisions and diagnoses on the shop's data, not on typing a formula printed above.
DECISION, DIAGNOSIS, COMPUTATION = "decision", "diagnosis", "computation"
KINDS = (DECISION, DIAGNOSIS, COMPUTATION)


@dataclass(frozen=True)
class Exercise:
    """One exercise. `kind` is one of KINDS: a *decision* (which SKU, how much, ship or not),
    a *diagnosis* (what went wrong, where the leak is) or a *computation* (a metric).
    `name` is the variable (or function) the learner's answer cell defines. The worked
    solution is not here: it is the source notebook's solution region (`graders.cells`)."""

    id: str
    title: str
    kind: str
    name: str
    answer: Answer
    reference: Callable[..., Any]
    points: float | Mapping[str, float]
    hints: tuple[str, ...]
    mistakes: tuple[Mistake, ...] = ()
    cases: tuple[Case, ...] = ()
    hidden: tuple[Case, ...] = ()
    _problems: tuple[str, ...] = field(default=(), repr=False)

    def __post_init__(self):
        problems = []
        if self.kind not in KINDS:
            problems.append(f"kind {self.kind!r} is not one of {', '.join(KINDS)}")
        if not self.name.isidentifier():
            problems.append(f"name {self.name!r} is not a Python name")
        if not self.hints:
            problems.append("needs at least one hint")
        if isinstance(self.answer, Function) and not self.cases:
            problems.append("a function answer needs public cases")
        if isinstance(self.points, Mapping):
            unknown = set(self.points) - set(self.answer.parts())
            if unknown:
                problems.append(f"points for unknown parts {sorted(unknown)}")
        for m in self.mistakes:
            if m.part is not None and m.part not in self.answer.parts():
                problems.append(f"mistake {m.name!r} names unknown part {m.part!r}")
        if problems:
            raise ValueError(f"exercise {self.id}: " + "; ".join(problems))

    @property
    def chapter(self) -> str:
        """"04" for exercise "04.2"."""
        return Chapter.parse(self.id).code

    @property
    def max_points(self) -> float:
        if isinstance(self.points, Mapping):
            return float(sum(self.points.values()))
        return float(self.points)

    def part_points(self) -> dict[str | None, float]:
        """Points per independently graded part (`None` = the whole answer)."""
        if isinstance(self.points, Mapping):
            return {part: float(p) for part, p in self.points.items()}
        return {None: float(self.points)}


@dataclass(frozen=True)
class Written:
    """A written answer the instructor grades by hand: an nbgrader manually graded markdown
    cell (`solution` and `grade` both true), listed in a chapter module's `WRITTEN`.

    No check can read prose, so nothing here pretends to: the learner's `check` and
    `progress` say the cell is graded by the instructor, and nbgrader's autograde leaves it
    for formgrader. `rubric` holds (criterion, points, what earns them); the cell's points
    are their sum, and the source notebook's rubric and the cell's heading and metadata are
    rendered from it (`graders.cells`), so the points are typed once.
    """

    id: str  # "13.case": the chapter, then a name (exercise ids are numbered, this is not)
    title: str
    rubric: tuple[tuple[str, float, str], ...]

    def __post_init__(self):
        chapter, _, name = self.id.partition(".")
        if not (chapter.isdigit() and name.isidentifier() and not name.isdigit()):
            raise ValueError(f"written answer {self.id!r}: write the chapter and a name, "
                             "e.g. '13.case'")
        if not self.rubric or any(points <= 0 for _, points, _ in self.rubric):
            raise ValueError(f"written answer {self.id}: its rubric needs criteria worth points")

    @property
    def chapter(self) -> str:
        return Chapter.parse(self.id.partition(".")[0]).code

    @property
    def max_points(self) -> float:
        return float(sum(points for _, points, _ in self.rubric))
