"""The platforms the shop sells on and the ones it could add (chapter 01's platform choice).

Illustrative contract terms as of one date, not any real platform's price list: the shape of
the choice is what matters (a marketplace with big traffic and a deposit, a vertical app that
fits the category but is small, social channels with low fees and high effort, cross-border
with high fees and long settlement). The shop's own three channels are rows too, with their
terms taken from `catalog.fees()` so that the two tables cannot disagree. No random draws:
a fixed table cannot shift any other table's stream.
"""

from __future__ import annotations

import pandas as pd

from shoplab.shopgen import catalog

AS_OF = pd.Timestamp("2025-12-31")

# platform, type, traffic index, category fit, capability needed, onboarding weeks
OWN = {
    "platform": ("marketplace_store", "marketplace", 90, 0.8, 3, 3),
    "livestream": ("livestream_store", "social", 70, 0.7, 4, 2),
    "mini_program": ("mini_program_store", "social", 15, 0.8, 3, 2),
}
# platform, type, commission, payment fee, return rate, deposit, settlement days,
# traffic index, category fit, capability needed, onboarding weeks
CANDIDATES = (
    ("bargain_marketplace", "marketplace", 0.02, 0.006, 0.09, 10000.0, 15, 85, 0.6, 2, 2),
    ("retail_marketplace", "marketplace", 0.08, 0.006, 0.05, 50000.0, 30, 75, 0.75, 3, 4),
    ("home_living_app", "vertical", 0.10, 0.006, 0.04, 20000.0, 20, 25, 0.95, 2, 3),
    ("lifestyle_notes", "social", 0.05, 0.006, 0.07, 20000.0, 14, 60, 0.85, 4, 2),
    ("sea_cross_border", "cross_border", 0.12, 0.02, 0.05, 30000.0, 21, 50, 0.55, 5, 4),
    ("global_cross_border", "cross_border", 0.15, 0.0, 0.08, 0.0, 14, 70, 0.5, 5, 4),
)
COLUMNS = [
    "platform", "platform_type", "commission_rate", "payment_fee_rate", "return_rate",
    "deposit", "settlement_days", "traffic_index", "category_fit", "capability_needed",
    "onboarding_weeks",
]


def platforms() -> pd.DataFrame:
    """The shop's own channels (terms from `fees`) first, then the candidates."""
    fees = catalog.fees().set_index("channel")
    own = [
        (name, kind, *fees.loc[channel, [
            "commission_rate", "payment_fee_rate", "return_rate_assumption", "deposit",
            "settlement_days",
        ]], *rest)
        for channel, (name, kind, *rest) in OWN.items()
    ]
    table = pd.DataFrame(own + list(CANDIDATES), columns=COLUMNS)
    table.insert(2, "shop_channel", list(OWN) + [""] * len(CANDIDATES))
    table["as_of"] = AS_OF
    return table
