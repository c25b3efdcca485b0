"""Static tables: products, promotions, fees, carrier rates, fixed costs, planning parameters.

Hand-written so the numbers are plausible and lessons can name products; everything random
that depends on them lives in the other modules.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shoplab.shopgen.common import CARRIERS, DAYS, ZONES, ids, rng_for

# name, category, role, list_price, gross margin, weight_kg, launch, popularity, quality
_PRODUCTS = [
    ("Carbon steel wok 32cm", "Cookware", "core", 199, 0.52, 1.9, "2023-01-01", 9.0, 0.95),
    ("Nonstick frying pan 28cm", "Cookware", "core", 159, 0.50, 1.2, "2023-01-01", 8.0, 0.80),
    ("Cast iron casserole 24cm", "Cookware", "profit", 499, 0.62, 4.6, "2023-01-01", 2.5, 0.97),
    ("Stainless stockpot 26cm", "Cookware", "profit", 329, 0.58, 2.8, "2023-01-01", 2.0, 0.93),
    (
        "Ceramic nonstick saucepan 18cm",
        "Cookware",
        "traffic",
        89,
        0.30,
        0.9,
        "2023-01-01",
        6.0,
        0.62,
    ),
    ("Stainless steamer 3-tier", "Cookware", "profit", 269, 0.60, 2.2, "2023-01-01", 1.5, 0.94),
    ("Cookware set 5-piece", "Cookware", "strategic", 1299, 0.55, 7.5, "2024-09-01", 1.2, 0.92),
    ("Chef knife 20cm", "Kitchen tools", "core", 299, 0.60, 0.5, "2023-01-01", 4.5, 0.96),
    ("Knife block set 6-piece", "Kitchen tools", "profit", 699, 0.64, 3.0, "2023-01-01", 1.2, 0.95),
    ("Silicone spatula set", "Kitchen tools", "traffic", 39.9, 0.28, 0.3, "2023-01-01", 9.0, 0.90),
    ("Bamboo cutting board", "Kitchen tools", "traffic", 59.9, 0.32, 1.1, "2023-01-01", 7.0, 0.88),
    ("Digital kitchen scale", "Kitchen tools", "core", 79, 0.45, 0.6, "2023-01-01", 4.0, 0.90),
    ("Garlic press", "Kitchen tools", "traffic", 29.9, 0.27, 0.3, "2023-01-01", 6.5, 0.85),
    ("Vegetable spiralizer", "Kitchen tools", "profit", 129, 0.58, 0.8, "2024-03-15", 1.5, 0.78),
    ("Glass food containers 10-pc", "Storage", "core", 89, 0.46, 2.4, "2023-01-01", 6.0, 0.92),
    ("Vacuum rice bin 10kg", "Storage", "profit", 139, 0.57, 1.6, "2023-01-01", 2.0, 0.91),
    ("Spice rack with 20 jars", "Storage", "profit", 169, 0.60, 2.1, "2023-01-01", 1.8, 0.90),
    ("Stackable pantry bins 6-pc", "Storage", "traffic", 49.9, 0.30, 1.3, "2023-01-01", 5.0, 0.89),
    ("Fridge organiser set", "Storage", "core", 69, 0.44, 1.5, "2024-05-20", 3.5, 0.90),
    ("Lunch box bento 3-layer", "Storage", "traffic", 45, 0.33, 0.7, "2023-01-01", 4.0, 0.87),
    ("Porcelain dinner set 16-pc", "Tableware", "profit", 459, 0.63, 6.8, "2023-01-01", 1.3, 0.93),
    ("Rice bowls set of 6", "Tableware", "core", 99, 0.48, 2.0, "2023-01-01", 4.5, 0.91),
    ("Chopsticks 10 pairs", "Tableware", "traffic", 29.9, 0.26, 0.4, "2023-01-01", 8.0, 0.94),
    ("Tea set celadon", "Tableware", "strategic", 599, 0.65, 2.6, "2024-08-01", 0.8, 0.96),
    ("Glass mugs set of 4", "Tableware", "core", 69, 0.45, 1.4, "2023-01-01", 3.0, 0.86),
    ("Serving platter oak", "Tableware", "profit", 189, 0.61, 1.2, "2023-01-01", 1.0, 0.92),
    ("Air fryer 5L", "Small appliances", "core", 399, 0.38, 5.2, "2023-01-01", 4.0, 0.88),
    (
        "Electric kettle 1.7L",
        "Small appliances",
        "traffic",
        129,
        0.28,
        1.5,
        "2023-01-01",
        5.0,
        0.87,
    ),
    ("Rice cooker 3L smart", "Small appliances", "core", 459, 0.40, 3.8, "2023-01-01", 2.5, 0.90),
    ("Soymilk maker", "Small appliances", "profit", 599, 0.45, 3.5, "2023-01-01", 1.2, 0.89),
    ("Hand blender", "Small appliances", "profit", 219, 0.48, 1.4, "2023-01-01", 1.6, 0.84),
    ("Multi-cooker pot", "Small appliances", "strategic", 1000, 0.42, 5.5, "2025-03-01", 1.0, 0.91),
    ("Electric lunch box", "Small appliances", "traffic", 119, 0.30, 1.3, "2024-10-10", 2.5, 0.80),
    ("Dish brush set", "Cleaning", "traffic", 19.9, 0.25, 0.3, "2023-01-01", 7.0, 0.90),
    ("Microfibre cloths 12-pk", "Cleaning", "traffic", 29.9, 0.35, 0.4, "2023-01-01", 6.0, 0.92),
    ("Stainless cleaner spray", "Cleaning", "profit", 39, 0.55, 0.6, "2023-01-01", 3.0, 0.89),
    ("Drying rack 2-tier", "Cleaning", "core", 129, 0.47, 2.9, "2023-01-01", 3.0, 0.86),
    ("Sink caddy", "Cleaning", "profit", 49, 0.56, 0.5, "2023-01-01", 2.5, 0.90),
    ("Compost bin countertop", "Cleaning", "strategic", 159, 0.50, 1.2, "2025-05-10", 1.0, 0.93),
    ("Range hood filter 2-pk", "Cleaning", "profit", 100, 0.60, 0.5, "2023-01-01", 1.5, 0.85),
]


def products() -> pd.DataFrame:
    rng = rng_for("products")
    p = pd.DataFrame(
        _PRODUCTS,
        columns=[
            "name",
            "category",
            "portfolio_role",
            "list_price",
            "margin",
            "weight_kg",
            "launch_date",
            "popularity",
            "quality",
        ],
    )
    p.insert(0, "sku", ids("HW-", len(p), 3))
    p["list_price"] = p["list_price"].astype(float)
    p["unit_cost"] = (p["list_price"] * (1 - p["margin"])).round(2)
    p["launch_date"] = pd.to_datetime(p["launch_date"])
    p["supplier_lead_days"] = rng.integers(7, 31, len(p))
    p.loc[p["category"] == "Small appliances", "supplier_lead_days"] += 5
    p["supplier_lead_days"] = p["supplier_lead_days"].clip(7, 30)
    # periodic review: weekly for the sellers with popularity ≥ 3, fortnightly for the rest
    p["review_period_days"] = np.where(p["popularity"] >= 3, 7, 14)
    return p


# Price-test SKUs: sku -> (price levels, true elasticity, charm bump at the charm price)
PRICE_TESTS = {
    "HW-001": ([179.0, 199.0, 200.0, 219.0], -2.0, 0.08),
    "HW-008": ([259.0, 279.0, 299.0, 329.0], -1.6, 0.0),
    "HW-015": ([79.0, 89.0, 99.0, 109.0], -2.8, 0.0),
    "HW-027": ([349.0, 379.0, 399.0, 429.0], -2.3, 0.0),
}

FLASH_SALES = [  # promo start, days, sku, pct off
    ("2024-03-08", 2, "HW-002", 0.30),
    ("2024-04-20", 1, "HW-027", 0.25),
    ("2024-08-08", 2, "HW-014", 0.35),
    ("2024-09-20", 1, "HW-029", 0.25),
    ("2024-12-12", 1, "HW-007", 0.20),
    ("2025-03-08", 2, "HW-002", 0.30),
    ("2025-07-18", 1, "HW-030", 0.30),
    ("2025-08-08", 2, "HW-033", 0.35),
    ("2025-09-19", 1, "HW-021", 0.30),
    ("2025-12-12", 1, "HW-032", 0.20),
]
# Festival hero deals (爆款): a flash sale on the last two days of 618 and Double 11; its extra
# units come partly out of the other SKUs' sales (cannibalisation).
HERO_DEALS = [
    ("2024-06-17", 2, "HW-003", 0.25),
    ("2024-11-10", 2, "HW-004", 0.25),
    ("2025-06-17", 2, "HW-006", 0.25),
    ("2025-11-10", 2, "HW-003", 0.25),
]
FLASH_SALES += HERO_DEALS


def promotions() -> pd.DataFrame:
    rows = []

    def add(name, ptype, start, end, threshold=0.0, value=0.0, pct=0.0, sku="", notes=""):
        rows.append(
            (
                name,
                ptype,
                pd.Timestamp(start),
                pd.Timestamp(end),
                float(threshold),
                float(value),
                float(pct),
                sku,
                notes,
            )
        )

    for y in (2024, 2025):
        per = 40 if y == 2024 else 50
        add(
            f"618 mid-year festival {y}",
            "festival",
            f"{y}-06-01",
            f"{y}-06-18",
            300,
            per,
            notes=f"每满300减{per}: ¥{per} off for every full ¥300 of gross amount",
        )
        add(
            f"Double 11 {y}",
            "festival",
            f"{y}-10-21",
            f"{y}-11-11",
            300,
            50,
            notes="每满300减50: ¥50 off for every full ¥300; pre-sale from Oct 21, peak Nov 11",
        )
        add(
            f"Spring new-season 满减 {y}",
            "spend_threshold",
            f"{y}-03-20",
            f"{y}-03-31",
            199,
            20,
            notes="满199减20: one tier",
        )
        add(
            f"Summer kitchen 满减 {y}",
            "spend_threshold",
            f"{y}-08-20",
            f"{y}-08-31",
            299,
            30,
            notes="满299减30: one tier",
        )
        add(
            f"Double 12 {y}",
            "spend_threshold",
            f"{y}-12-10",
            f"{y}-12-12",
            399,
            60,
            notes="满399减60: one tier",
        )
        add(
            f"Mid-Autumn gift {y}",
            "gift",
            "2024-09-10" if y == 2024 else "2025-09-29",
            "2024-09-17" if y == 2024 else "2025-10-06",
            259,
            15,
            notes="Free tea towel (cost ¥15) with gross ≥ ¥259; no money off",
        )
    for start, n, sku, pct in FLASH_SALES:
        s = pd.Timestamp(start)
        add(
            f"Flash sale {sku} {start}",
            "flash_sale",
            s,
            s + pd.Timedelta(days=n - 1),
            0,
            0,
            pct,
            sku,
            f"{int(pct * 100)}% off {sku} unit price, limited time",
        )
    add(
        "New-member coupon",
        "coupon",
        "2024-01-01",
        "2025-12-31",
        199,
        20,
        notes="¥20 off ¥199, issued at signup, valid 30 days",
    )
    add(
        "Loyal-customer coupon",
        "coupon",
        "2024-04-01",
        "2025-12-31",
        199,
        20,
        notes="¥20 off ¥199, issued quarterly from April 2024 to customers with at least 3 paid "
        "orders in the last 365 days, valid 30 days",
    )
    add(
        "Win-back coupon",
        "coupon",
        "2024-01-01",
        "2025-12-31",
        299,
        30,
        notes="¥30 off ¥299, issued quarterly to customers with no order in 180 days, "
        "valid 30 days",
    )
    for y in (2024, 2025):
        add(
            f"618 store coupon {y}",
            "coupon",
            f"{y}-05-28",
            f"{y}-06-18",
            299,
            30,
            notes="¥30 off ¥299, claimed before 618 (mostly by buyers of the last 12 months)",
        )
        add(
            f"Double 11 store coupon {y}",
            "coupon",
            f"{y}-10-18",
            f"{y}-11-11",
            399,
            50,
            notes="¥50 off ¥399, claimed before Double 11 (mostly by buyers of the last 12 months)",
        )
    df = pd.DataFrame(
        rows,
        columns=[
            "name",
            "promo_type",
            "start_date",
            "end_date",
            "threshold",
            "discount_value",
            "discount_pct",
            "sku",
            "notes",
        ],
    )
    df = df.sort_values(["start_date", "name"], kind="stable").reset_index(drop=True)
    df.insert(0, "promo_id", ids("PR", len(df), 3))
    return df


def fees() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "channel": ["platform", "livestream", "mini_program"],
            "commission_rate": [0.05, 0.08, 0.006],
            "payment_fee_rate": [0.006, 0.006, 0.006],
            "return_rate_assumption": [0.06, 0.10, 0.04],
            "deposit": [50000.0, 20000.0, 0.0],
            "settlement_days": [10, 14, 7],
        }
    )


def carrier_rates() -> pd.DataFrame:
    first = {
        "SF Express": [12, 14, 18, 24],
        "ZTO": [4.5, 5.5, 7, 12],
        "YTO": [4.2, 5.2, 6.8, 12.5],
        "JD Logistics": [9, 11, 14, 20],
    }
    extra = {
        "SF Express": [2, 4, 6, 10],
        "ZTO": [1, 2, 3.5, 8],
        "YTO": [1, 2, 3.5, 8.5],
        "JD Logistics": [2, 3, 5, 9],
    }
    days = {
        "SF Express": [1, 2, 2, 4],
        "ZTO": [2, 3, 4, 6],
        "YTO": [2, 3, 4, 7],
        "JD Logistics": [1, 2, 3, 5],
    }
    rows = [
        (c, z, float(first[c][i]), float(extra[c][i]), days[c][i])
        for c in CARRIERS
        for i, z in enumerate(ZONES)
    ]
    return pd.DataFrame(
        rows, columns=["carrier", "zone", "first_kg_cost", "extra_kg_cost", "promised_days"]
    )


def fixed_costs() -> pd.DataFrame:
    rng = rng_for("fixed_costs")
    months = pd.date_range(DAYS[0], DAYS[-1], freq="MS")
    rows = []
    for m in months:
        year2 = m.year == 2025
        base = {
            "rent": 5500.0 if not year2 else 6800.0,
            "salaries": (15000.0 if not year2 else 24000.0) + (5000 if m.month in (6, 11) else 0),
            "software": 2200.0 + (500 if year2 else 0),
            "utilities": 1500.0 + (300 if m.month in (1, 2, 7, 8) else 0),
            "other": 2500.0,
        }
        for cat, amt in base.items():
            noise = 1.0 if cat in ("rent", "software") else rng.normal(1.0, 0.04)
            rows.append((m, cat, round(amt * noise, 2)))
    return pd.DataFrame(rows, columns=["month", "category", "amount"])


# name, value, unit, description (with its source or the date it holds for). Illustrative
# figures a merchant plans with; tax rates change, so each says when it applies.
_PARAMETERS = [
    ("opening_cash", 400000.0, "CNY",
     "Cash in the bank on 2024-01-01, before the first day's trading."),
    ("ordering_cost", 200.0, "CNY per purchase order",
     "Fixed cost of placing and receiving one purchase order (admin, inbound handling, "
     "quality check), whatever its size: the S of the EOQ."),
    ("holding_cost_rate", 0.25, "fraction of unit_cost per year",
     "Cost of holding one ¥ of stock for a year (capital, warehouse, damage, obsolescence): "
     "the h of the EOQ (Chopra–Meindl, *Supply Chain Management*, on cycle inventory)."),
    ("supplier_payment_days", 30.0, "days",
     "Supplier payment terms: a purchase order is paid this many days after it is received "
     "(net 30)."),
    ("vat_general_rate", 0.13, "fraction",
     "VAT (增值税) rate on goods for a general taxpayer (一般纳税人), as of 2025; input VAT on "
     "special invoices (专用发票) is deducted."),
    ("vat_input_invoiced_share", 0.8, "fraction",
     "Share of the product cost bought with a special VAT invoice, so deductible by a "
     "general taxpayer (small workshops often invoice only at the 1 % or 3 % small-scale rate "
     "or not at all)."),
    ("vat_small_scale_rate", 0.01, "fraction",
     "VAT levy rate for a small-scale taxpayer (小规模纳税人), reduced from 3 % to 1 % until "
     "2027-12-31 (财政部 税务总局公告2023年第19号); no input VAT is deducted."),
    ("vat_small_scale_statutory_rate", 0.03, "fraction",
     "The small-scale levy rate the law sets when the reduction ends."),
    ("small_scale_sales_ceiling", 5000000.0, "CNY per 12 months",
     "Taxable sales over 12 months above which a seller must register as a general taxpayer "
     "(财政部 税务总局公告2018年第33号)."),
]


def parameters() -> pd.DataFrame:
    return pd.DataFrame(_PARAMETERS, columns=["name", "value", "unit", "description"])
