"""Cross-border rates: what selling one parcel abroad costs, per market (跨境电商).

The shop does not sell abroad yet; chapter 11 asks what it would earn if it did. The rates are
declared figures, not draws: illustrative round numbers for a home & kitchen parcel, dated
(`as_of`) because duties, VAT, fees and exchange rates all move, and not tax advice. No random
stream is used, so adding this table moves no other table's bytes.
"""

from __future__ import annotations

import pandas as pd

AS_OF = "2025-12-31"

# market, currency, CNY per unit of local currency, duty, import VAT/GST,
# cross-border logistics first kg and each extra started kg (CNY), marketplace fee
RATES = (
    ("Singapore", "SGD", 5.40, 0.00, 0.09, 38.0, 16.0, 0.12),
    ("Malaysia", "MYR", 1.60, 0.05, 0.10, 32.0, 14.0, 0.10),
    ("United Kingdom", "GBP", 9.20, 0.04, 0.20, 62.0, 28.0, 0.15),
    ("United States", "USD", 7.10, 0.25, 0.00, 70.0, 32.0, 0.15),
)


def cross_border_rates() -> pd.DataFrame:
    df = pd.DataFrame(
        RATES,
        columns=[
            "market",
            "currency",
            "cny_per_unit",
            "duty_rate",
            "vat_rate",
            "logistics_first_kg_cost",
            "logistics_extra_kg_cost",
            "platform_fee_rate",
        ],
    )
    df.insert(1, "as_of", pd.Timestamp(AS_OF))
    return df
