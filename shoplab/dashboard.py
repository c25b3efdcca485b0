"""The shop health dashboard (数据化运营): the seed's indicator table for any month, and which of
GMV's three drivers moved it.

The training courseware's table groups a shop's indicators in four kinds (traffic, conversion,
user, product). This module computes those the shop's tables record, every one from a
definition in `shoplab.metrics`:

* **traffic** (流量指标): visitors (访客数, unique `visitor_id`), visits (sessions) and the
  bounce rate (跳出率). The sessions table keeps no page count, so a bounce is read as a visit
  that left without opening a product page; page views (浏览量) are not recorded;
* **conversion** (转化指标): paid orders (成交量), the conversion rate (转化率, the seed's
  成交订单 ÷ 访客: the month's paid orders ÷ its visits), AOV (笔单价) and GMV;
* **user** (用户指标): the new-customer share (新客比例: buyers won this month ÷ paying buyers)
  and the repurchase rate (复购率, `metrics.repurchase_rate`) over the twelve months to the
  month's end — within one month hardly anyone buys twice;
* **product** (商品指标): the add-to-cart rate (加购率: visits that added to the cart ÷ visits
  that opened a product page). Favourites (收藏率) and product-listing exposures are not in
  the data, and ad impressions are not the shop's listing exposures, so no product CTR.

A month's conversion rate counts the paid orders *placed* that month against the visits
*started* that month (a visit just before midnight on the last day can pay the next day), so
GMV = visits × conversion rate × AOV holds exactly and the change in GMV between two months
splits exactly into the three drivers' shares (`gmv_drivers`): the log-mean (LMDI)
decomposition, ΔGMV_x = L(GMV₁, GMV₀) · ln(x₁ / x₀) with L(a, b) = (a − b) / (ln a − ln b)
(Ang, "The LMDI approach to decomposition analysis: a practical guide", *Energy Policy* 33,
2005). Unlike replacing one driver at a time, it leaves no residual and does not depend on
the order the drivers are taken in. A seasonal shop is compared with the same month last
year (同比) before the previous month (环比): November always beats October.
"""

from __future__ import annotations

import math

import pandas as pd

from shoplab import metrics

# (indicator, kind, unit) in the order the dashboard shows them; units are charts.fmt's kinds.
INDICATORS = (
    ("visitors", "traffic", "count"),
    ("visits", "traffic", "count"),
    ("bounce_rate", "traffic", "percent"),
    ("paid_orders", "conversion", "count"),
    ("conversion_rate", "conversion", "percent"),
    ("aov", "conversion", "yen"),
    ("gmv", "conversion", "yen"),
    ("new_customer_share", "user", "percent"),
    ("repurchase_rate", "user", "percent"),
    ("add_to_cart_rate", "product", "percent"),
)
LOWER_IS_BETTER = {"bounce_rate"}  # every other indicator is better when it rises
DRIVERS = ("visits", "conversion_rate", "aov")  # GMV = visits × conversion rate × AOV
COMPARISONS = ("previous month", "same month last year")
# the columns `indicators` reads: a month is cut from these alone, since cutting every column
# of the sessions table (Arrow-backed) costs more than all the counting after it
SESSION_COLUMNS = ["start_time", "visitor_id", "viewed_product", "added_to_cart"]
ORDER_COLUMNS = ["order_time", "status", "order_amount", "customer_id"]


def month_of(value) -> pd.Period:
    """A month as a pandas Period: "2025-11", a date or a Period."""
    return pd.Period(value, freq="M")


def in_month(table: pd.DataFrame, column: str, month) -> pd.DataFrame:
    """The rows of `table` whose `column` (a datetime) falls in `month`."""
    month = month_of(month)
    return _between(table, column, month.start_time, month.end_time)


def _between(table: pd.DataFrame, column: str, start, end) -> pd.DataFrame:
    """The rows whose `column` is in [start, end]: a slice where the table is in time order
    (the shop's tables are), a mask otherwise."""
    times = table[column]
    if times.is_monotonic_increasing:
        low, high = times.searchsorted(start, side="left"), times.searchsorted(end, side="right")
        return table.iloc[low:high]
    return table[(times >= start) & (times <= end)]


def indicators(sessions: pd.DataFrame, orders: pd.DataFrame, customers: pd.DataFrame,
               month, *, _first: pd.DataFrame | None = None) -> pd.Series:
    """Every indicator of INDICATORS for one month, named as there."""
    month = month_of(month)
    sessions, orders = sessions[SESSION_COLUMNS], orders[ORDER_COLUMNS]
    visits = in_month(sessions, "start_time", month)
    placed = in_month(orders, "order_time", month)
    paid = metrics.paid(placed)
    first = metrics.new_customer_first_orders(orders, customers) if _first is None else _first
    year = _between(orders, "order_time", (month - 11).start_time, month.end_time)
    return pd.Series({
        "visitors": visits["visitor_id"].nunique(),
        "visits": len(visits),
        "bounce_rate": metrics.share(~visits["viewed_product"].to_numpy(bool)),
        "paid_orders": len(paid),
        "conversion_rate": metrics.conversion_rate(len(paid), len(visits)),
        "aov": metrics.average_order_value(placed),
        "gmv": metrics.gmv(placed),
        "new_customer_share": metrics.rate(len(in_month(first, "order_time", month)),
                                           paid["customer_id"].nunique()),
        "repurchase_rate": metrics.repurchase_rate(year),
        "add_to_cart_rate": metrics.rate(int(visits["added_to_cart"].sum()),
                                         int(visits["viewed_product"].sum())),
    }, dtype=float, name=str(month))


def monthly(sessions: pd.DataFrame, orders: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """The indicators of every month the sessions cover: one row per month ("2024-01" …)."""
    months = sorted(sessions["start_time"].dt.to_period("M").unique())
    sessions, orders = sessions[SESSION_COLUMNS], orders[ORDER_COLUMNS]
    first = metrics.new_customer_first_orders(orders, customers)  # once, not once a month
    return pd.DataFrame([indicators(sessions, orders, customers, m, _first=first)
                         for m in months])


def compared_with(month) -> dict[str, pd.Period]:
    """The months a month is read against: the previous month and the same month last year."""
    month = month_of(month)
    return dict(zip(COMPARISONS, (month - 1, month - 12), strict=True))


def health_table(table: pd.DataFrame, month) -> pd.DataFrame:
    """One month's indicators beside the months it is compared with, and the relative change
    against each (`monthly`'s table in, one row per indicator out; a comparison month outside
    the data is left empty)."""
    month = month_of(month)
    columns = {str(month): table.loc[str(month)]}
    for label, other in compared_with(month).items():
        before = table.loc[str(other)] if str(other) in table.index else None
        columns[label] = before if before is not None else pd.Series(float("nan"),
                                                                      index=table.columns)
        columns[f"change vs {label}"] = columns[str(month)] / columns[label] - 1
    out = pd.DataFrame(columns)
    out.insert(0, "kind", [kind for _, kind, _ in INDICATORS])
    out.index.name = "indicator"
    return out


def log_mean(a: float, b: float) -> float:
    """The logarithmic mean L(a, b) = (a − b) / (ln a − ln b), with L(a, a) = a."""
    return a if math.isclose(a, b) else (a - b) / (math.log(a) - math.log(b))


def gmv_drivers(before: pd.Series, after: pd.Series) -> pd.Series:
    """¥ of the change in GMV from `before` to `after` (two months' indicators) due to each of
    visits, conversion rate and AOV (LMDI); the three add up to GMV after − GMV before."""
    weight = log_mean(float(after["gmv"]), float(before["gmv"]))
    return pd.Series({driver: weight * math.log(after[driver] / before[driver])
                      for driver in DRIVERS}, name="gmv_change")


def yoy_gmv_change(table: pd.DataFrame) -> pd.Series:
    """Each month's GMV against the same month a year before, as a relative change; months
    without a year before are left out."""
    gmv = table["gmv"].set_axis(pd.PeriodIndex(table.index, freq="M"))
    year_before = gmv.reindex(gmv.index - 12).to_numpy()
    change = (gmv / year_before - 1).dropna()
    return change.set_axis(change.index.astype(str))
