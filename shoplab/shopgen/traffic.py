"""Visits, the checkout funnel and who the visitors are: sessions, customers, livestream slots.

Sessions are drawn day by day (growth, weekly/yearly seasonality, 618 and Double 11), then the
funnel flags are drawn as conditional steps so they are monotone by construction. Buyers are
assigned afterwards: a new visitor's first order creates a customer; returning orders go to
existing, still-active customers weighted by a heavy-tailed purchase propensity (repeat buyers)
with a churn date (dormant members).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shoplab.shopgen.common import (
    AB_END,
    AB_LIFT,
    AB_START,
    CART_WAIT,
    DAYS,
    N_DAYS,
    SOURCES,
    base_traffic,
    festival_factor,
    ids,
    in_promo_conversion,
    pre_festival,
    pull_forward,
    rng_for,
)

SESSION_SCALE = 620.0  # organic visits a day before seasonality (ad clicks come on top)
KOL_FEES = [600.0, 1000.0, 1600.0, 2400.0, 4000.0]  # slot fees (坑位费) of regular KOL nights
FESTIVAL_KOL_FEE = 12000.0  # the big KOL slots on 618, 31 Oct and Double 11
# every brand wants a festival night: its slot costs this many times a regular slot with the
# same audience
FESTIVAL_SLOT_PREMIUM = 2.5
KOL_COMMISSION = (0.10, 0.20)  # 达人佣金 on the stream's GMV, drawn per regular slot
FESTIVAL_KOL_COMMISSION = 0.25  # the big names take more of the GMV as well
# extra visits a KOL night brings: KOL_EXTRA_SESSIONS at a regular slot of KOL_REFERENCE_FEE,
# growing with the square root of the fee (a bigger audience, not in proportion to the price)
KOL_EXTRA_SESSIONS, KOL_REFERENCE_FEE = 1000.0, 2000.0
KOL_CONVERSION = 1.35  # viewers of a KOL stream convert better (cart and checkout steps)
# customers won on the mini-program: × repeat propensity and × expected life before churn
MINI_PROGRAM_PROPENSITY, MINI_PROGRAM_LIFE = 2.0, 1.5
# the funnel's step probabilities before segment multipliers (see `sessions`)
CART_GIVEN_VIEW = 0.10
CHECKOUT_GIVEN_CART = {"mobile": 0.38, "pc": 0.62}
ORDER_GIVEN_CHECKOUT = {"mobile": 0.78, "pc": 0.84}
# caps on the cart, checkout and order steps' probabilities
STEP_CAPS = (0.95, 0.95, 0.97)
# P(viewed a product) by traffic source (SOURCES' order)
VIEW_GIVEN_SOURCE = [0.50, 0.62, 0.52, 0.38, 0.48]
# segment multipliers of the funnel's steps
RETURNING_CART_LIFT, LIVESTREAM_CART_LIFT, RETURNING_ORDER_LIFT = 1.18, 1.12, 1.04
# organic visits' sales channel: livestream's share grows by the second number a year
LIVESTREAM_SHARE, MINI_PROGRAM_SHARE = (0.12, 0.05), 0.10
# share of returning visitors by channel (platform, livestream, mini_program); retargeting's
# clicks (the campaign below) come back far more often
RETURNING_SHARE = [0.36, 0.24, 0.55]
RETARGETING_CAMPAIGN, RETARGETING_RETURNING = "AD04", 0.9
# P(mobile): platform at office hours (weekdays 9-18) / other times, livestream, mini-program
MOBILE_SHARE = {"office": 0.60, "other": 0.82, "livestream": 0.97, "mini_program": 1.0}
OFFICE_HOURS = (9, 18)
IN_STREAM_SHARE = 0.85  # livestream visits on a stream night that fall inside the stream
# organic visits' traffic source by channel (SOURCES' order); ad visits are source "ads"
SOURCE_MIX = {
    "platform": [0.62, 0.0, 0.04, 0.10, 0.24],
    "livestream": [0.0, 0.0, 0.93, 0.07, 0.0],
    "mini_program": [0.0, 0.0, 0.0, 0.62, 0.38],
}
HOUR_W = np.array(
    [
        1.2,
        0.7,
        0.4,
        0.3,
        0.3,
        0.4,
        0.8,
        1.5,
        2.5,
        3.5,
        4.0,
        4.2,
        4.5,
        4.0,
        3.8,
        3.8,
        3.9,
        4.0,
        4.3,
        5.0,
        6.0,
        6.5,
        5.5,
        3.0,
    ]
)


def stream_schedule() -> pd.DataFrame:
    """Livestream slots: own-staff evening streams (more in 2025) and paid KOL streams."""
    rng = rng_for("livestreams")
    rows = []
    fest_days = festival_factor(DAYS) > 1.3
    for day, fest in zip(DAYS, fest_days, strict=True):
        own_days = {2024: (2, 4, 5), 2025: (0, 2, 3, 4, 5)}[day.year]
        if day.day_of_week in own_days or fest:
            dur = int(rng.integers(8, 17) * 15)
            start = day + pd.Timedelta(hours=19, minutes=int(rng.choice([0, 30])))
            fee = round(float(rng.normal(300, 40)), 2)
            rows.append((day, start, "own_staff", fee, dur, 0.0, 0.0))
    for month in pd.date_range(DAYS[0], DAYS[-1], freq="MS"):
        n = 1 if month.year == 2024 else 2
        for d in sorted(rng.choice(np.arange(1, 28), n, replace=False)):
            day = month + pd.Timedelta(days=int(d) - 1)
            fee = float(rng.choice(KOL_FEES))
            dur = int(rng.integers(12, 16) * 15)
            rate = round(float(rng.uniform(*KOL_COMMISSION)), 2)
            rows.append((day, day + pd.Timedelta(hours=20), "kol", fee, dur, rate, fee))
    for y in (2024, 2025):
        for day in (f"{y}-06-18", f"{y}-11-11", f"{y}-10-31"):
            d = pd.Timestamp(day)
            audience = FESTIVAL_KOL_FEE / FESTIVAL_SLOT_PREMIUM
            rows.append(
                (
                    d,
                    d + pd.Timedelta(hours=20),
                    "kol",
                    FESTIVAL_KOL_FEE,
                    225,
                    FESTIVAL_KOL_COMMISSION,
                    audience,
                )
            )
    s = pd.DataFrame(
        rows,
        columns=[
            "date",
            "start_time",
            "host_type",
            "host_fee",
            "duration_minutes",
            "commission_rate",
            "audience_fee",  # the regular slot fee with this audience (not in the table)
        ],
    )
    # one stream an evening: a KOL night replaces the own stream, a festival KOL slot wins
    s = s.sort_values(["date", "host_fee"], kind="stable").drop_duplicates("date", keep="last")
    s = s.reset_index(drop=True)
    s.insert(0, "stream_id", ids("LS", len(s), 4))
    return s


def _pick(rng, probs: np.ndarray, labels) -> np.ndarray:
    """Vectorised categorical draw with per-row probability rows."""
    c = probs.cumsum(axis=1)
    u = rng.random(len(probs))[:, None]
    idx = (u > c).sum(axis=1).clip(0, len(labels) - 1)
    return np.asarray(labels)[idx]


def sessions(streams: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """Every visit: organic ones drawn per day, plus one visit per ad click in `plan`."""
    from shoplab.shopgen.marketing import CAMPAIGNS, campaign_channel

    rng = rng_for("sessions")
    lam = SESSION_SCALE * base_traffic(DAYS) * festival_factor(DAYS) * pull_forward(DAYS)
    counts = rng.poisson(lam)
    day_idx = np.repeat(np.arange(N_DAYS), counts)
    n = len(day_idx)
    t_year = day_idx / 365.0
    # channel: livestream grows in 2025
    p_live = LIVESTREAM_SHARE[0] + LIVESTREAM_SHARE[1] * t_year
    p_mini = np.full(n, MINI_PROGRAM_SHARE)
    channel = _pick(
        rng, np.c_[1 - p_live - p_mini, p_live, p_mini], ["platform", "livestream", "mini_program"]
    )
    # extra livestream sessions on KOL stream nights
    kol = streams[streams["host_type"] == "kol"]
    kol_day = ((kol["date"] - DAYS[0]).dt.days).to_numpy()
    extra = rng.poisson(
        KOL_EXTRA_SESSIONS * (kol["audience_fee"].to_numpy() / KOL_REFERENCE_FEE) ** 0.5
    )
    day_idx = np.r_[day_idx, np.repeat(kol_day, extra)]
    channel = np.r_[channel, np.repeat("livestream", extra.sum())]
    n_organic = len(day_idx)
    # one visit per ad click, landing in the campaign's sales channel
    clicks = plan["clicks"].to_numpy()
    camp = np.repeat(plan["campaign_id"].to_numpy(), clicks)
    lands = np.repeat(
        [
            campaign_channel(c, a)
            for c, a in zip(plan["campaign_id"], plan["ad_channel"], strict=True)
        ],
        clicks,
    )
    day_idx = np.r_[day_idx, np.repeat(((plan["date"] - DAYS[0]).dt.days).to_numpy(), clicks)]
    channel = np.r_[channel, lands]
    campaign = np.r_[np.full(n_organic, "", dtype=object), camp]
    is_ad = campaign != ""
    n = len(day_idx)
    dates = DAYS[day_idx]
    # time of day: evenings peak; livestream sessions sit inside the day's stream if there is one
    hour = rng.choice(24, n, p=HOUR_W / HOUR_W.sum())
    secs = hour * 3600 + rng.integers(0, 3600, n)
    first_stream = streams.drop_duplicates("date", keep="last").set_index("date")
    is_live = channel == "livestream"
    st = first_stream.reindex(dates[is_live])
    has = st["start_time"].notna().to_numpy() & (rng.random(is_live.sum()) < IN_STREAM_SHARE)
    offs = (st["start_time"] - st.index).dt.total_seconds().to_numpy() + rng.random(
        is_live.sum()
    ) * st["duration_minutes"].to_numpy() * 60
    live_secs = secs[is_live]
    live_secs[has] = np.minimum(offs[has], 86399)
    secs[is_live] = live_secs
    in_kol = np.zeros(n, dtype=bool)
    in_kol[is_live] = has & (st["host_type"] == "kol").to_numpy()
    start_time = dates + pd.to_timedelta(np.floor(secs).astype(np.int64), unit="s")
    hour = (secs // 3600).astype(int)
    weekday = dates.day_of_week.to_numpy() < 5
    # device: mini-program is mobile only; PC mainly at office hours on the platform
    office = weekday & (hour >= OFFICE_HOURS[0]) & (hour < OFFICE_HOURS[1])
    p_mobile = np.where(
        channel == "platform",
        np.where(office, MOBILE_SHARE["office"], MOBILE_SHARE["other"]),
        np.where(
            channel == "livestream", MOBILE_SHARE["livestream"], MOBILE_SHARE["mini_program"]
        ),
    )
    device = np.where(rng.random(n) < p_mobile, "mobile", "pc")
    probs = np.vstack([SOURCE_MIX[c] for c in ("platform", "livestream", "mini_program")])
    ch_idx = np.searchsorted(["livestream", "mini_program", "platform"], channel)
    ch_idx = np.array([1, 2, 0])[ch_idx]  # platform=0, livestream=1, mini_program=2
    source = np.where(is_ad, "ads", _pick(rng, probs[ch_idx], SOURCES))
    p_ret = np.where(
        campaign == RETARGETING_CAMPAIGN, RETARGETING_RETURNING, np.array(RETURNING_SHARE)[ch_idx]
    )
    returning = rng.random(n) < p_ret
    # the funnel, as conditional steps
    view_p = pd.Series(VIEW_GIVEN_SOURCE, index=SOURCES)[source].to_numpy()
    quality = {c[0]: c[8] for c in CAMPAIGNS}
    q = pd.Series(campaign).map(quality).fillna(1.0).to_numpy()
    kol_boost = np.where(in_kol, KOL_CONVERSION, 1.0)
    cart_p = (
        CART_GIVEN_VIEW
        * np.where(returning, RETURNING_CART_LIFT, 1.0)
        * np.where(channel == "livestream", LIVESTREAM_CART_LIFT, 1.0)
        * kol_boost
        * q
    )
    promo = in_promo_conversion(dates)
    in_ab = (dates >= AB_START) & (dates <= AB_END)
    variant = np.where(in_ab, np.where(rng.random(n) < 0.5, "A", "B"), "")
    mobile = device == "mobile"
    chk_p = (
        np.where(mobile, CHECKOUT_GIVEN_CART["mobile"], CHECKOUT_GIVEN_CART["pc"])
        * promo
        * np.where(pre_festival(dates), CART_WAIT, 1.0)
        * np.where(variant == "B", AB_LIFT, 1.0)
        * kol_boost
    )
    ord_p = np.where(mobile, ORDER_GIVEN_CHECKOUT["mobile"], ORDER_GIVEN_CHECKOUT["pc"]) * np.where(
        returning, RETURNING_ORDER_LIFT, 1.0
    )
    u = rng.random((4, n))
    viewed = u[0] < view_p
    carted = viewed & (u[1] < np.minimum(cart_p * np.sqrt(promo), STEP_CAPS[0]))
    checkout = carted & (u[2] < np.minimum(chk_p, STEP_CAPS[1]))
    placed = checkout & (u[3] < np.minimum(ord_p, STEP_CAPS[2]))
    s = pd.DataFrame(
        {
            "start_time": start_time,
            "device": device,
            "traffic_source": source,
            "campaign_id": campaign,
            "channel": channel,
            "visitor_type": np.where(returning, "returning", "new"),
            "viewed_product": viewed,
            "added_to_cart": carted,
            "started_checkout": checkout,
            "placed_order": placed,
            "checkout_variant": variant,
        }
    )
    s = s.sort_values("start_time", kind="stable").reset_index(drop=True)
    s.insert(0, "session_id", ids("S", len(s), 7))
    return s


ZONE_P = [0.22, 0.30, 0.41, 0.07]  # customers' ship zones (ZONES' order)


def assign_people(s: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Attach customers and visitors to sessions; return (sessions, customers).

    The A/B test is randomised per visitor: every visitor (customer or anonymous) carries one
    arm, and a test-window session is only given to a visitor of its own arm.
    """
    rng = rng_for("customers")
    n = len(s)
    day = s["start_time"].dt.normalize()
    new = (s["visitor_type"] == "new").to_numpy()
    placed = s["placed_order"].to_numpy()
    # registrations: every new visitor who orders; a few who don't
    registers = new & (placed | (rng.random(n) < 0.012))
    reg_idx = np.flatnonzero(registers)
    n_legacy = 5000
    legacy_signup = pd.Timestamp("2021-06-01") + pd.to_timedelta(
        np.sort(
            rng.integers(
                0, (pd.Timestamp("2023-12-31") - pd.Timestamp("2021-06-01")).days, n_legacy
            )
        ),
        unit="D",
    )
    signup = np.r_[legacy_signup.to_numpy(), day.to_numpy()[reg_idx]]
    n_cust = len(signup)
    cust_ids = ids("C", n_cust, 6)
    sess_cust = np.full(n, -1)
    sess_cust[reg_idx] = np.arange(n_legacy, n_cust)
    arm = s["checkout_variant"].to_numpy()
    cust_arm = np.where(rng.random(n_cust) < 0.5, "A", "B")
    reg_arm = arm[reg_idx]
    cust_arm[n_legacy:] = np.where(reg_arm != "", reg_arm, cust_arm[n_legacy:])
    # propensity (repeat buying) and churn date (after it the customer is dormant); customers
    # won on the mini-program (the shop's private traffic, 私域) buy again more and stay longer
    reg_channel = s["channel"].to_numpy()[reg_idx]
    won_on_mini = np.r_[np.zeros(n_legacy, bool), reg_channel == "mini_program"]
    prop = np.minimum(
        rng.lognormal(0.0, 0.9, n_cust) * np.where(won_on_mini, MINI_PROGRAM_PROPENSITY, 1.0), 6.0
    )
    life = rng.exponential(330.0, n_cust) * np.where(won_on_mini, MINI_PROGRAM_LIFE, 1.0)
    churn = signup + pd.to_timedelta(life, unit="D").to_numpy()
    legacy = np.arange(n_cust) < n_legacy
    churn[legacy] = (
        pd.Timestamp("2023-09-01") + pd.to_timedelta(rng.exponential(330.0, n_legacy), unit="D")
    ).to_numpy()
    # returning sessions: orders always logged in, others with some probability
    want = (~new) & (placed | (rng.random(n) < 0.55))
    todo = np.flatnonzero(want)
    sess_day = day.to_numpy()
    n_before = np.searchsorted(signup, sess_day, side="left")  # signup strictly before the day
    pmax = prop.max()
    for _ in range(200):
        if len(todo) == 0:
            break
        nb = n_before[todo]
        cand = (rng.random(len(todo)) * nb).astype(int)
        ok = (nb > 0) & (churn[cand] > sess_day[todo]) & (rng.random(len(todo)) < prop[cand] / pmax)
        ok &= (arm[todo] == "") | (cust_arm[cand] == arm[todo])
        sess_cust[todo[ok]] = cand[ok]
        todo = todo[~ok]
    for _ in range(100):  # nobody active qualifies: take any earlier customer of the same arm
        if len(todo) == 0:
            break
        nb = np.maximum(n_before[todo], 1)
        cand = (rng.random(len(todo)) * nb).astype(int)
        ok = (arm[todo] == "") | (cust_arm[cand] == arm[todo])
        sess_cust[todo[ok]] = cand[ok]
        todo = todo[~ok]
    if len(todo):
        raise RuntimeError(f"{len(todo)} returning sessions found no customer of their arm")
    # visitors: customers keep one visitor id; anonymous new visitors get fresh ids and
    # anonymous returning visits reuse an earlier anonymous visitor
    vis = np.full(n, -1)
    has_c = sess_cust >= 0
    vis[has_c] = sess_cust[has_c]
    anon_new = (~has_c) & new
    vis[anon_new] = n_cust + np.arange(anon_new.sum())
    anon_ret = np.flatnonzero((~has_c) & ~new)
    # an anonymous returning visit reuses an earlier anonymous visitor of its arm (any arm
    # outside the test window)
    new_pos = np.flatnonzero(anon_new)
    new_arm = np.where(
        arm[new_pos] != "", arm[new_pos], np.where(rng.random(len(new_pos)) < 0.5, "A", "B")
    )
    first_ids = np.full(len(anon_ret), -1)
    ret_arm = arm[anon_ret]
    for want in ("", "A", "B"):
        sel = np.flatnonzero(ret_arm == want)
        pool = np.arange(len(new_pos)) if want == "" else np.flatnonzero(new_arm == want)
        seen = np.searchsorted(new_pos[pool], anon_ret[sel])  # earlier visitors in the pool
        pick = (rng.random(len(sel)) * seen).astype(int)
        first_ids[sel] = np.where(seen > 0, n_cust + pool[np.minimum(pick, len(pool) - 1)], -1)
    fresh = first_ids < 0
    first_ids[fresh] = n_cust + anon_new.sum() + np.arange(fresh.sum())
    vis[anon_ret] = first_ids
    s = s.copy()
    s.insert(1, "visitor_id", ids("V", vis.max() + 1, 7)[vis])
    s.insert(2, "customer_id", np.where(has_c, cust_ids[np.maximum(sess_cust, 0)], ""))
    acq = np.r_[np.full(n_legacy, "legacy", dtype=object), s["traffic_source"].to_numpy()[reg_idx]]
    c = pd.DataFrame(
        {
            "customer_id": cust_ids,
            "signup_date": pd.DatetimeIndex(signup),
            "city_tier": rng.choice(
                ["tier1", "new_tier1", "tier2", "tier3", "tier4_plus"],
                n_cust,
                p=[0.16, 0.21, 0.25, 0.22, 0.16],
            ),
            "age_group": rng.choice(
                ["70后", "80后", "90后", "00后", "other"], n_cust, p=[0.10, 0.31, 0.36, 0.16, 0.07]
            ),
            "acquisition_channel": acq,
            "ship_zone": rng.choice(
                ["same_province", "neighbouring", "national", "remote"],
                n_cust,
                p=ZONE_P,
            ),
            "joins_membership": rng.random(n_cust) < 0.62,
        }
    )
    return s, c


VIEW_QUALITY_TILT = 3.0  # a browse-only view is exp(−tilt × quality) likelier: good SKUs convert


def viewed_skus(s: pd.DataFrame, items: pd.DataFrame, products: pd.DataFrame) -> np.ndarray:
    """The product each viewing session looked at, drawn after the orders exist.

    An ordering session viewed one of its ordered SKUs. A session that carted but did not order
    viewed a SKU drawn like that day's orders (the SKUs ordered since the last launch); a
    browse-only session a SKU drawn like the carts, tilted towards low quality, so a SKU's
    view → cart conversion rises with its quality. Its own stream: no other table moves.
    """
    rng = rng_for("viewed_sku")
    sku = products["sku"].to_numpy()
    quality = products["quality"].to_numpy()
    out = np.full(len(s), "", dtype=object)
    lines = items[["order_id", "sku"]].assign(key=rng.random(len(items)))
    one = lines.sort_values("key", kind="stable").drop_duplicates("order_id")
    ordered = s["order_id"].map(one.set_index("order_id")["sku"])
    placed = s["placed_order"].to_numpy()
    out[placed] = ordered[placed].to_numpy()
    carted_only = (s["added_to_cart"] & ~s["placed_order"]).to_numpy()
    browse = (s["viewed_product"] & ~s["added_to_cart"]).to_numpy()
    # epochs between launches: within one, the same SKUs are on sale
    launches = np.sort(products["launch_date"].unique())
    epoch = np.searchsorted(launches, s["start_time"].dt.normalize().to_numpy(), side="right")
    j_of = pd.Series(np.arange(len(sku)), index=sku)
    for e in np.unique(epoch):
        here = epoch == e
        bought = np.bincount(j_of[out[here & placed]].to_numpy(), minlength=len(sku))
        cart_pick = here & carted_only
        out[cart_pick] = sku[rng.choice(len(sku), cart_pick.sum(), p=bought / bought.sum())]
        carts = bought + np.bincount(j_of[out[cart_pick]].to_numpy(), minlength=len(sku))
        w = carts * np.exp(-VIEW_QUALITY_TILT * quality)
        view_pick = here & browse
        out[view_pick] = sku[rng.choice(len(sku), view_pick.sum(), p=w / w.sum())]
    return out
