"""Share links (社交裂变): who shared the shop, when, how many friends opened the link, and
which new customers came through one.

Every customer whose first visit was a social visit to the mini-program came through a
friend's share link: that link is dated shortly before the visit and was sent by a customer who
had already paid for an order. Most links bring nobody; the sharers are buyers, mini-program
buyers more often (they are the shop's private traffic, 私域). Drawn from its own stream, after
the other tables, so it changes none of them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shoplab.shopgen.common import END, ids, rng_for

SHARES_WITHOUT_SIGNUP = 4800  # links that brought no new customer, over the two years
MINI_PROGRAM_SHARER_WEIGHT = 4.0  # a mini-program order is this much likelier to be shared
SHARE_LAG_DAYS = 3.0  # mean days from a paid order to sharing the shop
SIGNUP_LAG_HOURS = 20.0  # mean hours from a link being sent to the friend's first visit
CLICKS_PER_LINK = 1.2  # mean friends opening a link that brings nobody (Poisson)


def referrals(customers: pd.DataFrame, sessions: pd.DataFrame, o: pd.DataFrame) -> pd.DataFrame:
    """One row per share link; `referred_customer_id` and `first_order_id` when it won someone."""
    rng = rng_for("referrals")
    paid = o[o["status"] != "cancelled"].sort_values("order_time", kind="stable")
    weight = np.where(paid["channel"] == "mini_program", MINI_PROGRAM_SHARER_WEIGHT, 1.0)
    first_visit = sessions[sessions["customer_id"] != ""].drop_duplicates("customer_id")
    won = first_visit[
        (first_visit["channel"] == "mini_program")
        & (first_visit["traffic_source"] == "social")
        & first_visit["customer_id"].isin(
            customers.loc[customers["acquisition_channel"] != "legacy", "customer_id"]
        )
    ]
    # links that won a customer: sent before the friend's first visit by an earlier buyer
    sent = won["start_time"] - pd.to_timedelta(
        rng.exponential(SIGNUP_LAG_HOURS, len(won)) + 0.1, unit="h"
    )
    earlier = np.searchsorted(paid["order_time"].to_numpy(), sent.to_numpy())
    if (earlier == 0).any():
        raise RuntimeError("a share link was sent before the shop's first paid order")
    cum = np.cumsum(weight)
    pick = np.searchsorted(cum, rng.random(len(won)) * cum[earlier - 1], side="right")
    first_paid = paid.drop_duplicates("customer_id").set_index("customer_id")["order_id"]
    winners = pd.DataFrame(
        {
            "customer_id": paid["customer_id"].to_numpy()[pick],
            "shared_time": sent.to_numpy(),
            "clicks": 1 + rng.poisson(CLICKS_PER_LINK, len(won)),
            "referred_customer_id": won["customer_id"].to_numpy(),
            "first_order_id": won["customer_id"].map(first_paid).fillna("").to_numpy(),
        }
    )
    # links that brought nobody: shared a few days after a paid order
    shared = rng.choice(len(paid), SHARES_WITHOUT_SIGNUP, p=weight / weight.sum())
    times = (
        paid["order_time"].to_numpy()[shared]
        + pd.to_timedelta(
            rng.exponential(SHARE_LAG_DAYS * 24, SHARES_WITHOUT_SIGNUP), unit="h"
        ).to_numpy()
    )
    others = pd.DataFrame(
        {
            "customer_id": paid["customer_id"].to_numpy()[shared],
            "shared_time": times,
            "clicks": rng.poisson(CLICKS_PER_LINK, SHARES_WITHOUT_SIGNUP),
            "referred_customer_id": "",
            "first_order_id": "",
        }
    )
    others = others[others["shared_time"] < END + pd.Timedelta(days=1)]
    r = pd.concat([winners, others], ignore_index=True)
    r["shared_time"] = pd.to_datetime(r["shared_time"]).dt.floor("s")
    r = r.sort_values("shared_time", kind="stable").reset_index(drop=True)
    r.insert(0, "share_id", ids("SH", len(r), 5))
    return r
