"""Chapter 07 — Livestream & social commerce: GPM by host type, the livestream channel's
contribution margin, what each KOL slot fee leaves, which slots to book, whether the ad boost
pays, what a "70 %+ conversion" can mean, the referral K-factor and where loyal customers are
won.

The mistakes are the usual ones of livestream reports: GMV read as profit, the boost's orders
credited to the slot, the console's attributed revenue taken at its word, a per-viewer figure
for a per-view one, an average of ratios for a ratio of totals, and repeat buying measured inside
one channel.
"""

from __future__ import annotations

import pandas as pd

from graders.answers import Label, LabelSet, Number, Series
from graders.spec import Exercise, Mistake
from shoplab import metrics, social

BOOST_CHOICES = ("own streams", "KOL streams", "both", "neither")
BOOST_CAMPAIGNS = {"own_staff": "own streams", "kol": "KOL streams"}
RATIO_CHOICES = tuple(social.CONVERSION_RATIOS)
CHANNELS = ("platform", "livestream", "mini_program")


def _margin(data) -> float:
    return metrics.channel_contribution(data.orders, data.order_items, data.products, data.fees,
                                        data.shipments).at["livestream", "contribution_margin"]


def _whole_shop_margin(data) -> float:
    return float(metrics.unit_economics(data.orders, data.order_items, data.products, data.fees,
                                        data.shipments)["contribution_margin"])


def _live_gross_margin(data) -> float:
    live = data.orders[data.orders["channel"] == "livestream"]
    return float(metrics.unit_economics(live, data.order_items, data.products, data.fees,
                                        data.shipments)["gross_margin"])


# --- 07.1 ------------------------------------------------------------------------------------

def _gpm(data, per: str = "views") -> pd.Series:
    totals = data.livestreams.groupby("host_type")[["gmv", per]].sum()
    return social.gpm(totals["gmv"], totals[per])


def _mean_stream_gpm(data) -> pd.Series:
    ls = data.livestreams
    return social.gpm(ls["gmv"], ls["views"]).groupby(ls["host_type"]).mean()


# --- 07.3 / 07.4 -----------------------------------------------------------------------------

def _kol(data, contribution: pd.Series) -> pd.DataFrame:
    ls = data.livestreams.set_index("stream_id")
    kol = ls["host_type"] == "kol"
    return pd.DataFrame({"host_fee": ls.loc[kol, "host_fee"],
                         "contribution": contribution.reindex(ls.index)[kol]})


def _slot(data, how: str = "slot") -> pd.DataFrame:
    """Each KOL stream's contribution: the slot's own (`slot`), with the boost's orders left in
    (`whole_gmv`), without the commission (`no_commission`) or GMV taken as profit (`gmv`)."""
    m, ls = _margin(data), data.livestreams.set_index("stream_id")
    if how == "slot":
        return _kol(data, social.slot_contribution(data.livestreams, data.orders,
                                                   data.ad_campaigns, m))
    if how == "whole_gmv":
        return _kol(data, social.stream_contribution(ls["gmv"], m, ls["host_fee"],
                                                     ls["commission_rate"]))
    own_gmv = ls["gmv"] - social.boost_orders(data.orders, data.ad_campaigns).groupby(
        "stream_id")["order_amount"].sum().reindex(ls.index).fillna(0.0)
    if how == "no_commission":
        return _kol(data, social.stream_contribution(own_gmv, m, ls["host_fee"], 0.0))
    return _kol(data, social.stream_contribution(own_gmv, 1.0, ls["host_fee"],
                                                 ls["commission_rate"]))


def _by_fee(data, how: str = "slot") -> pd.Series:
    kol = _slot(data, how)
    return kol.groupby("host_fee")["contribution"].mean()


def _fees_paying(data, how: str = "slot") -> list[float]:
    by_fee = _by_fee(data, how)
    return [float(fee) for fee in by_fee.index[by_fee > 0]]


def _fees_any_stream_paid(data) -> list[float]:
    kol = _slot(data)
    return [float(fee) for fee in kol.loc[kol["contribution"] > 0, "host_fee"].unique()]


# --- 07.5 ------------------------------------------------------------------------------------

def _verdict(keep: dict[str, bool]) -> str:
    kept = [BOOST_CAMPAIGNS[host] for host, yes in keep.items() if yes]
    if len(kept) == len(BOOST_CAMPAIGNS):
        return "both"
    return kept[0] if kept else "neither"


def _boost_verdict(data) -> str:
    boost = social.boost_results(data.livestreams, data.orders, data.ad_campaigns, _margin(data))
    host = data.livestreams.set_index("stream_id")["host_type"]
    left = boost["contribution"].groupby(host).sum()
    return _verdict({h: left[h] > 0 for h in BOOST_CAMPAIGNS})


def _console(data, margin: float | None) -> str:
    """The misconceptions: the console's attributed revenue × margin, or its ROAS, vs spend."""
    ads = data.ad_campaigns[data.ad_campaigns["ad_channel"] == social.BOOST_CHANNEL]
    host = ads["date"].map(data.livestreams.set_index("date")["host_type"])
    totals = ads.groupby(host)[["attributed_revenue", "spend"]].sum()
    earned = totals["attributed_revenue"] * (1.0 if margin is None else margin)
    return _verdict({h: earned[h] > totals.at[h, "spend"] for h in BOOST_CAMPAIGNS})


# --- 07.6 / 07.7 / 07.8 ----------------------------------------------------------------------

def _above_seventy(data) -> str:
    ratios = social.conversion_ratios(data.livestreams, data.sessions)
    return str(ratios[ratios >= 0.7].idxmin())


def _k(data) -> float:
    return float(social.referral_k_factor(data.referrals, data.orders)["k_factor"])


def _referred(data) -> int:
    return int(data.referrals["referred_customer_id"].notna().sum())


EXERCISES = (
    Exercise(
        id="07.1",
        kind="computation",
        name="gpm_by_host",
        title="GPM of own-staff and KOL streams",
        answer=Series("yuan"),
        reference=_gpm,
        mistakes=(
            Mistake("per_unique_viewer", lambda data: _gpm(data, "unique_viewers"),
                    "That divides by unique viewers: GPM is GMV per thousand views (room "
                    "entries), and a viewer who comes back is counted each time."),
            Mistake("mean_of_streams", _mean_stream_gpm,
                    "That averages the streams' own GPMs, so a small stream weighs as much as a "
                    "big one. Add up GMV and views per host type, then divide."),
        ),
        hints=(
            "GPM (千次观看成交额) = GMV ÷ views × 1,000.",
            "livestreams.groupby('host_type')[['gmv', 'views']].sum(), then 1000 × gmv ÷ views.",
        ),
        points=2,
    ),
    Exercise(
        id="07.2",
        kind="computation",
        name="live_margin",
        title="The livestream channel's contribution margin",
        answer=Number("fraction"),
        reference=_margin,
        mistakes=(
            Mistake("whole_shop", _whole_shop_margin,
                    "That is the whole shop's margin. Keep only the orders (and their shipments) "
                    "whose channel is livestream: its commission, free shipping and refunds "
                    "differ."),
            Mistake("gross_margin", _live_gross_margin,
                    "That is the gross margin (product cost only). The contribution margin also "
                    "takes out commission, payment fees, net shipping and refunds."),
        ),
        hints=(
            "metrics.unit_economics(orders, order_items, products, fees, shipments) gives the "
            "contribution margin of whatever orders you pass it.",
            "Pass only orders with channel 'livestream' and the shipments of those orders "
            "(metrics.channel_contribution does it for every channel).",
        ),
        points=2,
    ),
    Exercise(
        id="07.3",
        kind="computation",
        name="slot_by_fee",
        title="What a KOL slot leaves, by slot fee",
        answer=Series("yuan"),
        reference=_by_fee,
        mistakes=(
            Mistake("boost_orders_left_in", lambda data: _by_fee(data, "whole_gmv"),
                    "The boost's orders are still in the slot's GMV. Take out the paid orders "
                    "of the stream whose campaign is a livestream boost: the boost is judged on "
                    "its own."),
            Mistake("no_commission", lambda data: _by_fee(data, "no_commission"),
                    "The KOL's commission is missing: the KOL takes commission_rate of the GMV "
                    "on top of the slot fee."),
            Mistake("gmv_as_profit", lambda data: _by_fee(data, "gmv"),
                    "That treats GMV as profit. Each ¥ of GMV leaves only the livestream "
                    "contribution margin (07.2), before the commission and the fee."),
        ),
        hints=(
            "Slot contribution = (stream GMV − its boost orders' GMV) × (margin − commission "
            "rate) − host fee.",
            "social.slot_contribution(livestreams, orders, ad_campaigns, margin) per stream; keep "
            "the KOL streams and average by host_fee.",
        ),
        points=2,
    ),
    Exercise(
        id="07.4",
        kind="decision",
        name="fees_to_book",
        title="Which KOL slot fees to keep booking",
        answer=LabelSet(),
        reference=_fees_paying,
        mistakes=(
            Mistake("gmv_covers_fee", lambda data: _fees_paying(data, "gmv"),
                    "That keeps every fee whose GMV covers the fee and commission. GMV is not "
                    "profit: judge each slot on its contribution."),
            Mistake("any_stream_paid", _fees_any_stream_paid,
                    "That keeps a fee when any one of its streams paid back. Book on what a slot "
                    "at that fee leaves on average: one lucky night is not the rule."),
            Mistake("no_commission", lambda data: _fees_paying(data, "no_commission"),
                    "The KOL's commission is missing: a slot costs its fee plus commission_rate "
                    "of the GMV."),
        ),
        hints=(
            "Book a fee when a slot at that fee leaves a positive contribution on average.",
            "The fees whose mean in slot_by_fee (07.3) is above 0.",
        ),
        points=3,
    ),
    Exercise(
        id="07.5",
        kind="decision",
        name="keep_boost",
        title="Where the livestream ad boost (投流) pays for itself",
        answer=Label(BOOST_CHOICES),
        reference=_boost_verdict,
        mistakes=(
            Mistake("console_revenue", lambda data: _console(data, _margin(data)),
                    "That trusts the ad console's attributed revenue, which claims orders the "
                    "shop's own last click gives to others. Use the paid orders whose campaign_id "
                    "is the boost."),
            Mistake("roas_above_one", lambda data: _console(data, None),
                    "A ROAS above 1 only says the ads brought more GMV than they cost. A boost "
                    "pays when the contribution of its orders exceeds its spend."),
        ),
        hints=(
            "A boost pays when its orders' contribution, after the KOL's commission, exceeds "
            "what it cost.",
            "social.boost_results(livestreams, orders, ad_campaigns, margin): add up "
            "`contribution` over own-staff and over KOL streams.",
        ),
        points=3,
    ),
    Exercise(
        id="07.6",
        kind="diagnosis",
        name="seventy_percent",
        title="What a “70 %+ conversion” could be measuring",
        answer=Label(RATIO_CHOICES),
        reference=_above_seventy,
        hints=(
            "Compute each candidate ratio on the shop's livestream data and see which reaches "
            "70 %.",
            "social.conversion_ratios(livestreams, sessions) computes all five.",
        ),
        points=2,
    ),
    Exercise(
        id="07.7",
        kind="computation",
        name="k_factor",
        title="The referral K-factor (裂变系数)",
        answer=Number("ratio"),
        reference=_k,
        mistakes=(
            Mistake("every_registered_customer",
                    lambda data: _referred(data) / len(data.customers),
                    "That divides by every registered customer, including members who never paid "
                    "in these two years. The invites come from paying customers."),
            Mistake("sharers_only",
                    lambda data: _referred(data) / data.referrals["customer_id"].nunique(),
                    "That divides by the customers who shared. K counts invites per customer, "
                    "so the customers who never shared are in the base too."),
            Mistake("conversion_only",
                    lambda data: _referred(data) / len(data.referrals),
                    "That is c, the conversion per invite, alone. K = invites per customer × "
                    "conversion per invite."),
        ),
        hints=(
            "K = i × c: i = share links ÷ paying customers; c = referred customers ÷ share "
            "links.",
            "Paying customers: customers with a paid order (metrics.paid). "
            "social.referral_k_factor does it.",
        ),
        points=2,
    ),
    Exercise(
        id="07.8",
        kind="diagnosis",
        name="loyal_channel",
        title="The channel whose new customers buy again most",
        answer=Label(CHANNELS),
        reference=lambda data: str(social.repeat_rate_by_first_channel(
            data.orders, data.customers).idxmax()),
        mistakes=(
            Mistake("within_one_channel",
                    lambda data: max(CHANNELS, key=lambda ch: metrics.repurchase_rate(
                        data.orders[data.orders["channel"] == ch])),
                    "That counts repeat orders inside each channel, so a customer won on the "
                    "mini-program who comes back on the platform is not a repeat buyer. Group "
                    "customers by their first order's channel and count their paid orders "
                    "anywhere."),
        ),
        hints=(
            "Take every new customer's first paid order (metrics.new_customer_first_orders) and "
            "its channel.",
            "Per channel: the share of those customers with two or more paid orders in any "
            "channel (social.repeat_rate_by_first_channel).",
        ),
        points=2,
    ),
)
