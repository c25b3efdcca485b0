"""A Double 11 plan as an answer (chapter 13): graded by running the shop, with bands as parts.

The learner hands in a plan dict (`shoplab.capstone`: stock, ad_budget, promotion, price).
`Plan.prepare` reads it in canonical form, or turns `capstone.PlanError` (and anything else a
plan that cannot be read raises) into a `Problem`: the engine reports the message and scores 0,
so a malformed plan never crashes the grade cell. Its parts are the score's bands
(`capstone.BANDS`), each a boolean on the plan's simulated profit, so the engine's partial
credit per part *is* the band rule: an exercise declares

    Exercise("13.4", ..., answer=Plan(), reference=lambda data: capstone.best_plan(),
             points={"beats_baseline": 2, "quarter_way": 2, "half_way": 2,
                     "three_quarters": 2, "matches_optimiser": 2}, ...)

The reference is the optimiser's plan: its profit is the band's top (the expected value is
never shown; the message gives the learner's own profit, the share of the way reached and the
plan's warnings, never the optimiser's plan). A named `Mistake` for a plan gives the wrong plan
itself (e.g. last year's plan handed in unchanged) and a part (the band it misses): it matches
when the learner's plan is that plan, however written.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from graders.answers import PASS, Answer, Problem, Verdict
from shoplab import capstone


def _same(a, b) -> bool:
    """Two canonical plans are one plan: the same keys and numbers equal to 1e-9."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)
    return a == b


@dataclass(frozen=True)
class SamePlan(Answer):
    """One plan compared with another as a plan (how a named mistake is recognised)."""

    description = "a Double 11 plan"

    def prepare(self, value):
        return Plan().prepare(value)

    def compare(self, given, expected) -> Verdict:
        return PASS if _same(given, expected) else Verdict(False, "Not the same plan.")


@dataclass(frozen=True)
class Plan(Answer):
    """A Double 11 plan, scored by `shoplab.capstone`'s band rule: one part per band."""

    description = "a Double 11 plan (a dict with stock, ad_budget, promotion and price)"
    part_word = "band"

    def parts(self) -> tuple[str, ...]:
        return tuple(name for name, _ in capstone.BANDS)

    def prepare(self, value):
        try:
            return capstone.normalise(value)
        except capstone.PlanError as error:
            raise Problem(f"{error} The plan could not be run, so it earns no points yet.") \
                from None
        except Exception as error:  # noqa: BLE001 - a learner's object may raise anything
            raise Problem(f"This could not be read as a plan ({type(error).__name__}); write "
                          "it as a dict like the example above.") from None

    def split(self, value) -> dict:
        return {part: value for part in self.parts()}

    def part_answer(self, part) -> Answer:
        return SamePlan()

    def verdicts(self, given, expected) -> dict[str, Verdict]:
        """Run the plan; each band passes or not. The first band missed carries the whole
        story (profit, share reached, warnings); the others say only which band they are."""
        profit = float(capstone.simulate(given).profit)
        baseline, _ = capstone._targets()
        best = float(capstone.simulate(expected).profit)
        reached = capstone.bands(profit, baseline, best)
        share = (profit - baseline) / (best - baseline)
        got = [capstone.BAND_WORDS[name] for name, ok in reached.items() if ok]
        where = (f"{share:.0%} of the way from last year's plan to the course optimiser's"
                 if share > 0 else f"¥{baseline - profit:,.0f} short of last year's plan's")
        story = (f"Your plan's expected profit is ¥{profit:,.0f} (contribution after ad spend, "
                 f"less holding leftover stock), {where}: "
                 + (f"it reaches {'; '.join(got)}." if got else "no band yet."))
        warnings = capstone.warnings(given)
        if warnings:
            story += " Warnings: " + " ".join(warnings)
        verdicts, told = {}, False
        for name in self.parts():
            missed = f"Not reached: {capstone.BAND_WORDS[name]}."
            if reached[name]:
                verdicts[name] = PASS
            else:
                verdicts[name] = Verdict(False, missed if told else f"{missed} {story}")
                told = True
        return verdicts

    def compare(self, given, expected) -> Verdict:
        return next((v for v in self.verdicts(given, expected).values() if not v.ok), PASS)

    def format_words(self) -> str:
        """The answer-format line's description (graders.cells)."""
        return (f"{self.description}; fields and allowed keys as in `shoplab.capstone` "
                f"(stock for {', '.join(capstone.STOCK_SKUS)}; campaigns "
                f"{', '.join(capstone.CAMPAIGNS)}; the priced SKU one of "
                + ", ".join(f"{sku} (¥{low:g}–{high:g})"
                            for sku, (low, high) in capstone.TESTED_PRICES.items())
                # the line ends with its own full stop (graders.cells)
                + f"). {capstone.rule().removesuffix('.')}")
