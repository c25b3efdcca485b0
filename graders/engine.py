"""Evaluate a learner's answer against an exercise spec and say what went wrong.

The same `evaluate` serves the learner's instant check (public cases only) and nbgrader's
hidden grade cells (public + held-back cases). Each graded part earns its points or not;
a failed part is matched against the spec's named mistakes, in order, so the learner reads
"that is markup, not margin" instead of "wrong".
"""

from __future__ import annotations

import contextlib
import html
import io
import warnings
from dataclasses import dataclass, field

from graders import references
from graders.answers import (
    Function,
    Problem,
    Verdict,
    call_safely,
    check_signature,
    is_blank,
    parameters,
)
from graders.data import Data
from graders.spec import Case, Exercise

PASSED, PARTIAL, NOT_YET, BLANK = "passed", "partial", "not yet", "not attempted"
NOT_RUN = "did not run"


class _NotRun:
    """What a grade cell passes when the answer's name is unbound: its answer cell failed
    (SyntaxError, NameError, …) or was never run."""

    def __repr__(self):
        return "<the answer cell did not run>"


ANSWER_CELL_DID_NOT_RUN = _NotRun()


def lookup(name: str, namespace: dict):
    """The learner's answer by the name the spec declares, or ANSWER_CELL_DID_NOT_RUN."""
    return namespace.get(name, ANSWER_CELL_DID_NOT_RUN)

# The MIME type of a graded result published as data (`publish`). Front ends and nbconvert's
# HTML (nbgrader's feedback) draw no output of an unknown type, so the learner never sees it;
# the class report reads it instead of the message text.
RESULT_MIME = "application/vnd.shoplab.result+json"


@dataclass
class Result:
    """What a check found.

    Attributes:
        exercise: the spec checked.
        status: PASSED, PARTIAL, NOT_YET or BLANK.
        score: points earned (a part earns all its points or none).
        messages: one message per failed part, in the learner's words.
        mistakes: the names of the spec's mistakes the answer matched, one per failed part
            that a mistake explains (two mistakes may share a message; their names differ).
        hidden_run: whether held-back cases ran (grading) or only public ones (a check).
    """

    exercise: Exercise
    status: str
    score: float
    messages: list[str] = field(default_factory=list)
    mistakes: list[str] = field(default_factory=list)
    hidden_run: bool = False

    def as_data(self) -> dict:
        """The result as plain JSON data (published under RESULT_MIME). Fields: `exercise`
        (id), `status`, `score`, `max_points`, `mistakes` (names), `hidden_run`."""
        return {"exercise": self.exercise.id, "status": self.status, "score": self.score,
                "max_points": self.max_points, "mistakes": list(self.mistakes),
                "hidden_run": self.hidden_run}

    @property
    def max_points(self) -> float:
        return self.exercise.max_points

    def headline(self) -> str:
        ex = self.exercise
        if self.status == PASSED:
            tail = "" if self.hidden_run or not ex.hidden else (
                f" When graded, it is also tried on {len(ex.hidden)} held-back case(s)."
            )
            return (f"✓ {ex.id} {ex.title}: correct ({self.score:g} of {self.max_points:g} "
                    f"points).{tail}")
        if self.status == NOT_RUN:
            return (f"✗ {ex.id} {ex.title}: your answer cell did not run (it stopped on an "
                    f"error, or was not run), so `{ex.name}` is not defined. Run it, fix the "
                    "error it shows, then check again.")
        if self.status == BLANK:
            return (f"… {ex.id} {ex.title}: not attempted yet — replace the `...` "
                    "(or write the function's body) with your answer.")
        return f"✗ {ex.id} {ex.title}: not yet ({self.score:g} of {self.max_points:g} points)."

    def short(self) -> str:
        """One line that fits nbgrader Validate's 80-column excerpt: "04.1: not attempted yet"."""
        what = {NOT_RUN: "the answer cell did not run", BLANK: "not attempted yet"}.get(
            self.status, f"{self.status} ({self.score:g} of {self.max_points:g} points)")
        return f"{self.exercise.id}: {what}"

    def text(self) -> str:
        lines = [self.headline(), *(f"  - {m}" for m in self.messages)]
        if self.status in (NOT_YET, PARTIAL):
            lines.append(f'  Stuck? hint("{self.exercise.id}") shows a hint.')
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        colour = {PASSED: "#1a7f37", BLANK: "#6e7781"}.get(self.status, "#bc4c00")
        items = "".join(f"<li>{html.escape(m)}</li>" for m in self.messages)
        hint = (
            f'<div style="color:#57606a">Stuck? <code>hint("{self.exercise.id}")</code> '
            "shows a hint.</div>"
            if self.status in (NOT_YET, PARTIAL) else ""
        )
        return (
            f'<div class="shoplab-check" data-status="{self.status}" '
            f'style="border-left:4px solid {colour};padding:4px 10px">'
            f'<b style="color:{colour}">{html.escape(self.headline())}</b>'
            f"<ul>{items}</ul>{hint}</div>"
        )

    def __repr__(self) -> str:
        return self.text()


def publish(result: Result) -> None:
    """Attach `result` to the running cell's outputs as data, when in a kernel (under
    nbgrader); elsewhere there is no output to attach it to."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with the course
        return
    if get_ipython() is not None:
        display({RESULT_MIME: result.as_data()}, raw=True)


def evaluate(exercise: Exercise, answer, *, hidden: bool = False, data: Data | None = None):
    """Check `answer` for `exercise`; with `hidden`, also run the held-back cases.

    The answer is prepared (type and shape checked, put in canonical form) once; the answer
    kind judges its parts, and the parts' points are summed here.

    Learner code runs with warnings silenced and stderr captured: nbgrader scores any cell
    that writes to stderr as zero, and a pandas warning is not a wrong answer.
    """
    data = data or Data()
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        if answer is ANSWER_CELL_DID_NOT_RUN:
            return Result(exercise, NOT_RUN, 0.0, hidden_run=hidden)
        if is_blank(answer):
            return Result(exercise, BLANK, 0.0, hidden_run=hidden)
        try:
            answer = exercise.answer.prepare(answer)
        except Problem as problem:
            return Result(exercise, NOT_YET, 0.0, [str(problem)], hidden_run=hidden)
        if isinstance(exercise.answer, Function):
            try:
                verdicts = {None: _check_function(exercise, answer, data, hidden)}
            except _Unanswered:
                return Result(exercise, BLANK, 0.0, hidden_run=hidden)
        else:
            verdicts = _check_value(exercise, answer, data)
    score = sum(
        points for part, points in exercise.part_points().items() if verdicts[part][0].ok
    )
    messages = [v.message for v, _ in verdicts.values() if not v.ok]
    mistakes = [name for v, name in verdicts.values() if name]
    if score == exercise.max_points:
        status = PASSED
    elif score > 0:
        status = PARTIAL
    else:
        status = NOT_YET
    return Result(exercise, status, float(score), messages, mistakes, hidden_run=hidden)


class _Unanswered(Exception):
    """The learner's function returns None: the release stub, not an attempt."""


def _check_value(exercise: Exercise, given, data: Data):
    """Verdict and matched mistake name for each graded part of a prepared value answer.

    The answer kind judges the parts (`Answer.verdicts`); here each failed part is matched
    against the spec's mistakes for that part, in order, and takes the first match's message."""
    spec = exercise.answer
    stored = references.answers(exercise)
    judged = spec.verdicts(given, spec.prepare(stored.reference(data)))
    given_parts = spec.split(given)
    verdicts = {}
    for part in exercise.part_points():
        verdict, name = judged[part], None
        if not verdict.ok and part in given_parts:
            for mistake in exercise.mistakes:
                if mistake.part != part:
                    continue
                wrong = stored.mistake(mistake, data)
                if _is_mistake(spec, part, given_parts[part], wrong):
                    message = mistake.message if part is None else (
                        f"{spec.part_word.capitalize()} {part!r}: {mistake.message}")
                    verdict, name = Verdict(False, message), mistake.name
                    break
        verdicts[part] = (verdict, name)
    return verdicts


def _is_mistake(spec, part, given, wrong) -> bool:
    """Whether the prepared `given` part equals a mistake's answer for that part, prepared
    the same way (a mistake whose answer has the wrong shape cannot match)."""
    part_spec = spec.part_answer(part)
    try:
        wrong = spec.prepare(wrong) if part is None else part_spec.prepare(wrong)
    except Problem:
        return False
    return _matches(part_spec, given, wrong)


def _matches(spec, given, wrong) -> bool:
    try:
        return spec.compare(given, wrong).ok
    except Problem:
        return False


def _check_function(exercise: Exercise, function, data: Data, hidden: bool):
    """Run the learner's function on every case; all must pass (public, then held-back)."""
    cases = exercise.cases + (exercise.hidden if hidden else ())
    order = parameters(exercise.reference)
    try:
        check_signature(function, order, exercise.name)
    except Problem as problem:
        return Verdict(False, str(problem)), None
    outputs = []
    for case in cases:
        inputs = case.resolve(data)
        try:
            got = call_safely(function, inputs, order)
        except Exception as error:  # noqa: BLE001 - learner code may raise anything
            got = _Raised(error)
        if got is None and not outputs:
            raise _Unanswered
        outputs.append((case, inputs, got))
    failures = [(output, verdict) for output in outputs
                if (verdict := _compare_case(exercise, *output))]
    if not failures:
        return Verdict(True), None
    # A mistake explains the answer if it reproduces every wrong output, raising where it
    # raised (cases the learner got right, such as an edge case handled separately, do not
    # count against it).
    for mistake in exercise.mistakes:
        if all(_same_as_mistake(exercise, mistake.answer, inputs, got)
               for (_, inputs, got), _ in failures):
            return Verdict(False, mistake.message), mistake.name
    return failures[0][1], None


@dataclass(frozen=True)
class _Raised:
    """What a case's call raised instead of returning."""

    error: Exception


def _compare_case(exercise: Exercise, case: Case, inputs, got) -> Verdict | None:
    """The failing verdict for one case, or None when the output is right.

    A held-back case says so: the learner's `check` never ran it, so without the note a ✓ in
    the notebook and a failure in the grade would look like a contradiction."""
    where = case.label
    if any(case is held_back for held_back in exercise.hidden):
        where += " (a held-back case: grading adds it, `check` does not run it)"
    if isinstance(got, _Raised):
        return Verdict(False, f"On {where}, your function raised "
                       + sentence(f"{type(got.error).__name__}: {got.error}"))
    try:
        verdict = exercise.answer.compare(got, exercise.reference(**inputs))
    except Problem as problem:
        verdict = Verdict(False, str(problem))
    return None if verdict.ok else Verdict(False, f"On {where}: {verdict.message}")


def sentence(text: str) -> str:
    """`text` ending in exactly one full stop (learner messages never double punctuation)."""
    text = text.rstrip()
    return text if text.endswith((".", "!", "?", ")", "…")) else text + "."


def _same_as_mistake(exercise, wrong_function, inputs, got) -> bool:
    try:
        wrong = wrong_function(**inputs)
    except Exception as error:  # noqa: BLE001 - the mistake is undefined for this input
        return isinstance(got, _Raised) and type(got.error) is type(error)
    return not isinstance(got, _Raised) and _matches(exercise.answer, got, wrong)
