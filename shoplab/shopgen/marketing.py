"""Marketing tables: ad campaigns, search keywords, the price test, livestream results.

One ledger: `ad_plan` decides spend and clicks per campaign and day, every click becomes a
session (traffic module), the sessions' funnel makes the orders, and the console's attributed
figures (`ad_campaigns`) are computed from those orders' last-click campaign. Campaign returns
differ through their CPC and the quality of their traffic, so some campaigns earn well above the
shop's break-even ROAS and some lose money at the contribution margin.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shoplab.shopgen.common import DAYS, END, festival_factor, rng_for

BETA = 0.7  # clicks (so orders and revenue) grow as spend**BETA: diminishing returns
# id, name, ad_channel, audience, start, end, typical daily spend (¥), CPC at typical spend (¥),
# traffic quality (multiplies P(add to cart | viewed) of the campaign's visits), when it runs
CAMPAIGNS = [
    (
        "AD01",
        "Search - brand terms",
        "search_ads",
        "Brand searchers",
        "2024-01-01",
        "2025-12-31",
        80,
        2.3,
        3.4,
        "always",
    ),
    (
        "AD02",
        "Search - generic cookware",
        "search_ads",
        "Home cooks 25-40",
        "2024-01-01",
        "2025-12-31",
        210,
        4.1,
        1.2,
        "always",
    ),
    (
        "AD03",
        "Search - small appliances",
        "search_ads",
        "Young renters (90后)",
        "2024-03-01",
        "2025-12-31",
        120,
        4.4,
        1.5,
        "always",
    ),
    (
        "AD04",
        "Display - cart abandoner retargeting",
        "display_ads",
        "Cart abandoners",
        "2024-01-01",
        "2025-12-31",
        65,
        3.0,
        3.0,
        "always",
    ),
    (
        "AD05",
        "Display - lookalike new families",
        "display_ads",
        "New parents (80后/90后)",
        "2024-07-01",
        "2025-12-31",
        120,
        3.4,
        0.38,
        "always",
    ),
    (
        "AD06",
        "Livestream boost - own streams",
        "livestream_ads",
        "Livestream viewers",
        "2024-01-01",
        "2025-12-31",
        115,
        2.8,
        1.25,
        "own_stream_days",
    ),
    (
        "AD07",
        "Livestream boost - KOL heat-up",
        "livestream_ads",
        "KOL fans",
        "2024-01-01",
        "2025-12-31",
        470,
        3.2,
        0.3,
        "kol_days",
    ),
    (
        "AD08",
        "Social - Xiaohongshu seeding",
        "social_ads",
        "Urban women 25-35",
        "2024-02-01",
        "2025-12-31",
        250,
        4.4,
        1.0,
        "always",
    ),
    (
        "AD09",
        "Social - WeChat Moments mini-program",
        "social_ads",
        "Friends of members",
        "2025-01-01",
        "2025-12-31",
        55,
        2.5,
        1.7,
        "always",
    ),
    (
        "AD10",
        "Search - festival blitz",
        "search_ads",
        "Festival bargain hunters",
        "2024-01-01",
        "2025-12-31",
        1050,
        4.6,
        1.6,
        "festival",
    ),
]
# the sales channel an ad click lands in
LANDS_IN = {
    "search_ads": "platform",
    "display_ads": "platform",
    "livestream_ads": "livestream",
    "social_ads": "platform",
}
LANDS_IN_CAMPAIGN = {"AD09": "mini_program"}
CTR = {"search_ads": 0.035, "display_ads": 0.006, "livestream_ads": 0.02, "social_ads": 0.011}
# the console's own attribution (7-day click, any order of the clicker) over the shop's last
# click: drawn per campaign and month inside this band, never above the channel's paid orders
CONSOLE_FACTOR = (1.1, 1.6)
CONSOLE_DRAW = (1.18, 1.5)


def campaign_channel(campaign_id: str, ad_channel: str) -> str:
    return LANDS_IN_CAMPAIGN.get(campaign_id, LANDS_IN[ad_channel])


FESTIVAL_SPEND_LIFT = 0.7  # always-on budgets grow by this share of the festival's traffic lift
BLITZ_SCALE = 2.0  # the festival blitz spends budget × festival_factor / this
# when a campaign runs: every day, on own-stream nights, on KOL nights, on festival days
RUNS_ON = ("always", "own_stream_days", "kol_days", "festival")
FESTIVAL_DAY_FROM = 1.3  # festival_factor above which the blitz runs


def spend_shape(when: str, f: np.ndarray) -> np.ndarray:
    """A campaign's typical spend per day as a multiple of its budget, on days of factor `f`."""
    if when == "festival":
        return f / BLITZ_SCALE
    if when == "kol_days":
        return np.ones(len(f))
    return 1 + FESTIVAL_SPEND_LIFT * (f - 1)


def ad_plan(streams: pd.DataFrame) -> pd.DataFrame:
    """Spend, clicks and impressions per campaign and day; each click becomes one session.

    CPC rises with the day's spend relative to the typical budget (the auction gets dearer),
    so clicks = typical clicks × (spend / typical spend)**BETA.
    """
    rng = rng_for("ad_campaigns")
    fest = festival_factor(DAYS)
    is_own = DAYS.isin(list(streams.loc[streams["host_type"] == "own_staff", "date"]))
    is_kol = DAYS.isin(list(streams.loc[streams["host_type"] == "kol", "date"]))
    out = []
    for cid, name, ch, aud, start, end, budget, cpc, _, when in CAMPAIGNS:
        active = (DAYS >= pd.Timestamp(start)) & (DAYS <= pd.Timestamp(end))
        active &= {
            "always": np.ones(len(DAYS), bool),
            "own_stream_days": is_own,
            "kol_days": is_kol,
            "festival": fest > FESTIVAL_DAY_FROM,
        }[when]
        d = DAYS[active]
        f = fest[active]
        shape = spend_shape(when, f)
        if when == "festival":
            spend = budget * shape * rng.lognormal(0, 0.3, len(d))
        elif when == "kol_days":  # sized per stream, not by the festival calendar
            spend = budget * shape * rng.lognormal(0, 0.5, len(d))
        else:
            spend = budget * shape * rng.lognormal(0, 0.35, len(d))
        spend = np.round(spend, 2)
        clicks = rng.poisson(budget / cpc * (spend / budget) ** BETA).astype(int)
        impressions = np.maximum(
            np.round(clicks / (CTR[ch] * rng.lognormal(0, 0.1, len(d)))), clicks
        ).astype(int)
        out.append(
            pd.DataFrame(
                {
                    "date": d,
                    "campaign_id": cid,
                    "campaign_name": name,
                    "ad_channel": ch,
                    "audience": aud,
                    "impressions": impressions,
                    "clicks": clicks,
                    "spend": spend,
                }
            )
        )
    a = pd.concat(out, ignore_index=True)
    return a.sort_values(["date", "campaign_id"], kind="stable").reset_index(drop=True)


def ad_campaigns(plan: pd.DataFrame, o: pd.DataFrame) -> pd.DataFrame:
    """The console's view: the plan plus its own attributed orders and revenue.

    Per campaign and month the console claims round(f × the shop's last-click paid orders),
    f drawn in `CONSOLE_DRAW` and clipped to `CONSOLE_FACTOR` and to the paid orders of the
    sales channel the campaign sells into that month; the extra orders are spread over the
    campaign's days in proportion to clicks, each at that month's last-click order value.
    """
    rng = rng_for("ad_console")
    paid = o[o["status"] != "cancelled"]
    month = paid["order_time"].dt.to_period("M")
    chan_orders = paid.groupby([paid["channel"], month]).size()
    ad = paid[paid["campaign_id"] != ""]
    day = ad["order_time"].dt.normalize()
    shop_n = ad.groupby([ad["campaign_id"], day]).size()
    shop_rev = ad.groupby([ad["campaign_id"], day])["order_amount"].sum()
    a = plan.copy()
    key = pd.MultiIndex.from_frame(a[["campaign_id", "date"]])
    a["_n"] = shop_n.reindex(key).fillna(0).astype(int).to_numpy()
    a["_rev"] = shop_rev.reindex(key).fillna(0.0).to_numpy()
    a["_m"] = a["date"].dt.to_period("M")
    extra = np.zeros(len(a), dtype=np.int64)
    extra_rev = np.zeros(len(a))
    for (cid, m), g in a.groupby(["campaign_id", "_m"], sort=True):
        s = int(g["_n"].sum())
        if s < 2:
            continue
        lo, hi = int(np.ceil(CONSOLE_FACTOR[0] * s)), int(np.floor(CONSOLE_FACTOR[1] * s))
        ch = campaign_channel(cid, g["ad_channel"].iloc[0])
        hi = min(hi, int(chan_orders.get((ch, m), 0)))
        c = min(max(int(round(rng.uniform(*CONSOLE_DRAW) * s)), lo), hi)
        w = g["clicks"].to_numpy(dtype=float)
        e = rng.multinomial(c - s, w / w.sum()) if c > s and w.sum() > 0 else np.zeros(len(g))
        extra[g.index] = e
        extra_rev[g.index] = e * g["_rev"].sum() / s
    a["attributed_orders"] = a["_n"] + extra
    a["attributed_revenue"] = (a["_rev"] + extra_rev).round(2)
    return a.drop(columns=["_n", "_rev", "_m"])


# keyword, type, monthly impressions, CTR, CVR, position
KEYWORDS = [
    ("wok 炒锅", "head", 260000, 0.022, 0.030, 14.0),
    ("frying pan 平底锅", "head", 210000, 0.020, 0.028, 16.0),
    ("air fryer 空气炸锅", "head", 320000, 0.015, 0.022, 22.0),
    ("rice cooker 电饭煲", "head", 240000, 0.014, 0.020, 24.0),
    ("kitchen knife 菜刀", "head", 150000, 0.021, 0.030, 12.0),
    ("food container 保鲜盒", "head", 120000, 0.024, 0.034, 10.0),
    ("tableware set 餐具套装", "head", 110000, 0.018, 0.026, 15.0),
    ("kitchen storage 厨房收纳", "head", 90000, 0.023, 0.030, 11.0),
    ("carbon steel wok no coating 无涂层铁锅", "long_tail", 14000, 0.072, 0.095, 2.5),
    ("32cm wok for gas stove 燃气灶炒锅32cm", "long_tail", 9000, 0.080, 0.110, 1.8),
    ("nonstick pan induction 电磁炉不粘锅", "long_tail", 12000, 0.065, 0.085, 3.2),
    ("cast iron pot enamel 珐琅铸铁锅", "long_tail", 7000, 0.060, 0.075, 3.5),
    ("stainless steamer three tier 三层蒸锅", "long_tail", 5000, 0.070, 0.090, 2.2),
    ("air fryer 5L no oil 5升无油空气炸锅", "long_tail", 15000, 0.058, 0.070, 4.5),
    ("smart rice cooker 3L small 小型智能电饭煲3升", "long_tail", 8000, 0.055, 0.072, 4.8),
    ("chef knife german steel 德国钢厨师刀", "long_tail", 6000, 0.075, 0.100, 2.0),
    ("knife block set 刀具套装带刀座", "long_tail", 4500, 0.068, 0.082, 2.6),
    ("glass lunch box microwave 玻璃饭盒可微波", "long_tail", 11000, 0.082, 0.120, 1.6),
    ("rice storage bin sealed 密封米桶10斤", "long_tail", 6500, 0.077, 0.105, 2.1),
    ("spice rack with jars 调料架带瓶", "long_tail", 5500, 0.070, 0.092, 2.4),
    ("fridge organiser box 冰箱收纳盒", "long_tail", 13000, 0.066, 0.088, 3.0),
    ("bamboo cutting board thick 加厚竹砧板", "long_tail", 9500, 0.074, 0.098, 2.3),
    ("silicone spatula heat resistant 耐高温硅胶铲", "long_tail", 10000, 0.079, 0.115, 1.9),
    ("celadon tea set gift box 青瓷茶具礼盒", "long_tail", 3500, 0.062, 0.070, 3.8),
    ("porcelain dinner set 16 pieces 陶瓷餐具16件", "long_tail", 4000, 0.060, 0.078, 3.3),
    ("electric kettle 1.7L stainless 不锈钢电水壶", "long_tail", 12500, 0.057, 0.074, 4.2),
    ("soymilk maker no filter 免滤豆浆机", "long_tail", 7500, 0.059, 0.071, 4.0),
    ("dish drying rack two tier 双层碗架", "long_tail", 8500, 0.071, 0.093, 2.7),
    ("microfibre cleaning cloth 超细纤维抹布", "long_tail", 9000, 0.076, 0.108, 2.0),
    ("countertop compost bin 台面厨余桶", "long_tail", 3000, 0.069, 0.081, 2.9),
]


def keywords() -> pd.DataFrame:
    rng = rng_for("keywords")
    fest = pd.Series(festival_factor(DAYS), index=DAYS).resample("MS").mean()
    rows = []
    for i, month in enumerate(fest.index):
        growth = 1 + 0.15 * i / 12
        for kw, kind, imp, ctr, cvr, pos in KEYWORDS:
            im = int(rng.poisson(imp * growth * fest.iloc[i] * rng.lognormal(0, 0.12)))
            p = max(1.0, pos * rng.lognormal(0, 0.15))
            c_rate = ctr * (pos / p) ** 0.5  # better rank, more clicks
            clicks = int(rng.binomial(im, min(c_rate, 0.5)))
            orders = int(rng.binomial(clicks, cvr * (1 + 0.1 * (fest.iloc[i] - 1))))
            rows.append((month, kw, kind, im, clicks, orders, round(p, 1)))
    return pd.DataFrame(
        rows,
        columns=[
            "month",
            "keyword",
            "keyword_type",
            "impressions",
            "clicks",
            "orders",
            "avg_position",
        ],
    )


def price_tests(weeks: pd.DataFrame, items: pd.DataFrame, o: pd.DataFrame) -> pd.DataFrame:
    """Units actually sold at the test price (they tie to order_items)."""
    paid = o[(o["status"] != "cancelled") & (o["channel"] == "platform")]
    t = items.merge(paid[["order_id", "order_time"]], on="order_id")
    t = t[t["sku"].isin(weeks["sku"].unique())]
    t["week_start"] = t["order_time"].dt.normalize() - pd.to_timedelta(
        t["order_time"].dt.day_of_week, unit="D"
    )
    units = t.groupby(["week_start", "sku"])["quantity"].sum()
    w = weeks.copy()
    key = pd.MultiIndex.from_frame(w[["week_start", "sku"]])
    w["units"] = units.reindex(key).fillna(0).astype(int).to_numpy()
    return w.sort_values(["week_start", "sku"], kind="stable").reset_index(drop=True)


def stream_of(times: pd.Series, streams: pd.DataFrame) -> np.ndarray:
    """The stream_id running at each time ("" when none): how an order gets its stream."""
    start = streams["start_time"].to_numpy()
    end = streams["start_time"] + pd.to_timedelta(streams["duration_minutes"], unit="m")
    idx = np.searchsorted(start, times.to_numpy(), side="right") - 1
    ok = idx >= 0
    ok[ok] = times.to_numpy()[ok] < end.to_numpy()[idx[ok]]
    return np.where(ok, streams["stream_id"].to_numpy()[np.maximum(idx, 0)], "")


def livestreams(streams: pd.DataFrame, o: pd.DataFrame, sessions: pd.DataFrame) -> pd.DataFrame:
    """Room metrics; orders and gmv are the paid orders carrying the stream's id.

    A KOL (达人) is paid the slot fee (坑位费, host_fee) plus a commission (佣金) on the
    stream's GMV; own-staff streams pay no commission.
    """
    rng = rng_for("livestream_results")
    s = streams.copy()
    paid = o[(o["status"] != "cancelled") & (o["stream_id"] != "")]
    by = paid.groupby("stream_id")["order_amount"].agg(["size", "sum"]).reindex(s["stream_id"])
    s["orders"] = by["size"].fillna(0).astype(int).to_numpy()
    s["gmv"] = by["sum"].fillna(0.0).round(2).to_numpy()
    live = sessions[sessions["channel"] == "livestream"]
    visits = pd.Series(stream_of(live["start_time"], s)).value_counts()
    clicks = visits.reindex(s["stream_id"]).fillna(0).to_numpy()
    kol = (s["host_type"] == "kol").to_numpy()
    s["commission"] = (s["gmv"] * s["commission_rate"]).round(2)
    s["unique_viewers"] = np.round((clicks + 5) / rng.uniform(0.06, 0.11, len(s))).astype(int)
    s["views"] = np.round(s["unique_viewers"] * rng.uniform(1.3, 1.9, len(s))).astype(int)
    s["avg_watch_seconds"] = np.round(
        np.where(kol, rng.normal(115, 25, len(s)), rng.normal(72, 18, len(s))).clip(20), 1
    )
    return s[s["date"] <= END].reset_index(drop=True)


# The ads holdout (增量实验): brand-term search AD01 paused for a random half of provinces over
# eight weeks between 618 and the Double 11 pre-sale; brand searchers there still found the
# shop through its organic results.
HOLDOUT_CAMPAIGN = "AD01"
HOLDOUT_START, HOLDOUT_DAYS = pd.Timestamp("2025-08-25"), 56
HOLDOUT_SHARE = 0.5  # provinces (so brand searchers) in the holdout group
HOLDOUT_SEARCHERS = 200  # brand searchers a day, both groups together
HOLDOUT_CONVERSION = 0.05  # a brand searcher's chance to order with no ad shown
HOLDOUT_INCREMENTAL = 0.2  # share of the console's AD01 claims the ads really caused


def ad_holdout(campaigns: pd.DataFrame, o: pd.DataFrame) -> pd.DataFrame:
    """The geo holdout of the brand-term campaign, per day and group (exposed / holdout).

    The exposed group's extra conversion is sized so that the ads cause `HOLDOUT_INCREMENTAL`
    of the orders the console attributes to AD01 over the test; order values are drawn around
    AD01's last-click order value. A summary from the platform's experiment tool: it does not
    tie to `orders` row by row.
    """
    rng = rng_for("ad_holdout")
    days = pd.date_range(HOLDOUT_START, periods=HOLDOUT_DAYS, freq="D")
    ad = campaigns[(campaigns["campaign_id"] == HOLDOUT_CAMPAIGN) & campaigns["date"].isin(days)]
    paid = o[(o["status"] != "cancelled") & (o["campaign_id"] == HOLDOUT_CAMPAIGN)]
    order_value = float(paid["order_amount"].mean())
    exposed_n = rng.poisson(HOLDOUT_SEARCHERS * (1 - HOLDOUT_SHARE), HOLDOUT_DAYS)
    holdout_n = rng.poisson(HOLDOUT_SEARCHERS * HOLDOUT_SHARE, HOLDOUT_DAYS)
    lift = HOLDOUT_INCREMENTAL * ad["attributed_orders"].sum() / exposed_n.sum()
    rows = []
    for group, n, p in (("exposed", exposed_n, HOLDOUT_CONVERSION + lift),
                        ("holdout", holdout_n, HOLDOUT_CONVERSION)):
        orders = rng.binomial(n, p)
        revenue = np.array([rng.gamma(4.0, order_value / 4.0, k).sum() for k in orders])
        rows.append(pd.DataFrame({"date": days, "group": group, "brand_searchers": n,
                                  "orders": orders, "revenue": revenue.round(2)}))
    return pd.concat(rows, ignore_index=True)
