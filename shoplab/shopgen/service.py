"""After the sale: shipments, reviews and customer-service tickets.

Cause and effect are built in so lessons find them: late deliveries lower the logistics DSR and
trigger logistics tickets; low-quality SKUs get worse ratings, more quality tickets and more
refunds; slow first responses make customers less satisfied; festival peaks slow everything.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shoplab.shopgen.common import END, ids, rng_for

# Slow-down of parcels and service on 10–20 November and 17–24 June (first responses: its square).
CONGESTION_DOUBLE_11, CONGESTION_618 = 1.45, 1.3
# Share of reviews the shop replies to, by rating: 1–2 stars, and 3 stars.
REPLY_RATE_NEGATIVE, REPLY_RATE_MIDDLING = 0.6, 0.12
# Chance a ticket is reopened before the buyer's mood and escalation are counted.
REOPEN_BASE = {"presale": 0.01, "usage": 0.04, "logistics": 0.05, "quality": 0.09, "refund": 0.08}


def _congestion(ts: pd.Series) -> np.ndarray:
    """Slow-down factor for parcels and service around the festival peaks and Spring Festival."""
    m, d = ts.dt.month.to_numpy(), ts.dt.day.to_numpy()
    f = np.ones(len(ts))
    f[(m == 11) & (d >= 10) & (d <= 20)] = CONGESTION_DOUBLE_11
    f[(m == 6) & (d >= 17) & (d <= 24)] = CONGESTION_618
    for cny in ("2024-02-10", "2025-01-29"):
        c = pd.Timestamp(cny)
        f[((ts >= c - pd.Timedelta(days=7)) & (ts <= c + pd.Timedelta(days=6))).to_numpy()] = 1.8
    return f


PACKAGING_KG = 0.2  # a parcel weighs its goods plus this


def shipments(o, items, products, rates):
    rng = rng_for("shipments")
    paid = o[o["status"] != "cancelled"].reset_index(drop=True)
    w = items["quantity"] * items["sku"].map(products.set_index("sku")["weight_kg"])
    weight = (
        w.groupby(items["order_id"]).sum().reindex(paid["order_id"]).to_numpy() + PACKAGING_KG
    ).round(2)
    r = rates.set_index(["carrier", "zone"]).reindex(
        pd.MultiIndex.from_arrays([paid["carrier"], paid["zone"]])
    )
    cost = r["first_kg_cost"].to_numpy() + r["extra_kg_cost"].to_numpy() * (np.ceil(weight) - 1)
    cong = _congestion(paid["order_time"])
    ship_h = rng.lognormal(np.log(14.0), 0.55, len(paid)) * cong
    ship_time = paid["order_time"] + pd.to_timedelta(np.round(ship_h * 3600), unit="s")
    promised = r["promised_days"].to_numpy()
    slow = np.where(paid["carrier"].isin(["ZTO", "YTO"]) & (paid["zone"] == "remote"), 1.15, 1.0)
    typical = np.where(paid["carrier"].isin(["SF Express", "JD Logistics"]), 0.62, 0.78)
    transit_h = promised * 24 * rng.lognormal(np.log(typical), 0.28) * cong * slow
    delivered = ship_time + pd.to_timedelta(np.round(transit_h * 3600), unit="s")
    return pd.DataFrame(
        {
            "order_id": paid["order_id"],
            "carrier": paid["carrier"],
            "zone": paid["zone"],
            "ship_time": ship_time,
            "delivered_time": delivered,
            "weight_kg": weight,
            "shipping_cost": cost.round(2),
            "on_time": transit_h <= promised * 24,
        }
    )


def reviews(o, items, products, shipments):
    rng = rng_for("reviews")
    done = o.loc[o["status"] == "completed", ["order_id"]]
    lines = items.merge(done, on="order_id").merge(
        shipments[["order_id", "delivered_time", "on_time"]], on="order_id"
    )
    lines = lines[rng.random(len(lines)) < 0.32].reset_index(drop=True)
    n = len(lines)
    q = lines["sku"].map(products.set_index("sku")["quality"]).to_numpy()
    late = (~lines["on_time"]).to_numpy().astype(float)
    rating = np.clip(np.round(0.6 + 4.5 * q + rng.normal(0, 0.9, n) - 0.7 * late), 1, 5)
    low = rating <= 2

    def star(x):
        return np.clip(np.round(x), 1, 5).astype(int)

    r = pd.DataFrame(
        {
            "order_id": lines["order_id"],
            "sku": lines["sku"],
            "review_date": (
                lines["delivered_time"].dt.normalize()
                + pd.to_timedelta(rng.integers(0, 11, n), unit="D")
            ),
            "rating": rating.astype(int),
            "dsr_description": star(rating + rng.normal(0.1, 0.5, n)),
            "dsr_service": star(4.7 + rng.normal(0, 0.45, n) - 0.6 * low),
            "dsr_logistics": star(4.8 + rng.normal(0, 0.4, n) - 1.7 * late),
            "has_text": rng.random(n) < 0.42 + 0.4 * low,
            "has_photo": rng.random(n) < 0.16 + 0.2 * low,
        }
    )
    r = r[r["review_date"] <= END].sort_values(["review_date", "order_id", "sku"], kind="stable")
    r = r.reset_index(drop=True)
    r.insert(0, "review_id", ids("R", len(r), 6))
    r["seller_reply_date"] = _seller_replies(r)
    return r


def _seller_replies(r: pd.DataFrame) -> pd.Series:
    """The shop answers most negative reviews, a few middling ones, within days (slower at peaks).

    Its own stream, drawn after the reviews are final, so the reviews' other columns keep their
    bytes. Replies are not planted to change anything later: what they do is for the data to show.
    """
    rng = rng_for("reviews.seller_reply")
    n = len(r)
    p = np.select([r["rating"] <= 2, r["rating"] == 3], [REPLY_RATE_NEGATIVE, REPLY_RATE_MIDDLING])
    lag = np.ceil(rng.exponential(1.2, n) * _congestion(r["review_date"]))
    day = r["review_date"] + pd.to_timedelta(lag, unit="D")
    return day.where((rng.random(n) < p) & (day <= END))


def tickets(o, shipments, items, products, customers):
    rng = rng_for("service_tickets")
    prod = products.set_index("sku")
    sh = shipments.merge(o[["order_id", "customer_id", "order_time", "status"]], on="order_id")
    n = len(sh)
    worst_q = (
        items["sku"]
        .map(prod["quality"])
        .groupby(items["order_id"])
        .min()
        .reindex(sh["order_id"])
        .to_numpy()
    )
    appliance = (
        items["sku"]
        .map(prod["category"])
        .eq("Small appliances")
        .groupby(items["order_id"])
        .any()
        .reindex(sh["order_id"])
        .to_numpy()
    )
    late = ~sh["on_time"].to_numpy()
    refunded = (sh["status"] == "refunded").to_numpy()
    parts = []

    def add(mask, category, at):
        parts.append(
            pd.DataFrame(
                {
                    "order_id": sh["order_id"][mask],
                    "customer_id": sh["customer_id"][mask],
                    "created_at": at[mask],
                    "category": category,
                }
            )
        )

    hours = pd.to_timedelta(rng.uniform(2, 120, n), unit="h")
    add(
        rng.random(n) < np.where(late, 0.30, 0.015),
        "logistics",
        sh["ship_time"] + pd.to_timedelta(rng.uniform(24, 96, n), unit="h"),
    )
    add(rng.random(n) < 0.35 * (1 - worst_q), "quality", sh["delivered_time"] + hours)
    add(rng.random(n) < np.where(appliance, 0.07, 0.01), "usage", sh["delivered_time"] + hours)
    add(refunded & (rng.random(n) < 0.6), "refund", sh["delivered_time"] + hours)
    pre = o.sample(frac=0.10, random_state=rng.integers(1 << 30)).sort_values("order_time")
    parts.append(
        pd.DataFrame(
            {
                "order_id": "",
                "customer_id": pre["customer_id"],
                "created_at": pre["order_time"]
                - pd.to_timedelta(rng.integers(300, 3600, len(pre)), unit="s"),
                "category": "presale",
            }
        )
    )
    t = pd.concat(parts, ignore_index=True)
    t["created_at"] = t["created_at"].dt.floor("s")
    t = t[t["created_at"] <= END + pd.Timedelta(hours=23, minutes=59)]
    t = t.sort_values(["created_at", "customer_id", "category"], kind="stable").reset_index(
        drop=True
    )
    m = len(t)
    cong = _congestion(t["created_at"])
    phone = rng.random(m) < np.where(t["category"].isin(["refund", "quality"]), 0.25, 0.08)
    med = np.where(phone, 45.0, 18.0) * cong**2
    first = np.round(rng.lognormal(np.log(med), 0.8)).astype(int) + 3
    res_med = (
        t["category"]
        .map({"presale": 0.2, "usage": 2.0, "logistics": 20.0, "quality": 30.0, "refund": 40.0})
        .to_numpy()
    )
    resolution = rng.lognormal(np.log(res_med), 0.7).round(2)
    escalated = rng.random(m) < (
        0.03 + 0.12 * t["category"].isin(["quality", "refund"]).to_numpy() + 0.10 * (first > 120)
    )
    logit = 2.6 - 0.012 * first - 0.02 * resolution - 1.6 * escalated
    satisfied = rng.random(m) < 1 / (1 + np.exp(-logit))
    t.insert(0, "ticket_id", ids("T", m, 6))
    t["contact_channel"] = np.where(phone, "phone", "chat")
    t["first_response_seconds"] = first
    t["resolution_hours"] = resolution
    t["escalated"] = escalated
    t["satisfied"] = satisfied
    t["reopened"] = _reopened(t)
    return t


def _reopened(t: pd.DataFrame) -> np.ndarray:
    """A ticket comes back when the fix did not hold: more often when the buyer was unhappy or
    it was escalated, and for quality and refund cases; presale questions hardly ever.

    Its own stream, so the tickets' other columns keep their bytes.
    """
    rng = rng_for("service_tickets.reopened")
    base = t["category"].map(REOPEN_BASE).to_numpy()
    p = base + 0.18 * ~t["satisfied"].to_numpy() + 0.08 * t["escalated"].to_numpy()
    return rng.random(len(t)) < p
