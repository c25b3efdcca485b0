"""Answer kinds: what the learner must produce, and how it is compared with the reference.

Comparison is business-aware: yuan amounts are right to the fen, fractions tolerate rounding
to four decimals, a percentage given where a fraction was asked (25 for 0.25) is named, and
Series/DataFrames are compared on values — not on column order, row order or index dtype.
Type and shape are checked before values, with messages a merchant understands. No message
ever states the expected value.
"""

from __future__ import annotations

import copy
import datetime
import inspect
import math
import numbers
import re
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
# What a Series of each unit holds, in the plural ("a pandas Series of amounts in ¥").
UNIT_PLURALS = {
    "yuan": "amounts in ¥",
    "fraction": "fractions",
    "percent": "percentages",
    "count": "whole numbers",
    "ratio": "ratios",
    "number": "numbers",
    "days": "numbers of days",
    "units": "numbers of units",
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
    part_word = "column"  # what the instructions call a part ("2 per column")

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

    @property
    def decimals(self) -> int:
        """The decimals a number is checked to (2 for yuan: the fen)."""
        return max(0, round(-math.log10(2 * self.tolerance)))

    def rounded_early(self, given: float, expected: float) -> bool:
        """Whether `given` is the reference rounded to fewer decimals than it is checked to."""
        return any(math.isclose(given, round(expected, places), rel_tol=1e-9, abs_tol=1e-12)
                   for places in range(min(self.decimals, 12)))

    def explain_miss(self, given: float, expected: float) -> str:
        """A true, specific reason `given` is not `expected`, never stating `expected`."""
        if math.isinf(expected) or math.isinf(given):
            return ("Not what this case should give: think about what the answer is when the "
                    "amount you divide by is zero.")
        if expected != 0 and self.unit == "fraction" and self.close(given / 100, expected):
            return ("This looks like a percentage; this exercise wants a fraction "
                    "(0.25 rather than 25 for 25 %).")
        if expected != 0 and self.unit == "percent" and self.close(given * 100, expected):
            return ("This looks like a fraction; this exercise wants a percentage "
                    "(25 rather than 0.25 for 25 %).")
        if expected != 0 and self.close(given, -expected):
            return "Right size, wrong sign: check which amount you subtract from which."
        if self.rounded_early(given, expected):
            return ("Very close: it looks rounded too early. Don't round until the final step "
                    f"(this answer is {precision_words(self.unit, self.tol)}).")
        factor = constant_factor(given, expected)
        if factor:
            return f"{factor}."
        return TOO_HIGH if given > expected else TOO_LOW


_REREAD = "Re-read what is asked (which rows, which amount, divided by what), or ask for a hint."
TOO_HIGH = f"Too high for the shop's data. {_REREAD}"
TOO_LOW = f"Too low for the shop's data. {_REREAD}"


# Factors a learner's answer is commonly off by, and what each usually means.
FACTORS = (
    (100, "a percentage where a fraction is asked, or the reverse"),
    (1000, "thousands and units mixed up"),
    (7, "a weekly figure where a daily one is asked (7 days), or the reverse"),
    (30, "a monthly figure where a daily one is asked, or the reverse"),
    (12, "a yearly figure where a monthly one is asked, or the reverse"),
    (2, "something counted twice, or half of what is asked"),
    (10, "a decimal point in the wrong place"),
)


def constant_factor(given: float, expected: float) -> str | None:
    """"It is 7 times too large: …" when `given` is `expected` times (or over) a common
    factor, to 6 significant digits; else None."""
    if expected == 0 or given == 0:
        return None
    for factor, meaning in FACTORS:
        for ratio, words in ((factor, "times too large"), (1 / factor, "times too small")):
            if math.isclose(given, expected * ratio, rel_tol=1e-6):
                return f"It is {factor:g} {words}: {meaning}"
    return None


def precision_words(unit: str, tol: float | None = None) -> str:
    """How closely a number is checked, in words: "checked to the fen", "checked to 4
    decimals", "checked exactly" (rendered in the instructions and quoted in messages)."""
    number = Number(unit, tol)
    if unit == "yuan" and tol is None:
        return "checked to the fen"
    if number.tolerance < 1e-8:
        return "checked exactly"
    return f"checked to {number.decimals} decimals"


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?")


def _label(value):
    """A label in canonical form, so equal labels compare equal however they are written:
    199, 199.0, np.int64(199) and "199" are one label; "2025-03-01", a Timestamp, a date and
    a numpy datetime64 are one label; text ignores capitals and repeated spaces."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, numbers.Number):
        return ("number", float(value))
    if isinstance(value, datetime.date | np.datetime64):
        return ("time", pd.Timestamp(value))
    text = " ".join(str(value).split())
    if _ISO_DATE.fullmatch(text):
        return ("time", pd.Timestamp(text))
    try:
        return ("number", float(text))
    except ValueError:
        return ("text", text.casefold())


CONTAINERS = (list, tuple, set, frozenset, pd.Series, pd.Index, np.ndarray)
# The container rules, typed once: the instructions (`graders.cells`) quote them.
ONE_LABEL_RULE = "a one-element list is accepted too"
LABEL_SET_RULE = "a list, tuple, set or Series, in any order; a single name goes in a list too"


def _is_scalar_label(value) -> bool:
    return isinstance(value, str | numbers.Number | datetime.date | np.generic) and not isinstance(
        value, bool | np.bool_)


@dataclass(frozen=True)
class Label(Answer):
    """One label naming something (a category, a SKU, a date, a decision); compared as a value
    (`_label`): capitals, int vs float and text vs Timestamp do not matter."""

    choices: tuple[str, ...] = ()
    description = "a name (text)"

    def prepare(self, value):
        if isinstance(value, CONTAINERS):
            if len(value) != 1:
                raise Problem(f"This is {_kind_of(value)} with {len(value)} items; the exercise "
                              "asks for exactly one name.")
            value = list(value)[0]
        if not _is_scalar_label(value):
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
    """A set of labels (e.g. the campaigns that lose money); order and container do not matter."""

    description = "a list of names"

    def prepare(self, value):
        if isinstance(value, Mapping):
            value = list(value)
        if not isinstance(value, CONTAINERS):
            single = " Put it in a list, even when there is only one." if _is_scalar_label(
                value) else ""
            raise Problem(f"This is {_kind_of(value)}; the exercise asks for a list of "
                          f"names.{single}")
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


def _keys(index: pd.Index) -> list:
    """Index labels in canonical form (`_label`), so index dtype never matters."""
    return [_label(k) for k in index]


def _shown(key) -> str:
    """A canonical label as the learner would write it, for messages."""
    kind, value = key
    if kind == "time":
        return repr(str(value.date()) if value == value.normalize() else str(value))
    if kind == "number":
        return f"{value:g}"
    return repr(value)


@dataclass(frozen=True)
class Series(Answer):
    """Numbers labelled by a key (e.g. margin by SKU). `ordered` demands the expected order."""

    unit: str = "number"
    ordered: bool = False
    tol: float | None = None

    @property
    def description(self):
        return f"a pandas Series of {UNIT_PLURALS[self.unit]}"

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
            return Verdict(False, _label_diagnosis(ekeys, missing, extra))
        number = Number(self.unit, self.tol)
        got = pd.to_numeric(pd.Series(list(given), index=gkeys, dtype=object).reindex(ekeys),
                            errors="coerce").astype(float)
        want = pd.Series(expected.to_numpy(dtype=float), index=ekeys)
        right = pd.Series([number.close(g, w) if not math.isnan(g) else False
                           for g, w in zip(got, want, strict=True)], index=ekeys)
        if not right.all():
            return Verdict(False, _values_diagnosis(number, got, want, right))
        if self.ordered and gkeys != ekeys:
            return Verdict(False, "Right values, but not in the order asked for: sort them.")
        return PASS


def _label_diagnosis(ekeys: list, missing: list, extra: list) -> str:
    """Which labels are missing or extra, and whether it is the edge of a date window."""
    bits = []
    ordered = sorted(ekeys) if len({kind for kind, _ in ekeys}) == 1 else ekeys
    if missing:
        where = ""
        if ordered[0][0] == "time" and len(missing) < len(ekeys):
            if set(missing) == set(ordered[:len(missing)]):
                where = ": the first day(s) of the window, check where it starts (>= or >)"
            elif set(missing) == set(ordered[-len(missing):]):
                where = ": the last day(s) of the window, check where it ends (<= or <)"
        bits.append(f"{len(missing)} expected labels are missing (e.g. {_shown(missing[0])})"
                    + where)
    if extra:
        bits.append(f"{len(extra)} labels should not be there (e.g. {_shown(extra[0])})")
    return "The labels (index) are not right: " + "; ".join(bits) + "."


def _values_diagnosis(number: Number, got: pd.Series, want: pd.Series, right: pd.Series) -> str:
    """Which values differ, how many, and a pattern they share (a factor, a shift, a sign,
    a direction) — true for every differing value, and never the expected values."""
    wrong = right.index[~right.to_numpy()].tolist()
    names = ", ".join(_shown(k) for k in wrong[:3]) + (", …" if len(wrong) > 3 else "")
    head = f"{len(wrong)} of {len(want)} values differ ({names})."
    if got[wrong].isna().any():
        return f"{head} Some of them are not numbers (NaN): a division by zero or a missing match?"
    g, w = got[wrong].to_numpy(), want[wrong].to_numpy()
    if len(want) > 2 and len(wrong) == len(want):
        shifted = [np.allclose(got.to_numpy()[1:], want.to_numpy()[:-1], atol=number.tolerance),
                   np.allclose(got.to_numpy()[:-1], want.to_numpy()[1:], atol=number.tolerance)]
        if any(shifted):
            return (f"{head} Each label carries its neighbour's value: the values are shifted "
                    "by one row (an off-by-one window or a shift).")
    reasons = {number.explain_miss(float(a), float(b)) for a, b in zip(g, w, strict=True)}
    if len(reasons) == 1 and not reasons & {TOO_HIGH, TOO_LOW} or len(wrong) == 1:
        return f"{head} {reasons.pop()}"
    if (w != 0).all() and np.allclose(g / w, (g / w)[0], rtol=1e-6):
        side = "too high" if (g / w)[0] > 1 else "too low"
        return (f"{head} Every one is {side} by the same factor: a rate or share (a discount, a "
                "fee, a conversion) applied where it should not be, or missing.")
    if np.allclose(g - w, (g - w)[0], rtol=1e-6, atol=number.tolerance):
        return (f"{head} Every one is off by the same amount: a constant added or "
                "subtracted where it should not be, or missing.")
    if (g > w).all() or (g < w).all():
        side = "too high" if (g > w).all() else "too low"
        return f"{head} All of them are {side}: check which rows and amounts you count."
    return f"{head} Some are too high and some too low: check the formula and which rows count."


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
            return value.set_index(self.index)
        if isinstance(value.index, pd.RangeIndex) and value.index.name is None:
            raise Problem(f"Key the table by {self.index!r}: as its index (any name) or as a "
                          f"column named {self.index!r}.")
        return value

    def split(self, value):
        """The columns the table has (a missing one is judged missing in `verdicts`)."""
        return {col: value[col] for col in self.columns if col in value.columns}

    def part_answer(self, part):
        column = self.columns[part]
        if isinstance(column, Number):
            return Series(column.unit, tol=column.tol)
        return column

    def verdicts(self, given, expected) -> dict[str, Verdict]:
        """One verdict per column, its message naming the column: a missing or wrong column
        costs its own points only."""
        given_parts, expected_parts = self.split(given), self.split(expected)
        verdicts = {}
        for part in self.columns:
            if part not in given_parts:
                verdicts[part] = Verdict(False, f"Column {part!r} is missing from your table.")
                continue
            verdict = self.part_answer(part).compare(given_parts[part], expected_parts[part])
            verdicts[part] = verdict if verdict.ok else Verdict(
                False, f"Column {part!r}: {verdict.message}")
        return verdicts

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


def parameters(reference: Callable) -> tuple[str, ...]:
    """The parameters the instructions state, in order: the reference function's, without
    those that have a default (an option the exercise does not ask for)."""
    return tuple(name for name, p in inspect.signature(reference).parameters.items()
                 if p.default is inspect.Parameter.empty)


def positional(inputs: Mapping, order: tuple[str, ...]) -> list:
    """A case's inputs as positional arguments in the stated order (so a learner's own
    parameter names never matter)."""
    return [inputs[name] for name in order]


def check_signature(function: Callable, order: tuple[str, ...], name: str) -> None:
    """Raise Problem when `function` cannot be called with the stated parameters."""
    try:
        inspect.signature(function).bind(*order)
    except TypeError:
        raise Problem(f"Define the function with {len(order)} parameter(s), in this order: "
                      f"{name}({', '.join(order)}).") from None
    except ValueError:  # a builtin without a signature: let the call decide
        return


def call_safely(function: Callable, inputs: Mapping, order: tuple[str, ...]):
    """Call learner code by position on private copies of the inputs, so it cannot alter
    the references."""
    return function(*copy.deepcopy(positional(inputs, order)))
