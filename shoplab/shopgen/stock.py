"""Inventory and purchase orders, with a few real stock-outs.

Replenishment is a periodic-review order-up-to policy (review period per SKU: the products
table's review_period_days) with a perfect demand forecast plus safety days and a supplier
minimum order, so stock never goes negative; a few SKUs are over-forecast (overstock). A few
SKUs get a late supplier delivery: they sell out, the demand that could not be served is
substituted by a similar SKU of the same category (the order lines change), and the inventory
row is flagged `stockout`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shoplab.shopgen.catalog import FLASH_SALES, PRICE_TESTS
from shoplab.shopgen.common import DAYS, N_DAYS, ids, rng_for

# sku -> (first day a delayed delivery is due, extra delay in days)
SUPPLIER_DELAYS = {
    "HW-002": ("2024-10-19", 23),
    "HW-010": ("2025-07-01", 22),
    "HW-028": ("2024-06-01", 20),
    "HW-016": ("2025-09-01", 24),
}
SAFETY_DAYS = 50  # days of demand kept as safety stock: a cautious shop
LEAN_SAFETY_DAYS = 10  # ... except on the delayed SKUs, run lean (no minimum order either),
# which the late deliveries catch
MIN_ORDER_UNITS = 15  # supplier minimum order quantity: slow movers are bought in big lots
# SKUs the buyer over-forecasts (forecast = true demand × factor): the overstock
OVER_FORECAST = {"HW-005": 2.2, "HW-024": 2.0, "HW-014": 1.8, "HW-039": 1.8}


def _simulate(
    demand: np.ndarray,
    lead: int,
    review: int,
    offset: int,
    delay: tuple | None,
    safety: int,
    bias: float,
    min_order: int,
    rng,
) -> tuple[np.ndarray, ...]:
    """One SKU: returns on_hand, received, sold, stockout and a list of POs.

    Every `review` days the shop orders up to the forecast demand over lead time + review
    period + `safety` days (forecast = true demand × `bias`), at least `min_order` units.
    """
    n = len(demand)
    cum = np.r_[0, np.cumsum(demand)] * bias

    def need(a, b):
        return cum[min(b, n)] - cum[min(a, n)]

    on_hand = np.zeros(n, dtype=np.int64)
    received = np.zeros(n, dtype=np.int64)
    sold = np.zeros(n, dtype=np.int64)
    arrivals = np.zeros(n + 60, dtype=np.int64)
    pos = []
    stock = int(need(0, lead + review + safety)) + 5
    pipeline = 0
    delay_day = None if delay is None else (pd.Timestamp(delay[0]) - DAYS[0]).days
    for t in range(n):
        if t % review == offset % review:
            lt = lead + int(rng.integers(-2, 4))
            target = need(t, t + lt + review + safety) * 1.05
            qty = int(np.ceil(target - stock - pipeline))
            qty = max(qty, min_order) if qty > 0 else qty
            arrive = t + max(lt, 1)
            if delay_day is not None and delay_day <= arrive < delay_day + delay[1]:
                arrive = delay_day + delay[1]  # the supplier ships nothing in the window
            if qty > 0 and arrive < n:
                arrivals[arrive] += qty
                pipeline += qty
                pos.append((t, arrive, qty))
        r = int(arrivals[t])
        pipeline -= r
        received[t] = r
        on_hand[t] = stock
        avail = stock + r
        sold[t] = min(int(demand[t]), avail)
        stock = avail - sold[t]
    return on_hand, received, sold, pos


def inventory(items: pd.DataFrame, o: pd.DataFrame, products: pd.DataFrame):
    """Returns (inventory, purchase_orders, items with stock-out substitutions)."""
    rng = rng_for("inventory")
    items = items.copy()
    meta = o.set_index("order_id")
    items["_day"] = (
        items["order_id"].map(meta["order_time"]).dt.normalize() - DAYS[0]
    ).dt.days.to_numpy()
    items["_time"] = items["order_id"].map(meta["order_time"])
    items["_paid"] = ~items["order_id"].map(meta["cancelled"]).astype(bool)
    prod = products.set_index("sku")
    no_sub = set(PRICE_TESTS) | {s for _, _, s, _ in FLASH_SALES} | set(SUPPLIER_DELAYS)
    launch = (prod["launch_date"] - DAYS[0]).dt.days
    rows, po_rows = [], []
    # delayed SKUs first: their lost lines move to other SKUs before those are simulated
    order = list(SUPPLIER_DELAYS) + [s for s in prod.index if s not in SUPPLIER_DELAYS]
    results = {}
    for sku in order:
        mine = items[(items["sku"] == sku) & items["_paid"]]
        demand = np.bincount(mine["_day"], weights=mine["quantity"], minlength=N_DAYS).astype(int)
        lead = int(prod.at[sku, "supplier_lead_days"])
        review = int(prod.at[sku, "review_period_days"])
        lean = sku in SUPPLIER_DELAYS
        oh, rec, sold, pos = _simulate(
            demand,
            lead,
            review,
            int(rng.integers(0, 7)),
            SUPPLIER_DELAYS.get(sku),
            LEAN_SAFETY_DAYS if lean else SAFETY_DAYS,
            OVER_FORECAST.get(sku, 1.0),
            1 if lean else MIN_ORDER_UNITS,
            rng,
        )
        lost_days = np.flatnonzero(sold < demand)
        stockout = (sold < demand) | ((oh + rec) == 0)
        if len(lost_days):
            cat = prod.at[sku, "category"]
            cands = prod[(prod["category"] == cat) & ~prod.index.isin(no_sub)]
            for d in lost_days:
                sub = cands[launch[cands.index] <= d]["popularity"].idxmax()
                day_lines = items[(items["sku"] == sku) & (items["_day"] == d)]
                day_lines = day_lines.sort_values("_time", kind="stable")
                paid = day_lines["_paid"].to_numpy()
                cumq = np.cumsum(np.where(paid, day_lines["quantity"], 0))
                keep = paid & (cumq <= sold[d])
                move = day_lines.index[~keep]
                items.loc[move, "sku"] = sub
                items.loc[move, "unit_price"] = prod.at[sub, "list_price"]
            kept = items[(items["sku"] == sku) & items["_paid"]]
            sold = np.bincount(kept["_day"], weights=kept["quantity"], minlength=N_DAYS).astype(int)
            oh, rec = _rebalance(oh, rec, sold)
        results[sku] = (oh, rec, sold, stockout, pos)
    for sku in prod.index:
        oh, rec, sold, stockout, pos = results[sku]
        rows.append(
            pd.DataFrame(
                {
                    "date": DAYS,
                    "sku": sku,
                    "on_hand": oh,
                    "received": rec,
                    "units_sold": sold,
                    "stockout": stockout,
                }
            )
        )
        cost = prod.at[sku, "unit_cost"]
        for t, a, q in pos:
            po_rows.append((sku, DAYS[t], DAYS[a], q, round(cost * rng.normal(1.0, 0.025), 2)))
    inv = pd.concat(rows, ignore_index=True)
    po = pd.DataFrame(
        po_rows, columns=["sku", "order_date", "received_date", "quantity", "unit_cost"]
    )
    po = po.sort_values(["order_date", "sku"], kind="stable").reset_index(drop=True)
    po.insert(0, "po_id", ids("PO", len(po), 5))
    # merge duplicate (order, sku) lines created by substitution
    items = items.groupby(["order_id", "sku"], sort=True, as_index=False).agg(
        quantity=("quantity", "sum"), unit_price=("unit_price", "first")
    )
    return inv, po, items


def _rebalance(oh, rec, sold):
    """Recompute start-of-day stock after substitution changed a day's sales."""
    stock = oh[0]
    out = np.empty_like(oh)
    for t in range(len(oh)):
        out[t] = stock
        stock = stock + rec[t] - sold[t]
    return out, rec
