"""Topic modules import only `shoplab.metrics` (and pandas, numpy, the standard library).

A chapter's module that imported another chapter's (chapter 09 reaching into `ads` for new
customers, into `funnel` for the repurchase rate) ties the chapters together: a change for one
silently changes the other, and the shared idea has no clear home. Shared ideas live in
`shoplab.metrics` instead. This test reads each module's imports with `ast` (nothing is
executed, so an import hidden in a function is caught too).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SHOPLAB = Path(__file__).resolve().parents[2] / "shoplab"
# Modules of the package that are not business topics: the package's own entry points, chart
# presentation (plotly) and the course tooling (lesson readout markers, CLI, release, the
# website). Every other shoplab/*.py is a topic module, so a new chapter's module is checked
# unlisted.
NOT_TOPICS = {"__init__", "metrics", "charts", "notebook", "readouts", "contents", "release", "lab",
              "site", "stored"}
THIRD_PARTY = {"numpy", "pandas"}
TOPICS = sorted(p for p in SHOPLAB.glob("*.py") if p.stem not in NOT_TOPICS)


def imported_modules(path: Path) -> set[str]:
    """Every module `path` imports, absolute names (`from shoplab import ads` → shoplab.ads)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                raise AssertionError(f"{path.name}: use absolute imports (from shoplab …)")
            if node.module == "shoplab":
                found |= {f"shoplab.{alias.name}" for alias in node.names}
            else:
                found.add(node.module)
    return found


def not_allowed(module: str, allowed_course: set[str]) -> bool:
    top = module.split(".")[0]
    if top == "shoplab":
        return module not in allowed_course
    return not (top in THIRD_PARTY or top in sys.stdlib_module_names or top == "__future__")


# The one exception, and why: chapter 13 grades a plan on the shop's own demand, which only the
# festival model built from the generator's constants knows (shoplab/shopgen/model.py).
EXTRA = {"capstone": {"shoplab.shopgen.model"}}


def test_there_are_topic_modules_to_check():
    assert {"ads", "pricing", "funnel", "customers", "inventory"} <= {p.stem for p in TOPICS}


@pytest.mark.parametrize("path", TOPICS, ids=[p.stem for p in TOPICS])
def test_topic_module_imports_only_metrics(path: Path):
    allowed = {"shoplab.metrics"} | EXTRA.get(path.stem, set())
    bad = sorted(m for m in imported_modules(path) if not_allowed(m, allowed))
    assert not bad, (f"shoplab/{path.name} imports {bad}: a topic module may import only "
                     "shoplab.metrics, pandas, numpy and the standard library — move a shared "
                     "definition into shoplab/metrics.py")


def test_metrics_imports_no_course_module():
    bad = sorted(m for m in imported_modules(SHOPLAB / "metrics.py") if not_allowed(m, set()))
    assert not bad, f"shoplab/metrics.py imports {bad}"


def test_the_rule_catches_a_topic_importing_another(tmp_path):
    leaky = tmp_path / "leaky.py"
    leaky.write_text("from shoplab.ads import new_customers_by_year\n"
                     "def f():\n    from shoplab import funnel\n    import plotly\n")
    assert sorted(m for m in imported_modules(leaky) if not_allowed(m, {"shoplab.metrics"})) == [
        "plotly", "shoplab.ads", "shoplab.funnel"]


def test_the_exception_is_for_the_capstone_only():
    assert set(EXTRA) == {"capstone"} and (SHOPLAB / "capstone.py").exists()
    assert not_allowed("shoplab.shopgen.model", {"shoplab.metrics"})
