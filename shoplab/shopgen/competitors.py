"""Competing shops in the shop's three main categories (chapter 02's competitor analysis).

Illustrative figures as of one date, not any real shop's: four comparable specialist shops per
category, each with the price of an item comparable to one of ours (`comparable_sku`), its review
rating, how fast it delivers, how many SKUs it carries in the category and its return rate. The
shape is what matters: the shop is a little dearer and about as well rated, carries a few SKUs
fewer, and delivers far slower than its rivals, the one gap clearly worth closing first. No
random draws: a fixed table cannot shift any other table's stream.
"""

from __future__ import annotations

import pandas as pd

AS_OF = pd.Timestamp("2025-12-31")

# category -> our comparable SKU, then per competitor:
# (competitor, price, rating, delivery days, assortment, return rate)
COMPETITORS = {
    ("Cookware", "HW-001"): (
        ("ironcraft_kitchen", 179.0, 4.3, 1.9, 9, 0.070),
        ("panpro_flagship", 189.0, 4.2, 2.2, 12, 0.060),
        ("wokmaster_home", 169.0, 4.4, 2.0, 8, 0.080),
        ("copper_and_clay", 209.0, 4.3, 1.8, 7, 0.065),
    ),
    ("Small appliances", "HW-027"): (
        ("smartchef_store", 369.0, 4.2, 1.8, 10, 0.070),
        ("kitchenbot_official", 389.0, 4.4, 2.1, 8, 0.075),
        ("daily_appliance", 359.0, 4.3, 1.7, 12, 0.060),
        ("homeheat_direct", 399.0, 4.1, 2.0, 6, 0.080),
    ),
    ("Kitchen tools", "HW-008"): (
        ("sharpedge_tools", 279.0, 4.4, 2.0, 9, 0.050),
        ("bladecraft_studio", 259.0, 4.3, 2.3, 11, 0.060),
        ("prep_and_slice", 289.0, 4.2, 1.9, 8, 0.055),
        ("chefs_drawer", 299.0, 4.5, 2.1, 8, 0.045),
    ),
}
COLUMNS = [
    "competitor",
    "price",
    "rating",
    "delivery_days",
    "assortment",
    "return_rate",
]


def competitors() -> pd.DataFrame:
    """One row per competing shop and category, with the SKU of ours its price compares with."""
    rows = [
        (category, sku, *shop) for (category, sku), shops in COMPETITORS.items() for shop in shops
    ]
    table = pd.DataFrame(rows, columns=["category", "comparable_sku", *COLUMNS])
    table["as_of"] = AS_OF
    return table
