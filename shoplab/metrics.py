"""The shop-wide definitions every chapter shares: paid orders, GMV, net revenue, AOV, rates.

One definition each, used by lessons, exercises and graders alike:

* a **paid order** has status `completed` or `refunded` (a `cancelled` order was never paid);
* **GMV** (成交总额) is the goods value buyers paid (`order_amount`, after discounts, without
  shipping) summed over paid orders — before refunds, as platforms report it;
* **net revenue** is GMV minus the `order_amount` of refunded orders;
* **AOV** (客单价) is GMV per paid order.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PAID_STATUSES = ("completed", "refunded")


def paid(orders: pd.DataFrame) -> pd.DataFrame:
    """The orders that were paid for (refunded ones included: they were paid, then returned)."""
    return orders[orders["status"].isin(PAID_STATUSES)]


def gmv(orders: pd.DataFrame) -> float:
    """Gross merchandise value (成交总额): paid goods value before refunds, ¥."""
    return float(paid(orders)["order_amount"].sum())


def net_revenue(orders: pd.DataFrame) -> float:
    """GMV minus refunded orders' goods value, ¥."""
    return float(orders.loc[orders["status"] == "completed", "order_amount"].sum())


def average_order_value(orders: pd.DataFrame) -> float:
    """AOV (客单价): GMV per paid order, ¥."""
    paid_orders = paid(orders)
    return float(paid_orders["order_amount"].sum() / len(paid_orders)) if len(paid_orders) else 0.0


def rate(part, whole):
    """`part / whole` as a fraction, 0 where `whole` is 0 (no traffic means no conversion).

    Works on numbers and, element-wise, on Series.
    """
    if isinstance(part, pd.Series) or isinstance(whole, pd.Series):
        whole = whole.where(whole != 0) if isinstance(whole, pd.Series) else (whole or np.nan)
        return (part / whole).astype(float).fillna(0.0)
    return float(part) / float(whole) if whole else 0.0


def share(mask) -> float:
    """Share of rows where `mask` is True, as a fraction."""
    mask = np.asarray(mask, dtype=bool)
    return float(mask.mean()) if mask.size else 0.0
