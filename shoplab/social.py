"""Livestream and social commerce (直播带货, 社交电商): the stream funnel, what a stream earns after
its full cost, the fee a KOL slot is worth, referrals as a K-factor and repeat buying by channel.

A stream is judged like any other marketing spend: on the contribution it leaves, not on its
GMV. Its orders earn the livestream channel's contribution margin (`shoplab.metrics`: product
cost, platform commission, payment fee, shipping and the refunds that are higher on livestream
already taken out); from that the stream pays the KOL's commission (达人佣金, a share of the
stream's GMV), the fixed host or slot fee (坑位费) and any ad boost (投流) bought for it:

    contribution = GMV × (contribution margin − commission rate) − host fee − ad boost.

The K-factor (裂变系数, viral coefficient) is defined once, here and in the data dictionary, as
**invites sent per customer × conversion per invite**: with share links as the invites,
(share links ÷ paying customers) × (new customers who came through a link ÷ share links), which
is the new customers each paying customer brings. K ≥ 1 would grow the shop by itself; far below
1, referrals add customers on top of the other channels (Skok, "Lessons Learned – Viral
Marketing", 2009; the same i × c definition as the growth-marketing texts).
"""

from __future__ import annotations

import pandas as pd

from shoplab import metrics


def gpm(gmv, views):
    """GPM (千次观看成交额): GMV per thousand views, ¥; 0 without views."""
    return 1000 * metrics.rate(gmv, views)


def uv_value(gmv, unique_viewers):
    """UV value (UV价值): GMV per unique viewer, ¥; 0 without viewers."""
    return metrics.rate(gmv, unique_viewers)


def stream_funnel(livestreams: pd.DataFrame) -> pd.DataFrame:
    """Per stream: views → unique viewers → watch time → orders, and what each step earns.

    `views_per_viewer` is entries per distinct viewer; `watch_minutes` the total time watched;
    `viewer_conversion` paid orders ÷ unique viewers.
    """
    s = livestreams.set_index("stream_id")
    return pd.DataFrame(
        {
            "host_type": s["host_type"],
            "views": s["views"],
            "unique_viewers": s["unique_viewers"],
            "views_per_viewer": metrics.rate(s["views"], s["unique_viewers"]),
            "watch_minutes": s["views"] * s["avg_watch_seconds"] / 60,
            "orders": s["orders"],
            "viewer_conversion": metrics.rate(s["orders"], s["unique_viewers"]),
            "gmv": s["gmv"],
            "gpm": gpm(s["gmv"], s["views"]),
            "uv_value": uv_value(s["gmv"], s["unique_viewers"]),
        }
    )


BOOST_CHANNEL = "livestream_ads"  # the ad channel of the boosts (投流) bought for streams


def ad_boost(livestreams: pd.DataFrame, ad_campaigns: pd.DataFrame) -> pd.Series:
    """Per stream: the livestream ads (投流) spent on its day, ¥ (they run on stream days only)."""
    boost = ad_campaigns[ad_campaigns["ad_channel"] == BOOST_CHANNEL]
    per_day = boost.groupby("date")["spend"].sum()
    spend = livestreams["date"].map(per_day).fillna(0.0)
    return pd.Series(spend.to_numpy(), index=livestreams["stream_id"], name="ad_boost")


def boost_orders(orders: pd.DataFrame, ad_campaigns: pd.DataFrame) -> pd.DataFrame:
    """The paid orders whose last click was a livestream boost ad."""
    campaigns = ad_campaigns.loc[ad_campaigns["ad_channel"] == BOOST_CHANNEL, "campaign_id"]
    paid_orders = metrics.paid(orders)
    return paid_orders[paid_orders["campaign_id"].isin(set(campaigns))]


def boost_results(livestreams, orders, ad_campaigns, margin: float) -> pd.DataFrame:
    """Per stream, what its day's boost cost and brought: spend, the GMV of the orders its ads
    won (last click, the whole day), and the contribution those orders left after the KOL's
    commission (on orders inside the stream) less the spend."""
    won = boost_orders(orders, ad_campaigns)
    rate = won["stream_id"].map(livestreams.set_index("stream_id")["commission_rate"]).fillna(0)
    day = won["order_time"].dt.normalize()
    gmv = won["order_amount"].groupby(day).sum()
    kept = (won["order_amount"] * (margin - rate)).groupby(day).sum()
    spend = ad_boost(livestreams, ad_campaigns).to_numpy()
    dates = livestreams["date"]
    out = pd.DataFrame({"spend": spend, "gmv": dates.map(gmv).fillna(0.0).to_numpy(),
                        "contribution": dates.map(kept).fillna(0.0).to_numpy() - spend},
                       index=livestreams["stream_id"].to_numpy())
    out.index.name = "stream_id"
    return out


def slot_contribution(livestreams, orders, ad_campaigns, margin: float) -> pd.Series:
    """Per stream, what the slot itself leaves: the stream's GMV without the boost's orders,
    × (margin − commission rate), less the host or slot fee. The boost is judged on its own
    (`boost_results`)."""
    won = boost_orders(orders, ad_campaigns)
    boosted = won.groupby("stream_id")["order_amount"].sum()
    s = livestreams.set_index("stream_id")
    own_gmv = s["gmv"] - boosted.reindex(s.index).fillna(0.0)
    return stream_contribution(own_gmv, margin, s["host_fee"], s["commission_rate"]).rename(
        "slot_contribution")


def stream_contribution(gmv, margin, host_fee, commission_rate, ad_boost=0.0):
    """¥ a stream leaves: GMV × (contribution margin − commission rate) − host fee − ad boost."""
    return gmv * (margin - commission_rate) - host_fee - ad_boost


def break_even_fee(gmv, margin, commission_rate, ad_boost=0.0):
    """The highest slot fee a stream with this GMV could pay and still break even, ¥."""
    return stream_contribution(gmv, margin, 0.0, commission_rate, ad_boost)


def break_even_views(host_fee, commission_rate, margin, gmv_per_view, ad_boost=0.0) -> float:
    """Views a stream needs before its contribution covers the fee and the boost.

    Each view brings `gmv_per_view` (GPM ÷ 1000) and leaves (margin − commission rate) of it;
    when the commission takes the whole margin no number of views pays back: infinity.
    """
    per_view = gmv_per_view * (margin - commission_rate)
    return (host_fee + ad_boost) / per_view if per_view > 0 else float("inf")


# The candidate readings of a "conversion rate" of the livestream channel, in funnel order.
CONVERSION_RATIOS = ("orders per view", "orders per unique viewer", "orders per visit",
                     "orders per cart", "orders per checkout")


def conversion_ratios(livestreams: pd.DataFrame, sessions: pd.DataFrame) -> pd.Series:
    """Orders over each possible denominator: the room's views and unique viewers (paid orders
    of the streams), and the livestream channel's visits, carts and checkouts (orders placed)."""
    live = sessions[sessions["channel"] == "livestream"]
    placed = live["placed_order"].sum()
    return pd.Series([
        metrics.rate(livestreams["orders"].sum(), livestreams["views"].sum()),
        metrics.rate(livestreams["orders"].sum(), livestreams["unique_viewers"].sum()),
        metrics.conversion_rate(placed, len(live)),
        metrics.rate(placed, live["added_to_cart"].sum()),
        metrics.rate(placed, live["started_checkout"].sum()),
    ], index=list(CONVERSION_RATIOS), name="conversion")


def k_factor(share_links: int, referred_customers: int, paying_customers: int) -> pd.Series:
    """K-factor = invites per customer (i) × conversion per invite (c), with its two factors."""
    invites = metrics.rate(share_links, paying_customers)
    conversion = metrics.rate(referred_customers, share_links)
    return pd.Series(
        {
            "invites_per_customer": invites,
            "conversion_per_invite": conversion,
            "k_factor": invites * conversion,
        }
    )


def referral_k_factor(referrals: pd.DataFrame, orders: pd.DataFrame) -> pd.Series:
    """`k_factor` of the shop's share links over the period the tables cover."""
    referred = referrals["referred_customer_id"].fillna("").astype(str)
    payers = metrics.paid(orders)["customer_id"].nunique()
    return k_factor(len(referrals), int((referred != "").sum()), payers)


def repeat_rate_by_first_channel(orders: pd.DataFrame, customers: pd.DataFrame) -> pd.Series:
    """复购率 of the customers won in each channel: the share of them with two or more paid
    orders (in any channel), by the channel of their first paid order."""
    first = metrics.new_customer_first_orders(orders, customers)
    paid_orders = metrics.paid(orders).groupby("customer_id").size()
    again = first["customer_id"].map(paid_orders).to_numpy() >= 2
    return (
        pd.Series(again, index=first.index).groupby(first["channel"]).mean().rename("repeat_rate")
    )


def refund_rate_by_channel(orders: pd.DataFrame) -> pd.Series:
    """Share of each channel's paid orders that were refunded."""
    paid_orders = metrics.paid(orders)
    return (
        (paid_orders["status"] == "refunded")
        .groupby(paid_orders["channel"])
        .mean()
        .rename("refund_rate")
    )
