"""Deterministic generator for the sample shop (Hearth & Wok).

`generate()` returns every table as a DataFrame; `write_all(dir)` writes them as CSVs with the
columns, order and formatting the schema declares. One fixed seed, vectorised numpy: the same
bytes on every run, in well under a minute.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd

from shoplab.shopgen import (
    catalog,
    competitors,
    crossborder,
    marketing,
    orders,
    platforms,
    service,
    social,
    stock,
    traffic,
)
from shoplab.shopgen.schema import SCHEMA


def _member_tier(customers: pd.DataFrame, o: pd.DataFrame) -> np.ndarray:
    spend = o[o["status"] != "cancelled"].groupby("customer_id")["order_amount"].sum()
    s = spend.reindex(customers["customer_id"]).fillna(0.0).to_numpy()
    tier = np.where(s >= 3000, "platinum", np.where(s >= 1000, "gold", "silver"))
    return np.where(customers["joins_membership"].to_numpy(), tier, "none")


def generate() -> dict[str, pd.DataFrame]:
    products = catalog.products()
    promos = catalog.promotions()
    streams = traffic.stream_schedule()
    plan = marketing.ad_plan(streams)
    sessions, customers = traffic.assign_people(traffic.sessions(streams, plan))
    draft = orders.draft_orders(sessions, customers)
    draft["stream_id"] = marketing.stream_of(draft["order_time"], streams)
    draft.loc[draft["channel"] != "livestream", "stream_id"] = ""
    weeks = orders.test_weeks()
    items = orders.draft_items(draft, products, promos, weeks)
    inventory, pos, items = stock.inventory(items, draft, products)
    o, items, coupons = orders.finalize(draft, items, products, promos, customers)
    customers["member_tier"] = _member_tier(customers, o)
    sessions["order_id"] = sessions["session_id"].map(o.set_index("session_id")["order_id"])
    sessions["viewed_sku"] = traffic.viewed_skus(sessions, items, products)
    rates = catalog.carrier_rates()
    shipments = service.shipments(o, items, products, rates)
    ad_campaigns = marketing.ad_campaigns(plan, o)
    return {
        "products": products,
        "customers": customers,
        "sessions": sessions,
        "orders": o,
        "order_items": items,
        "ad_campaigns": ad_campaigns,
        "ad_holdout": marketing.ad_holdout(ad_campaigns, o),
        "keywords": marketing.keywords(),
        "price_tests": marketing.price_tests(weeks, items, o),
        "promotions": promos,
        "coupons": coupons,
        "inventory": inventory,
        "purchase_orders": pos,
        "reviews": service.reviews(o, items, products, shipments),
        "service_tickets": service.tickets(o, shipments, items, products, customers),
        "livestreams": marketing.livestreams(streams, o, sessions),
        "referrals": social.referrals(customers, sessions, o),
        "carrier_rates": rates,
        "shipments": shipments,
        "fixed_costs": catalog.fixed_costs(),
        "fees": catalog.fees(),
        "cross_border_rates": crossborder.cross_border_rates(),
        "parameters": catalog.parameters(),
        "platforms": platforms.platforms(),
        "competitors": competitors.competitors(),
    }


def _formatted(name: str, df: pd.DataFrame) -> pd.DataFrame:
    table = SCHEMA[name]
    missing = [c for c in table.column_names if c not in df.columns]
    if missing:
        raise KeyError(f"generator for {name} lacks columns {missing}")
    out = df[table.column_names].copy()
    for c in table.columns:
        col = out[c.name]
        if c.dtype == "date":
            out[c.name] = pd.to_datetime(col).dt.strftime("%Y-%m-%d")
        elif c.dtype == "datetime":
            out[c.name] = pd.to_datetime(col).dt.strftime("%Y-%m-%d %H:%M:%S")
        elif c.dtype == "float":
            out[c.name] = col.astype(float).round(4)
        elif c.dtype == "int":
            out[c.name] = col.astype(np.int64)
        elif c.dtype == "bool":
            out[c.name] = col.astype(bool)
        else:
            out[c.name] = col.fillna("").astype(str)
    return out


def write_all(directory: str | os.PathLike) -> None:
    """Write every table; each file appears atomically (written to a temp file, then renamed)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name, df in generate().items():
        out = _formatted(name, df)
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=directory)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                out.to_csv(fh, index=False, lineterminator="\n")
            os.chmod(tmp, 0o644)
            os.replace(tmp, directory / f"{name}.csv")
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
