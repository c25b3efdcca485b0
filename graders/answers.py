"""Answer kinds: what the learner must produce, and how it is compared with the reference.

Comparison is business-aware: yuan amounts are right to the fen, fractions tolerate rounding
to four decimals, a percentage given where a fraction was asked (25 for 0.25) is named, and
Series/DataFrames are compared on values — not on column order, row order or index dtype.
Type and shape are checked before values, with messages a merchant understands. No message
ever states the expected value.
"""

from __future__ import annotations

import copy
import math
import numbers
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

BLANK_MARKERS = (None, Ellipsis)


class Problem(Exception):
    """The answer has the wrong type or shape: say so before looking at values."""


@dataclass(frozen=True)
class Verdict:
    ok: bool
    message: str = ""


PASS = Verdict(True)

# Absolute tolerance per unit: how far a correct-but-rounded answer may be from the reference.
TOLERANCE = {
    "yuan": 0.005,  # to the fen
    "fraction": 5e-5,  # rounded to 4 decimals (0.01 %)
    "percent": 5e-3,  # rounded to 2 decimals
    "count": 1e-9,
    "ratio": 5e-3,  # ROAS 3.52 and similar, to 2 decimals
    "number": 1e-6,
    "days": 5e-3,
    "units": 5e-3,
}
UNIT_WORDS = {
    "yuan": "an amount in ¥",
    "fraction": "a fraction (0.25 means 25 %)",
    "percent": "a percentage (25 means 25 %)",
    "count": "a whole number",
    "ratio": "a ratio",
    "number": "a number",
    "days": "a number of days",
    "units": "a number of units",
}


def is_blank(value) -> bool:
    """The placeholder the release notebook starts with, or nothing at all."""
    return any(value is marker for marker in BLANK_MARKERS)


def _kind_of(value) -> str:
    if isinstance(value, pd.DataFrame):
        return f"a table (DataFrame) with {value.shape[1]} columns"
    if isinstance(value, pd.Series):
        return f"a Series with {len(value)} values"
    if isinstance(value, str):
        return f"text ({value[:30]!r})"
    if isinstance(value, bool | np.bool_):
        return f"True/False ({value})"
    if callable(value):
        return "a function"
    return f"a value of type {type(value).__name__}"


def as_number(value) -> float:
    """Accept Python, numpy and pandas numbers (and one-value Series/arrays) as a float."""
    if isinstance(value, pd.DataFrame) and value.size == 1:
        value = value.iloc[0, 0]
    if isinstance(value, pd.Series | np.ndarray | pd.Index) and np.size(value) == 1:
        value = np.asarray(value).reshape(-1)[0]
    if isinstance(value, bool | np.bool_) or not isinstance(value, numbers.Number):
        hint = " Give a number, without ¥ or %." if isinstance(value, str) else ""
        raise Problem(f"This is {_kind_of(value)}; the exercise asks for a number.{hint}")
    number = float(value)
    if math.isnan(number):
        raise Problem(
            "Your answer is NaN (not a number): usually a division by zero or an empty "
            "selection upstream."
        )
    return number


class Answer:
    """Base class: one part (the whole answer) unless a subclass says otherwise.

    The engine calls `prepare` once on the learner's value (it raises `Problem` on a wrong
    type or shape and returns the value in a canonical form), then `verdicts` on prepared
    values. `compare` and `verdicts` take prepared values and never prepare again.
    """

    description = "an answer"

    def prepare(self, value):
        return value

    def parts(self) -> tuple[str, ...]:
        return ()

    def split(self, value) -> dict:
        """A prepared value's parts, {part name: value}; {None: value} when it has none."""
        return {None: value}

    def part_answer(self, part) -> Answer:
        """The answer kind one part is compared with."""
        return self

    def verdicts(self, given, expected) -> dict[str | None, Verdict]:
        """One verdict per graded part of prepared values (`None` = the whole answer)."""
        given_parts, expected_parts = self.split(given), self.split(expected)
        return {part: self.part_answer(part).compare(given_parts[part], expected_parts[part])
                for part in given_parts}

    def compare(self, given, expected) -> Verdict:
        raise NotImplementedError


@dataclass(frozen=True)
class Number(Answer):
    unit: str = "number"
    tol: float | None = None

    def __post_init__(self):
        if self.unit not in TOLERANCE:
            raise ValueError(f"unknown unit {self.unit!r}; one of {sorted(TOLERANCE)}")

    @property
    def description(self):
        return UNIT_WORDS[self.unit]

    @property
    def tolerance(self) -> float:
        return TOLERANCE[self.unit] if self.tol is None else self.tol

    def prepare(self, value):
        return as_number(value)

    def close(self, given: float, expected: float) -> bool:
        if math.isinf(expected) or math.isinf(given):
            return given == expected
        return math.isclose(given, expected, rel_tol=1e-9, abs_tol=self.tolerance)

    def compare(self, given, expected) -> Verdict:
        given, expected = float(given), float(expected)
        if self.close(given, expected):
            return PASS
        return Verdict(False, self.explain_miss(given, expected))

    def explain_miss(self, given: float, expected: float) -> str:
        if math.isinf(expected) or math.isinf(given):
            return ("Not what this case should give: think about what the answer is when the "
                    "amount you divide by is zero.")
        if expected != 0 and self.unit == "fraction" and self.close(given / 100, expected):
            return (
                f"{given:g} looks like a percentage; this exercise wants a fraction "
                f"({given / 100:g} rather than {given:g})."
            )
        if expected != 0 and self.unit == "percent" and self.close(given * 100, expected):
            return (
                f"{given:g} looks like a fraction; this exercise wants a percentage "
                f"({given * 100:g} rather than {given:g})."
            )
        if expected != 0 and given == -expected:
            return "Right size, wrong sign: check which amount you subtract from which."
        if expected != 0 and abs(given - expected) <= 0.01 * abs(expected):
            return (
                "Very close but not within the tolerance: don't round until the final step"
                + (" (amounts are checked to the fen)." if self.unit == "yuan" else ".")
            )
        return "That is not what the shop's data gives. Re-read what is asked, or ask for a hint."


def _label(value) -> str:
    return " ".join(str(value).split()).casefold()


@dataclass(frozen=True)
class Label(Answer):
    """A piece of text naming something (a category, a SKU, a decision); case-insensitive."""

    choices: tuple[str, ...] = ()
    description = "a name (text)"

    def prepare(self, value):
        if isinstance(value, pd.Series | pd.Index | list | tuple | np.ndarray) and len(value) == 1:
            value = list(value)[0]
        if not isinstance(value, str):
            raise Problem(f"This is {_kind_of(value)}; the exercise asks for a name, as text.")
        if self.choices and _label(value) not in {_label(c) for c in self.choices}:
            options = ", ".join(repr(c) for c in self.choices)
            raise Problem(f"{value!r} is not one of the allowed answers: {options}.")
        return value

    def compare(self, given, expected) -> Verdict:
        if _label(given) == _label(expected):
            return PASS
        return Verdict(False, f"{given!r} is not the one the data points to.")


@dataclass(frozen=True)
class LabelSet(Answer):
    """A set of names (e.g. the campaigns that lose money); order does not matter."""

    description = "a list of names"

    def prepare(self, value):
        if isinstance(value, str) or not isinstance(
            value, list | tuple | set | frozenset | pd.Series | pd.Index | np.ndarray
        ):
            raise Problem(f"This is {_kind_of(value)}; the exercise asks for a list of names.")
        return frozenset(_label(v) for v in value)

    def compare(self, given, expected) -> Verdict:
        if given == expected:
            return PASS
        extra, missing = len(given - expected), len(expected - given)
        bits = []
        if extra:
            bits.append(f"{extra} of your {len(given)} do not belong")
        if missing:
            bits.append(f"{missing} that belong are missing")
        return Verdict(False, "Not the right set: " + " and ".join(bits) + ".")


def _keys(index: pd.Index) -> list[str]:
    """Index labels as text, so int-vs-str or categorical index dtypes never matter."""
    return index.astype(str).tolist()


@dataclass(frozen=True)
class Series(Answer):
    """Numbers labelled by a key (e.g. margin by SKU). `ordered` demands the expected order."""

    unit: str = "number"
    ordered: bool = False
    tol: float | None = None

    @property
    def description(self):
        return f"a pandas Series of {UNIT_WORDS[self.unit].split(' (')[0].removeprefix('a ')}s"

    def prepare(self, value):
        if isinstance(value, Mapping):
            value = pd.Series(value)
        if isinstance(value, pd.DataFrame) and value.shape[1] == 1:
            value = value.iloc[:, 0]
        if not isinstance(value, pd.Series):
            raise Problem(
                f"This is {_kind_of(value)}; the exercise asks for a pandas Series "
                "(one number per label)."
            )
        return value

    def compare(self, given, expected) -> Verdict:
        gkeys, ekeys = _keys(given.index), _keys(expected.index)
        if len(set(gkeys)) != len(gkeys):
            return Verdict(False, "Some labels appear more than once: group or aggregate first.")
        gset, eset = set(gkeys), set(ekeys)
        missing = [k for k in ekeys if k not in gset]
        extra = [k for k in gkeys if k not in eset]
        if missing or extra:
            bits = []
            if missing:
                bits.append(f"{len(missing)} expected labels are missing (e.g. {missing[0]!r})")
            if extra:
                bits.append(f"{len(extra)} labels should not be there (e.g. {extra[0]!r})")
            return Verdict(False, "The labels (index) are not right: " + "; ".join(bits) + ".")
        number = Number(self.unit, self.tol)
        got = pd.Series(given.to_numpy(), index=gkeys).reindex(ekeys)
        want = pd.Series(expected.to_numpy(dtype=float), index=ekeys)
        got_numbers = pd.to_numeric(got, errors="coerce").astype(float)
        right = np.isclose(got_numbers, want, rtol=1e-9, atol=number.tolerance)
        wrong = [key for key, ok in zip(ekeys, right, strict=True) if not ok]
        if wrong:
            first = wrong[0]
            if _is_number(got[first]):
                detail = number.explain_miss(as_number(got[first]), float(want[first]))
            else:
                detail = f"The value for {first!r} is not a number."
            return Verdict(
                False, f"{len(wrong)} of {len(ekeys)} values differ (first: {first!r}). {detail}"
            )
        if self.ordered and gkeys != ekeys:
            return Verdict(False, "Right values, but not in the order asked for: sort them.")
        return PASS


def _is_number(value) -> bool:
    try:
        as_number(value)
    except Problem:
        return False
    return True


@dataclass(frozen=True)
class Table(Answer):
    """A DataFrame keyed by `index` (as index or column), one graded part per column."""

    index: str
    columns: Mapping[str, Answer]
    description = "a table (DataFrame)"

    def parts(self):
        return tuple(self.columns)

    def prepare(self, value):
        if not isinstance(value, pd.DataFrame):
            raise Problem(f"This is {_kind_of(value)}; the exercise asks for a table (DataFrame).")
        if self.index in value.columns:
            value = value.set_index(self.index)
        elif value.index.name not in (self.index, None):
            raise Problem(
                f"Key the table by {self.index!r} (as its index or a column); "
                f"its index is {value.index.name!r}."
            )
        missing = [c for c in self.columns if c not in value.columns]
        if missing:
            raise Problem(f"The table is missing the column(s) {', '.join(map(repr, missing))}.")
        return value

    def split(self, value):
        return {col: value[col] for col in self.columns}

    def part_answer(self, part):
        column = self.columns[part]
        if isinstance(column, Number):
            return Series(column.unit, tol=column.tol)
        return column

    def verdicts(self, given, expected) -> dict[str, Verdict]:
        """One verdict per column, its message naming the column."""
        return {part: v if v.ok else Verdict(False, f"Column {part!r}: {v.message}")
                for part, v in super().verdicts(given, expected).items()}

    def compare(self, given, expected) -> Verdict:
        """The first failing column's verdict (a function returning a table is all or nothing)."""
        return next((v for v in self.verdicts(given, expected).values() if not v.ok), PASS)


@dataclass(frozen=True)
class Function(Answer):
    """The learner writes a function; each case's return value is compared with `returns`."""

    returns: Answer
    description = "a function"

    def prepare(self, value):
        if not callable(value):
            raise Problem(f"This is {_kind_of(value)}; the exercise asks you to define a function.")
        return value

    def compare(self, given, expected) -> Verdict:
        return self.returns.compare(self.returns.prepare(given), self.returns.prepare(expected))


def call_safely(function: Callable, inputs: dict):
    """Call learner code on private copies of the inputs, so it cannot alter the references."""
    return function(**copy.deepcopy(inputs))
