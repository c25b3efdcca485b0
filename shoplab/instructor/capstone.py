"""Regenerate chapter 13's reference plans (shoplab/capstone_plans.json):

    python -m shoplab.instructor.capstone          # write the file
    python -m shoplab.instructor.capstone --check  # exit 1 if the stored plans are stale

The baseline is last year's plan: the generator's own ad spend and 满减, list prices and the
stock the built inventory table had for the festival. The best plan is the course optimiser's
(`shoplab.capstone.optimise`) started from it. Both are stored so that a grade cell never runs
the search; tests/topics/test_capstone.py fails when the stored file is stale.
"""

from __future__ import annotations

import argparse
import json
import sys

from shoplab import capstone, load_table
from shoplab.shopgen import model


def facts() -> dict:
    """What the model says a plan stocks and funds (capstone.STOCK_SKUS, capstone.CAMPAIGNS)."""
    return {"stock_skus": list(model.top_skus()),
            "campaigns": list(model.campaigns()["campaign_id"])}


def fresh() -> dict:
    baseline = capstone.normalise(capstone.plan_dict(model.last_year(load_table("inventory"))))
    return {**facts(), "baseline": baseline, "best": capstone.optimise(baseline)}


def text(plans: dict) -> str:
    return json.dumps(plans, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the stored plans are stale")
    args = parser.parse_args(argv)
    stored, current = json.loads(capstone.PLANS_FILE.read_text(encoding="utf-8")), facts()
    if {key: stored.get(key) for key in current} != current:
        # the plans are checked against the stored SKUs and campaigns: store the new ones first
        if args.check:
            print(f"{capstone.PLANS_FILE.name}: stale (the model's SKUs or campaigns changed)")
            return 1
        capstone.PLANS_FILE.write_text(text({**stored, **current}), encoding="utf-8")
        print(f"Wrote the model's SKUs and campaigns to {capstone.PLANS_FILE}: run this command "
              "again to re-derive the plans on them.")
        return 0
    new = text(fresh())
    if args.check:
        stale = capstone.PLANS_FILE.read_text(encoding="utf-8") != new
        print(f"{capstone.PLANS_FILE.name}: {'stale' if stale else 'up to date'}")
        return 1 if stale else 0
    capstone.PLANS_FILE.write_text(new, encoding="utf-8")
    print(f"Wrote {capstone.PLANS_FILE}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
