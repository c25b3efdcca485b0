"""The shop's books: its P&L, the figures a merchant would check, and the ranges they must lie in.

Declared once, used three times: `python -m shoplab.datasets pnl` prints the P&L, the data
dictionary states the ranges and identities from `RANGES` and `IDENTITIES`, and
tests/test_books.py asserts every range and identity on the built CSVs, so the three cannot
drift apart. Everything here is computed from the tables as loaded (`load_table`), never from
the generator's internals.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

Tables = Mapping[str, pd.DataFrame] | Callable[[str], pd.DataFrame]


@dataclass(frozen=True)
class Range:
    name: str
    low: float
    high: float
    text: str  # what the figure is, for the dictionary and for failure messages


RANGES = (
    Range("ad_spend_share", 0.08, 0.18, "ad spend ÷ GMV"),
    Range("ad_session_share", 0.15, 0.30, "ad-click sessions ÷ all sessions"),
    Range("cpc", 1.5, 4.0, "ad spend ÷ ad clicks, ¥ per click"),
    Range(
        "console_orders_share",
        0.2,
        0.7,
        "ad consoles' attributed orders ÷ the shop's paid orders (well under 1)",
    ),
    Range("console_revenue_share", 0.2, 0.7, "ad consoles' attributed revenue ÷ GMV"),
    Range("fixed_cost_share", 0.08, 0.20, "fixed costs ÷ GMV"),
    Range("net_margin", 0.01, 0.06, "net profit ÷ GMV over the two years"),
    Range("view_to_cart", 0.08, 0.15, "sessions that added to cart ÷ sessions that viewed"),
    Range("session_conversion", 0.02, 0.04, "sessions that placed an order ÷ all sessions"),
    Range(
        "median_turns", 4.0, 8.0, "median over SKUs of 2025 inventory turns (COGS ÷ average stock)"
    ),
    Range("kol_commission_rate", 0.10, 0.25, "KOL commission ÷ KOL stream GMV"),
)

# The console may claim more orders than the shop's last click, but only by this much per
# campaign and month (months with at least CONSOLE_MIN_ORDERS last-click orders).
CONSOLE_FACTOR = (1.1, 1.6)
CONSOLE_MIN_ORDERS = 2
SLOW_TURNS = 3.0  # SKUs turning slower than this a year are slow movers / overstock
MIN_SLOW_MOVERS = 3

IDENTITIES = (
    "One ad click is one session: for every campaign and day, ad_campaigns.clicks = the number "
    "of sessions with that campaign_id that day; a session has a campaign_id exactly when its "
    "traffic_source is ads.",
    "Every order carries its session's traffic_source and campaign_id (the shop's last click).",
    f"The console's attributed_orders per campaign and month lie between {CONSOLE_FACTOR[0]:g}× "
    f"and {CONSOLE_FACTOR[1]:g}× the shop's last-click paid orders of that campaign (months with "
    f"at least {CONSOLE_MIN_ORDERS}), and never above the paid orders of the sales channel the "
    "campaign sells into.",
    "Inventory: on_hand tomorrow = on_hand + received − units_sold; units_sold = the paid "
    "order lines' quantities per SKU and day; received = the purchase orders' quantities per "
    "SKU and received_date; purchase orders are placed on review days, a "
    "whole number of review_period_days apart.",
    "Shipments are exactly the paid orders, shipped after they were placed; reviews are of "
    "completed orders' lines, after delivery; tickets name real orders (refund tickets only "
    "refunded ones), opened after the order was placed (presale tickets have no order).",
    "livestreams.orders and gmv = the paid orders carrying the stream_id, every one a "
    "livestream-channel order placed during the stream; commission = commission_rate × gmv.",
    "The P&L's lines add up: net profit = GMV − refunds − product cost − commission − payment "
    "fees − net shipping − gifts − ad spend − livestream fees − KOL commission − fixed costs.",
)

PNL_COMMAND = "python -m shoplab.datasets pnl"


def _get(tables: Tables, name: str) -> pd.DataFrame:
    return tables(name) if callable(tables) else tables[name]


def _text(col: pd.Series) -> pd.Series:
    """A string column with missing values as "" (the loader reads empty cells as missing)."""
    return col.fillna("").astype(str)


def _month(ts: pd.Series) -> pd.Series:
    return ts.dt.to_period("M")


def pnl_by_month(tables: Tables) -> pd.DataFrame:
    """The P&L, one row per month (orders by the month they were placed), in CNY.

    Costs are negative, so each month's net_profit is the sum of the other columns after
    gmv: gmv + refunds + product_cost + ... + fixed_costs.
    """
    o = _get(tables, "orders")
    items = _get(tables, "order_items")
    products = _get(tables, "products").set_index("sku")
    fees = _get(tables, "fees").set_index("channel")
    ship = _get(tables, "shipments")
    promos = _get(tables, "promotions").set_index("promo_id")
    ads = _get(tables, "ad_campaigns")
    streams = _get(tables, "livestreams")
    fixed = _get(tables, "fixed_costs")
    paid = o[o["status"] != "cancelled"]
    m = _month(paid["order_time"])
    lines = items.merge(paid[["order_id", "order_time"]], on="order_id")
    cost = lines["quantity"] * lines["sku"].map(products["unit_cost"])
    gift = _text(paid["promo_id"]).map(
        promos["discount_value"].where(promos["promo_type"] == "gift")
    )
    carrier = ship["order_id"].map(paid.set_index("order_id")["order_time"])
    kol = streams["host_type"] == "kol"
    out = pd.DataFrame(
        {
            "gmv": paid.groupby(m)["order_amount"].sum(),
            "refunds": -paid["order_amount"]
            .where(paid["status"] == "refunded", 0.0)
            .groupby(m)
            .sum(),
            "product_cost": -cost.groupby(_month(lines["order_time"])).sum(),
            "commission": -(paid["order_amount"] * paid["channel"].map(fees["commission_rate"]))
            .groupby(m)
            .sum(),
            "payment_fees": -(paid["order_amount"] * paid["channel"].map(fees["payment_fee_rate"]))
            .groupby(m)
            .sum(),
            "net_shipping": paid.groupby(m)["shipping_fee"].sum()
            - ship["shipping_cost"].groupby(_month(carrier)).sum(),
            "gifts": -gift.fillna(0.0).groupby(m).sum(),
            "ad_spend": -ads.groupby(_month(ads["date"]))["spend"].sum(),
            "livestream_fees": -streams.groupby(_month(streams["date"]))["host_fee"].sum(),
            "kol_commission": -streams.loc[kol]
            .groupby(_month(streams.loc[kol, "date"]))["commission"]
            .sum(),
            "fixed_costs": -fixed.groupby(_month(fixed["month"]))["amount"].sum(),
        }
    ).fillna(0.0)
    out["net_profit"] = out.sum(axis=1)
    out.index.name = "month"
    return out


PNL_LABELS = {
    "gmv": "GMV (paid orders' order_amount)",
    "refunds": "− refunds (refunded orders)",
    "product_cost": "− product cost (goods of paid orders; refunds written off)",
    "commission": "− platform commission",
    "payment_fees": "− payment fees",
    "net_shipping": "− shipping (carrier cost − shipping charged)",
    "gifts": "− free gifts",
    "ad_spend": "− ad spend",
    "livestream_fees": "− livestream host and slot fees",
    "kol_commission": "− KOL commission (达人佣金)",
    "fixed_costs": "− fixed costs",
    "net_profit": "= net profit",
}


def inventory_turns(tables: Tables, year: int = 2025) -> pd.Series:
    """Per SKU: the year's product cost of units sold ÷ average stock at cost."""
    inv = _get(tables, "inventory")
    cost = _get(tables, "products").set_index("sku")["unit_cost"]
    y = inv[inv["date"].dt.year == year]
    cogs = y.groupby("sku")["units_sold"].sum() * cost
    stock = y.groupby("sku")["on_hand"].mean() * cost
    return (cogs / stock).dropna()


def figures(tables: Tables) -> dict[str, float]:
    """Every figure `RANGES` names, over the two years."""
    s = _get(tables, "sessions")
    o = _get(tables, "orders")
    ads = _get(tables, "ad_campaigns")
    streams = _get(tables, "livestreams")
    pnl = pnl_by_month(tables).sum()
    paid = o[o["status"] != "cancelled"]
    kol = streams[streams["host_type"] == "kol"]
    return {
        "ad_spend_share": -pnl["ad_spend"] / pnl["gmv"],
        "ad_session_share": float((s["traffic_source"] == "ads").mean()),
        "cpc": float(ads["spend"].sum() / ads["clicks"].sum()),
        "console_orders_share": float(ads["attributed_orders"].sum() / len(paid)),
        "console_revenue_share": float(ads["attributed_revenue"].sum() / pnl["gmv"]),
        "fixed_cost_share": -pnl["fixed_costs"] / pnl["gmv"],
        "net_margin": pnl["net_profit"] / pnl["gmv"],
        "view_to_cart": float(s["added_to_cart"].sum() / s["viewed_product"].sum()),
        "session_conversion": float(s["placed_order"].mean()),
        "median_turns": float(inventory_turns(tables).median()),
        "kol_commission_rate": float(kol["commission"].sum() / kol["gmv"].sum()),
    }


def console_vs_last_click(tables: Tables) -> pd.DataFrame:
    """Per campaign and month: the console's orders, the shop's last-click paid orders, and
    the paid orders of the campaign's sales channel."""
    o = _get(tables, "orders")
    ads = _get(tables, "ad_campaigns")
    s = _get(tables, "sessions")
    paid = o[o["status"] != "cancelled"].assign(campaign_id=lambda d: _text(d["campaign_id"]))
    m = _month(paid["order_time"])
    shop = paid[paid["campaign_id"] != ""].groupby(["campaign_id", m]).size()
    console = ads.groupby(["campaign_id", _month(ads["date"])])["attributed_orders"].sum()
    ad_s = s[s["traffic_source"] == "ads"]
    lands = ad_s.groupby("campaign_id")["channel"].agg(lambda c: c.iloc[0])
    chan = paid.groupby(["channel", m]).size()
    t = pd.DataFrame({"console": console, "last_click": shop}).fillna(0).astype(int)
    t.index.names = ["campaign_id", "month"]
    key = list(
        zip(t.index.get_level_values(0).map(lands), t.index.get_level_values(1), strict=True)
    )
    t["channel_paid"] = chan.reindex(key).fillna(0).astype(int).to_numpy()
    return t


def festival_months(tables: Tables) -> pd.DataFrame:
    """The P&L of the festival months (618 in June, Double 11 in October-November)."""
    t = pnl_by_month(tables)
    return t[np.isin(t.index.month, (6, 10, 11))]


def format_pnl(tables: Tables) -> str:
    """The two-year P&L with each line's share of GMV, and the net profit by year."""
    t = pnl_by_month(tables)
    total = t.sum()
    years = t.groupby(t.index.year).sum()
    width = max(len(v) for v in PNL_LABELS.values())
    head = f"{'':<{width}}  {'2024':>13}  {'2025':>13}  {'two years':>13}  {'% GMV':>7}"
    rows = ["Hearth & Wok — P&L 2024–2025 (CNY, orders by month placed)", head]
    for col, label in PNL_LABELS.items():
        if col == "net_profit":
            rows.append("-" * len(head))
        rows.append(
            f"{label:<{width}}  {years.loc[2024, col]:>13,.0f}  {years.loc[2025, col]:>13,.0f}"
            f"  {total[col]:>13,.0f}  {total[col] / total['gmv']:>7.1%}"
        )
    losing = t.index[t["net_profit"] < 0]
    rows.append("")
    rows.append(
        "Months at a loss: " + (", ".join(str(p) for p in losing) if len(losing) else "none")
    )
    return "\n".join(rows)


def dictionary_section() -> list[str]:
    """The dictionary's 'How the books tie out' section, from the declarations above."""
    lines = [
        "## How the books tie out",
        "",
        f"`{PNL_COMMAND}` prints the shop's P&L (two years, by year, each line's share of GMV, "
        "and the months at a loss); its lines add up to the net profit. "
        "`shoplab.shopgen.books.pnl_by_month` returns it as a table. tests/test_books.py "
        "asserts every figure below in its range and every identity exactly.",
        "",
        "| figure | range |",
        "|---|---|",
    ]
    for r in RANGES:
        lines.append(f"| {r.text} | {r.low:g} – {r.high:g} |")
    lines += [
        f"| SKUs turning slower than {SLOW_TURNS:g}× a year (slow movers, overstock) | "
        f"at least {MIN_SLOW_MOVERS} |",
        "",
        "Identities (exact):",
        "",
    ]
    lines += [f"- {i}" for i in IDENTITIES]
    return lines
