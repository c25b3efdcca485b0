"""Orders and order lines, then their money: discounts, coupons, shipping fee, carrier.

Split in two passes because stock-outs (inventory module) substitute some lines before the
totals are computed: `draft_orders` -> `draft_items` (+ price-test lines) -> inventory ->
`finalize`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shoplab.shopgen.catalog import FLASH_SALES, PRICE_TESTS
from shoplab.shopgen.common import (
    CARRIERS,
    DAYS,
    N_DAYS,
    PRICE_TEST_START,
    PRICE_TEST_WEEKS,
    festival_factor,
    ids,
    rng_for,
)

# The new-product launch (新品上线): the multi-cooker's demand ramps up over its first weeks and
# takes sales from the rice cooker beside it (cannibalisation, beyond its proportional share).
LAUNCH_SKU = "HW-032"
CANNIBALISED_SKU = "HW-029"
LAUNCH_RAMP_DAYS = 56  # demand grows linearly from a tenth to full over eight weeks
LAUNCH_PEAK = 3.0  # full demand, × the catalogue's weight: the launch is a hit
CANNIBALISATION = 0.4  # at full ramp the rice cooker loses this share of its own weight


# P(cancelled) of an order: livestream impulse buys are cancelled more often
CANCEL_RATE = {"livestream": 0.07, "other": 0.045}
# distinct SKUs drawn per order: P(1, 2, 3, 4 draws) on festival days and other days
LINES_P = {"festival": [0.58, 0.28, 0.10, 0.04], "other": [0.71, 0.21, 0.06, 0.02]}
FESTIVAL_LINES_FROM = 1.3  # festival_factor above which a day counts as a festival day
POPULARITY_PRICE_EXP = 0.55  # choice weight = popularity × (list price / 100)**this
# the channels' category affinities: livestream sells cookware and appliances, the
# mini-program tableware and storage (weight multipliers; every other category × the last)
CHANNEL_AFFINITY = {
    "livestream": (("Cookware", "Small appliances"), 2.2, 0.7),
    "mini_program": (("Tableware", "Storage"), 1.6, 1.0),
}
FLASH_WEIGHT = 5.0  # a SKU on a flash sale is this many times likelier to be chosen
# units per line: 1 + Bernoulli(q) + Bernoulli(q × SECOND_UNIT), q by price band (¥)
QTY_BANDS = ((60, 0.30), (200, 0.14), (np.inf, 0.04))
SECOND_UNIT = 0.3


def channel_affinity(category: np.ndarray) -> dict[str, np.ndarray]:
    """Per channel, each SKU's choice-weight multiplier from its category."""
    out = {"platform": np.ones(len(category))}
    for ch, (cats, inside, outside) in CHANNEL_AFFINITY.items():
        out[ch] = np.where(np.isin(category, list(cats)), inside, outside)
    return out


def extra_unit_p(price: np.ndarray) -> np.ndarray:
    """q of QTY_BANDS: the chance of a line's second unit, by unit price."""
    (lo, q_lo), (mid, q_mid), (_, q_hi) = QTY_BANDS
    return np.where(price < lo, q_lo, np.where(price < mid, q_mid, q_hi))


def draft_orders(s: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    rng = rng_for("orders")
    o = s.loc[
        s["placed_order"],
        [
            "session_id",
            "customer_id",
            "start_time",
            "channel",
            "device",
            "traffic_source",
            "campaign_id",
        ],
    ].reset_index(drop=True)
    o.insert(0, "order_id", ids("O", len(o), 7))
    start = o.pop("start_time")
    end_of_day = start.dt.normalize() + pd.Timedelta(hours=23, minutes=59, seconds=59)
    # placed a few minutes into the visit, on the same day
    o["order_time"] = np.minimum(
        start + pd.to_timedelta(rng.integers(90, 1500, len(o)), unit="s"), end_of_day
    )
    p_cancel = np.where(
        o["channel"] == "livestream", CANCEL_RATE["livestream"], CANCEL_RATE["other"]
    )
    o["cancelled"] = rng.random(len(o)) < p_cancel
    zone = customers.set_index("customer_id")["ship_zone"]
    o["zone"] = zone.reindex(o["customer_id"]).to_numpy()
    return o


def charm(x: np.ndarray) -> np.ndarray:
    """Round a discounted price to the nearest ...9 yuan."""
    return np.maximum(np.round(x / 10.0) * 10.0 - 1.0, 9.9)


def test_weeks() -> pd.DataFrame:
    """Which price each test SKU had in each test week (balanced, shuffled levels)."""
    rng = rng_for("price_tests")
    rows = []
    for sku, (levels, _, _) in PRICE_TESTS.items():
        reps = PRICE_TEST_WEEKS // len(levels)
        order = rng.permutation(np.repeat(levels, reps))
        sessions = rng.poisson(300 * rng.lognormal(0, 0.12, len(order)))
        for w, price in enumerate(order):
            rows.append((PRICE_TEST_START + pd.Timedelta(weeks=w), sku, float(price), sessions[w]))
    return pd.DataFrame(rows, columns=["week_start", "sku", "price", "sessions"])


def draft_items(
    o: pd.DataFrame, products: pd.DataFrame, promos: pd.DataFrame, weeks: pd.DataFrame
) -> pd.DataFrame:
    rng = rng_for("order_items")
    n_sku = len(products)
    sku = products["sku"].to_numpy()
    lp = products["list_price"].to_numpy()
    day = ((o["order_time"].dt.normalize() - DAYS[0]).dt.days).to_numpy()
    fest = festival_factor(DAYS)[day] > FESTIVAL_LINES_FROM
    p_lines = np.where(fest[:, None], [LINES_P["festival"]], [LINES_P["other"]])
    n_lines = (rng.random(len(o))[:, None] > p_lines.cumsum(axis=1)).sum(axis=1) + 1
    n_lines = np.minimum(n_lines, 4)
    line_order = np.repeat(np.arange(len(o)), n_lines)
    line_day = day[line_order]
    line_ch = o["channel"].to_numpy()[line_order]
    # weights per (day, channel)
    launch = ((products["launch_date"] - DAYS[0]).dt.days).to_numpy()
    base = (
        products["popularity"].to_numpy()
        * (products["list_price"].to_numpy() / 100) ** POPULARITY_PRICE_EXP
    )
    aff = channel_affinity(products["category"].to_numpy())
    flash = promos[promos["promo_type"] == "flash_sale"]
    flash_price = np.full((N_DAYS, n_sku), np.nan)
    for r in flash.itertuples():
        j = int(np.flatnonzero(sku == r.sku)[0])
        d0, d1 = (r.start_date - DAYS[0]).days, (r.end_date - DAYS[0]).days
        flash_price[d0 : d1 + 1, j] = charm(lp[j] * (1 - r.discount_pct))
    test_price = np.full((N_DAYS, n_sku), np.nan)
    for r in weeks.itertuples():
        j = int(np.flatnonzero(sku == r.sku)[0])
        d0 = (r.week_start - DAYS[0]).days
        test_price[d0 : d0 + 7, j] = r.price
    chosen = np.empty(len(line_order), dtype=int)
    key = (
        line_day * 3
        + pd.Series(line_ch).map({"platform": 0, "livestream": 1, "mini_program": 2}).to_numpy()
    )
    sorter = np.argsort(key, kind="stable")
    bounds = np.flatnonzero(np.diff(key[sorter])) + 1
    effect = launch_effect(products)
    for grp in np.split(sorter, bounds):
        d, ch = line_day[grp[0]], line_ch[grp[0]]
        w = base * aff[ch] * (launch <= d) * effect[d]
        w = w * np.where(np.isnan(flash_price[d]), 1.0, FLASH_WEIGHT)
        if ch == "platform":
            w = w * np.isnan(test_price[d])  # test SKUs are sold on the platform only via the test
        chosen[grp] = rng.choice(n_sku, len(grp), p=w / w.sum())
    items = pd.DataFrame({"oi": line_order, "j": chosen}).drop_duplicates(["oi", "j"])
    price = lp[items["j"]]
    fp = flash_price[day[items["oi"]], items["j"]]
    price = np.where(np.isnan(fp), price, fp)
    q_p = extra_unit_p(price)
    qty = 1 + (rng.random(len(items)) < q_p) + (rng.random(len(items)) < q_p * SECOND_UNIT)
    items = pd.DataFrame(
        {
            "order_id": o["order_id"].to_numpy()[items["oi"]],
            "sku": sku[items["j"]],
            "quantity": qty,
            "unit_price": price,
        }
    )
    items = pd.concat([items, _price_test_lines(o, weeks, products)], ignore_index=True)
    return pd.concat([items, _threshold_top_ups(o, items, products, promos)], ignore_index=True)


TOP_UP_GAP = 0.2  # a basket within this share of the next 满减 threshold below it ...
TOP_UP_RATE = 0.5  # ... gets a line added to cross it this often (the threshold effect)


def _threshold_top_ups(
    o: pd.DataFrame, items: pd.DataFrame, products: pd.DataFrame, promos: pd.DataFrame
) -> pd.DataFrame:
    """满减 bunching: during a threshold promotion some baskets just short of the next
    threshold add one cheap line at list price that lifts them over it (凑单)."""
    rng = rng_for("threshold_top_ups")
    gross = (items["quantity"] * items["unit_price"]).groupby(items["order_id"]).sum()
    g = gross.reindex(o["order_id"]).to_numpy()
    odate = o["order_time"].dt.normalize()
    step = np.full(len(o), np.nan)  # the threshold ladder in force: 满T or 每满T
    per_every = np.zeros(len(o), dtype=bool)
    for r in promos[promos["promo_type"].isin(["festival", "spend_threshold"])].itertuples():
        on = ((odate >= r.start_date) & (odate <= r.end_date)).to_numpy()
        step[on], per_every[on] = r.threshold, r.promo_type == "festival"
    target = np.where(per_every, np.floor(g / step) * step + step, step)
    gap = target - g
    short = (gap > 0) & (gap <= TOP_UP_GAP * step) & (rng.random(len(o)) < TOP_UP_RATE)
    # fillers: everyday SKUs (no price test or flash sale) at list price, cheapest first
    special = set(PRICE_TESTS) | {sku for _, _, sku, _ in FLASH_SALES}
    pool = products[~products["sku"].isin(special)].sort_values("list_price")
    price, launch = pool["list_price"].to_numpy(), pool["launch_date"].to_numpy()
    rows = []
    have = set(zip(items["order_id"], items["sku"], strict=True))
    for i in np.flatnonzero(short):
        ok = (price >= gap[i]) & (launch <= odate.iloc[i].to_datetime64())
        cand = np.flatnonzero(ok)[:3]  # one of the three cheapest that close the gap
        if len(cand) == 0:
            continue
        j = cand[rng.integers(len(cand))]
        oid, sku = o["order_id"].iloc[i], pool["sku"].iloc[j]
        if (oid, sku) not in have:
            rows.append((oid, sku, 1, float(price[j])))
    return pd.DataFrame(rows, columns=["order_id", "sku", "quantity", "unit_price"])


def launch_effect(products: pd.DataFrame) -> np.ndarray:
    """Per day and SKU, the weight multiplier of the launch: its ramp and the neighbour's loss."""
    sku = products["sku"].to_numpy()
    start = (products.set_index("sku").at[LAUNCH_SKU, "launch_date"] - DAYS[0]).days
    since = np.arange(N_DAYS) - start
    ramp = np.clip(0.1 + 0.9 * since / LAUNCH_RAMP_DAYS, 0.0, 1.0) * (since >= 0)
    effect = np.ones((N_DAYS, len(sku)))
    effect[:, sku == LAUNCH_SKU] = LAUNCH_PEAK * ramp[:, None]
    effect[:, sku == CANNIBALISED_SKU] = 1.0 - CANNIBALISATION * ramp[:, None]
    return effect


def _price_test_lines(o: pd.DataFrame, weeks: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """Units for the test SKUs: constant-elasticity demand, placed into paid platform orders."""
    rng = rng_for("price_test_demand")
    ref = products.set_index("sku")["list_price"]
    week = o["order_time"].dt.normalize() - pd.to_timedelta(
        o["order_time"].dt.day_of_week, unit="D"
    )
    eligible = (o["channel"] == "platform") & ~o["cancelled"]
    out = []
    for r in weeks.itertuples():
        levels, elast, bump = PRICE_TESTS[r.sku]
        # constant elasticity around the list price; the charm SKU sells a bit more at ...9
        mu = r.sessions * 0.075 * (r.price / ref[r.sku]) ** elast * (1 + bump * (r.price % 10 == 9))
        units = int(round(mu * rng.lognormal(0, 0.05)))
        qty = []
        while sum(qty) < units:
            qty.append(min(1 + int(rng.random() < 0.12), units - sum(qty)))
        pool = o.loc[eligible & (week == r.week_start), "order_id"].to_numpy()
        chosen = rng.choice(pool, len(qty), replace=False)
        out.append(
            pd.DataFrame({"order_id": chosen, "sku": r.sku, "quantity": qty, "unit_price": r.price})
        )
    return pd.concat(out, ignore_index=True)


# P(refunded) of a paid order: the channel's base × (1 + REFUND_QUALITY × (1 − worst quality))
REFUND_BASE = {"platform": 0.04, "livestream": 0.075, "mini_program": 0.03}
REFUND_QUALITY = 3.0
FREE_SHIPPING_FROM, SHIPPING_FEE = 99, 8.0  # livestream orders always ship free
# carrier shares (CARRIERS' order) of orders with a small appliance (heavy) and of the rest
CARRIER_P = {"heavy": [0.15, 0.25, 0.20, 0.40], "light": [0.18, 0.42, 0.27, 0.13]}


def finalize(
    o: pd.DataFrame,
    items: pd.DataFrame,
    products: pd.DataFrame,
    promos: pd.DataFrame,
    customers: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Totals, status, discounts, coupons, shipping fee, carrier.

    Returns (orders, items, coupons).
    """
    rng = rng_for("orders_finalize")
    items = items.copy()
    items["line_amount"] = (items["quantity"] * items["unit_price"]).round(2)
    items = items.sort_values(["order_id", "sku"], kind="stable").reset_index(drop=True)
    o = o.copy()
    gross = items.groupby("order_id")["line_amount"].sum()
    o["gross_amount"] = gross.reindex(o["order_id"]).to_numpy().round(2)
    prod = products.set_index("sku")
    q = items["sku"].map(prod["quality"])
    worst = q.groupby(items["order_id"]).min().reindex(o["order_id"]).to_numpy()
    base = o["channel"].map(REFUND_BASE)
    refunded = ~o["cancelled"] & (
        rng.random(len(o)) < base.to_numpy() * (1 + REFUND_QUALITY * (1 - worst))
    )
    o["status"] = np.where(o["cancelled"], "cancelled", np.where(refunded, "refunded", "completed"))
    # order-level promotions
    odate = o["order_time"].dt.normalize()
    o["promo_id"] = ""
    disc = np.zeros(len(o))
    g = o["gross_amount"].to_numpy()
    for r in promos.itertuples():
        if r.promo_type not in ("festival", "spend_threshold", "gift"):
            continue
        act = ((odate >= r.start_date) & (odate <= r.end_date)).to_numpy() & (g >= r.threshold)
        if r.promo_type == "festival":
            disc[act] = np.floor(g[act] / r.threshold) * r.discount_value
        elif r.promo_type == "spend_threshold":
            disc[act] = r.discount_value
        o.loc[act, "promo_id"] = r.promo_id
    # orders that used a flash-sale price and no other promotion carry the flash promo id
    flash = promos[promos["promo_type"] == "flash_sale"]
    it_date = items["order_id"].map(o.set_index("order_id")["order_time"]).dt.normalize()
    for r in flash.itertuples():
        hit = (items["sku"] == r.sku) & (it_date >= r.start_date) & (it_date <= r.end_date)
        oid = set(items.loc[hit, "order_id"])
        m = o["order_id"].isin(oid) & (o["promo_id"] == "")
        o.loc[m, "promo_id"] = r.promo_id
    coupons = _coupons(o, promos, customers, rng)
    used = coupons[coupons["redeemed_order_id"] != ""].set_index("redeemed_order_id")
    o["coupon_id"] = used["coupon_id"].reindex(o["order_id"]).fillna("").to_numpy()
    disc = disc + used["face_value"].reindex(o["order_id"]).fillna(0.0).to_numpy()
    o["discount_amount"] = disc.round(2)
    o["order_amount"] = (o["gross_amount"] - o["discount_amount"]).round(2)
    free = (o["channel"] == "livestream") | (o["order_amount"] >= FREE_SHIPPING_FROM)
    o["shipping_fee"] = np.where(free, 0.0, SHIPPING_FEE)
    heavy = (
        items["sku"].map(prod["category"]).eq("Small appliances").groupby(items["order_id"]).any()
    )
    heavy = heavy.reindex(o["order_id"]).to_numpy()
    p = np.where(heavy[:, None], [CARRIER_P["heavy"]], [CARRIER_P["light"]])
    o["carrier"] = CARRIERS[(rng.random(len(o))[:, None] > p.cumsum(axis=1)).sum(axis=1).clip(0, 3)]
    return o, items, coupons


LOYAL_FROM = pd.Timestamp("2024-04-01")  # the loyal batch needs a quarter of history first
LOYAL_MIN_ORDERS = 3  # paid orders in the last 365 days that make a customer loyal


def _coupons(o, promos, customers, rng) -> pd.DataFrame:
    """Issue coupon batches and redeem each on the holder's first eligible paid order."""
    paid = o[o["status"] != "cancelled"][["order_id", "customer_id", "order_time", "gross_amount"]]
    paid = paid.assign(d=paid["order_time"].dt.normalize())
    batches = []
    pid = promos.set_index("name")["promo_id"]
    new = customers[customers["signup_date"] >= DAYS[0]]
    batches.append(
        (
            pid["New-member coupon"],
            new["customer_id"].to_numpy(),
            new["signup_date"].to_numpy(),
            29,
            20.0,
            199.0,
            0.72,
        )
    )
    for qs in pd.date_range(DAYS[0], DAYS[-1], freq="QS"):
        before = paid[paid["d"] < qs]
        last_d = before.groupby("customer_id")["d"].max()
        c = customers[customers["signup_date"] < qs - pd.Timedelta(days=180)].set_index(
            "customer_id"
        )
        lastc = last_d.reindex(c.index)
        dormant = c.index[(lastc.isna() | (lastc < qs - pd.Timedelta(days=180))).to_numpy()]
        pick = np.sort(rng.choice(len(dormant), int(len(dormant) * 0.2), replace=False))
        batches.append(
            (
                pid["Win-back coupon"],
                dormant.to_numpy()[pick],
                np.full(len(pick), qs.to_datetime64()),
                29,
                30.0,
                299.0,
                0.85,
            )
        )
    for qs in pd.date_range(LOYAL_FROM, DAYS[-1], freq="QS"):
        year = paid[(paid["d"] < qs) & (paid["d"] >= qs - pd.Timedelta(days=365))]
        n_orders = year.groupby("customer_id").size()
        loyal = np.sort(n_orders.index[n_orders >= LOYAL_MIN_ORDERS].to_numpy())
        batches.append(
            (
                pid["Loyal-customer coupon"],
                loyal,
                np.full(len(loyal), qs.to_datetime64()),
                29,
                20.0,
                199.0,
                0.85,
            )
        )
    for y in (2024, 2025):
        for name, issue, end, face, min_spend in (
            (f"618 store coupon {y}", f"{y}-05-28", f"{y}-06-18", 30.0, 299.0),
            (f"Double 11 store coupon {y}", f"{y}-10-18", f"{y}-11-11", 50.0, 399.0),
        ):
            issue, end = pd.Timestamp(issue), pd.Timestamp(end)
            # claimed mostly by recently active buyers
            recent = paid[(paid["d"] < issue) & (paid["d"] >= issue - pd.Timedelta(days=365))]
            c = np.sort(recent["customer_id"].unique())
            pick = np.sort(rng.choice(len(c), int(len(c) * 0.45), replace=False))
            batches.append(
                (
                    pid[name],
                    c[pick],
                    np.full(len(pick), issue.to_datetime64()),
                    (end - issue).days,
                    face,
                    min_spend,
                    0.85,
                )
            )
    out = []
    taken: set[str] = set()
    for promo_id, cust, issued, valid, face, min_spend, p_use in batches:
        b = pd.DataFrame(
            {"promo_id": promo_id, "customer_id": cust, "issued_date": pd.DatetimeIndex(issued)}
        )
        b["expiry_date"] = b["issued_date"] + pd.Timedelta(days=valid)
        b["face_value"], b["min_spend"] = face, min_spend
        b["k"] = np.arange(len(b))
        m = b.merge(paid, on="customer_id")
        m = m[
            (m["d"] >= m["issued_date"])
            & (m["d"] <= m["expiry_date"])
            & (m["gross_amount"] >= min_spend)
            & ~m["order_id"].isin(taken)
        ]
        m = m.sort_values(["k", "order_time"]).drop_duplicates("k")
        m = m[rng.random(len(m)) < p_use].drop_duplicates("order_id")
        b["redeemed_order_id"] = m.set_index("k")["order_id"].reindex(b["k"]).fillna("").to_numpy()
        taken.update(m["order_id"])
        out.append(b.drop(columns="k"))
    c = pd.concat(out, ignore_index=True)
    c = c.sort_values(["issued_date", "promo_id", "customer_id"], kind="stable").reset_index(
        drop=True
    )
    c.insert(0, "coupon_id", ids("CP", len(c), 6))
    return c
