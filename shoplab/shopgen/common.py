"""Shared constants and helpers for the generator.

One fixed seed; each table draws from its own child stream (`rng_for(name)`), so changing one
table's generator does not reshuffle every other table.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

SEED = 20240618
START = pd.Timestamp("2024-01-01")
END = pd.Timestamp("2025-12-31")
DAYS = pd.date_range(START, END, freq="D")
N_DAYS = len(DAYS)

AB_START = pd.Timestamp("2025-03-03")
AB_END = pd.Timestamp("2025-04-13")  # inclusive
AB_LIFT = 1.22  # variant B multiplies P(started_checkout | added_to_cart) by this

PRICE_TEST_START = pd.Timestamp("2025-01-06")
PRICE_TEST_WEEKS = 20

CHANNELS = np.array(["platform", "livestream", "mini_program"])
SOURCES = np.array(["search", "ads", "livestream", "social", "direct"])
ZONES = np.array(["same_province", "neighbouring", "national", "remote"])
CARRIERS = np.array(["SF Express", "ZTO", "YTO", "JD Logistics"])


def rng_for(name: str) -> np.random.Generator:
    """An independent, reproducible random stream per table/topic."""
    return np.random.default_rng([SEED, zlib.crc32(name.encode())])


def ids(prefix: str, n: int, width: int, start: int = 1) -> np.ndarray:
    return np.array([f"{prefix}{i:0{width}d}" for i in range(start, start + n)], dtype=object)


def festival_factor(days: pd.DatetimeIndex) -> np.ndarray:
    """Traffic multiplier for 618 and Double 11 (pre-sale from late Oct, peak on the day)."""
    f = np.ones(len(days))
    m, d = days.month.to_numpy(), days.day.to_numpy()
    # 618: June 1-18 ramp, peak on the 18th; small hangover 19-20
    in618 = (m == 6) & (d <= 18)
    f[in618] = 1.35 + 0.05 * d[in618]
    f[(m == 6) & (d == 18)] = 3.6
    f[(m == 6) & (d == 17)] = 2.2
    f[(m == 6) & (d == 1)] = 2.0  # opening night
    # Double 11: pre-sale Oct 21-31, first wave Nov 1-3, peak Nov 11
    pre = (m == 10) & (d >= 21)
    f[pre] = 1.4
    f[(m == 11) & (d <= 3)] = 2.3
    f[(m == 11) & (d > 3) & (d <= 10)] = 1.5
    f[(m == 11) & (d == 10)] = 2.4
    f[(m == 11) & (d == 11)] = 5.0
    f[(m == 11) & (d == 12)] = 1.3
    # Spring Festival logistics shutdown: a dip around Chinese New Year
    for cny in ("2024-02-10", "2025-01-29"):
        c = pd.Timestamp(cny)
        dip = (days >= c - pd.Timedelta(days=5)) & (days <= c + pd.Timedelta(days=7))
        f[dip] *= 0.55
    return f


# Pull-forward (提前/透支消费): shoppers wait for a festival and stock up during it, so organic
# traffic dips in the days before and after each one (window in days, traffic multiplier), and
# before it those who do come fill carts and wait (加购): P(checkout | cart) × CART_WAIT.
PRE_FESTIVAL_DIP = (10, 0.65)
POST_FESTIVAL_DIP = (10, 0.60)
CART_WAIT = 0.85
FESTIVALS = (("06-01", "06-18"), ("10-21", "11-11"))  # 618 and Double 11 (first and last day)


def pre_festival(days: pd.DatetimeIndex) -> np.ndarray:
    """Whether each day lies in the window before 618 or Double 11 (shoppers wait)."""
    return pull_forward(days, post=False) < 1


def pull_forward(days: pd.DatetimeIndex, post: bool = True) -> np.ndarray:
    """Traffic multiplier: the dips before and (if `post`) after 618 and Double 11."""
    f = np.ones(len(days))
    for year in sorted(set(days.year)):
        for first, last in FESTIVALS:
            a, b = pd.Timestamp(f"{year}-{first}"), pd.Timestamp(f"{year}-{last}")
            (n_pre, pre), (n_post, post_dip) = PRE_FESTIVAL_DIP, POST_FESTIVAL_DIP
            f[(days >= a - pd.Timedelta(days=n_pre)) & (days < a)] *= pre
            # Double 11's 12 November is still a sales day (festival_factor): the dip follows it
            after = b + pd.Timedelta(days=2 if last == "11-11" else 1)
            if post:
                f[(days >= after) & (days < after + pd.Timedelta(days=n_post))] *= post_dip
    return f


def base_traffic(days: pd.DatetimeIndex) -> np.ndarray:
    """Expected sessions per day before festivals: growth, yearly and weekly seasonality."""
    t = np.arange(len(days)) / 365.0
    growth = 1.0 + 0.18 * t
    doy = days.day_of_year.to_numpy()
    yearly = 1.0 + 0.12 * np.cos(2 * np.pi * (doy - 340) / 365.0)  # winter kitchen season
    dow = days.day_of_week.to_numpy()
    weekly = np.array([0.95, 0.93, 0.94, 0.97, 1.02, 1.12, 1.10])[dow]
    return growth * yearly * weekly


def in_promo_conversion(days: pd.DatetimeIndex) -> np.ndarray:
    """Conversion multiplier on festival days (满减 urgency)."""
    f = festival_factor(days)
    return np.where(f > 1.2, 1.0 + 0.12 * np.minimum(f - 1.0, 2.5), 1.0)
