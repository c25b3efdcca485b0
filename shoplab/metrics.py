"""The shop-wide definitions every chapter shares: paid orders, GMV, net revenue, AOV, rates,
conversion, repurchase, new customers and the contribution margin.

One definition each, used by lessons, exercises and graders alike. Topic modules
(`shoplab.pricing`, `shoplab.ads`, ...) import this module and nothing else of the course's, so
an idea two chapters need lives here, once, instead of one chapter importing another's module
(tests/topics/test_import_rule.py enforces it):

* a **paid order** has status `completed` or `refunded` (a `cancelled` order was never paid);
* **GMV** (成交总额) is the goods value buyers paid (`order_amount`, after discounts, without
  shipping) summed over paid orders — before refunds. Platforms have also reported a GMV of
  everything ordered, paid or not (拍下金额); the course counts paid orders only;
* **net revenue** is GMV minus the `order_amount` of refunded orders;
* **AOV** (average order value, 笔单价) is GMV per paid order, an order being one row of
  `orders` as the buyer placed it (not its separate lines); **客单价**, as 生意参谋 reports it,
  is paid amount per paying **buyer** (`spend_per_buyer`), higher when buyers order twice;
* a **new customer** is won on their first paid order; a **conversion** is a visit that ended
  in a paid order;
* the **contribution** (边际贡献) of a unit sold at price p is p minus everything that grows
  with the sale: the unit cost, the price-proportional platform commission and payment fee,
  the expected refund (refunded goods are written off, not restocked, so a refund loses the
  price and keeps the cost) and the shipping the shop pays net of what the buyer paid.
  `unit_contribution` is that one definition per unit; `unit_economics` is the same
  decomposition over the shop's books, as shares of GMV. Fixed costs and ad spend are not in
  it: decisions on price, promotions and ads compare their extra contribution with them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PAID_STATUSES = ("completed", "refunded")


def among(values: pd.Series, keys) -> pd.Series:
    """`values.isin(keys)`, for long lists of keys (an order's or a customer's id).

    pandas tests an Arrow string column (how `load_table` returns text) against `isin`'s
    list one key at a time, about 5 µs a key: 0.1 s for the shop's 20,000 paid orders, and
    the checks do it in nearly every exercise. An index of the keys hashes them at once."""
    found = pd.Index(keys).unique().get_indexer(values) >= 0
    return pd.Series(found, index=values.index, name=values.name)


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
    """AOV (average order value, 笔单价): GMV per paid order, ¥."""
    paid_orders = paid(orders)
    return float(paid_orders["order_amount"].sum() / len(paid_orders)) if len(paid_orders) else 0.0


def spend_per_buyer(orders: pd.DataFrame) -> float:
    """客单价 as 生意参谋 defines it: paid amount (GMV) ÷ paying buyers, ¥."""
    buyers = paid(orders)["customer_id"].nunique()
    return gmv(orders) / buyers if buyers else 0.0


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


def conversion_rate(conversions, visits):
    """Conversion rate (转化率): visits that ended in a paid order ÷ visits, as a fraction.

    One idea for every chapter: a visit is a session in the funnel (chapter 08) and a click in
    the ad metric tree (chapter 06: every ad click lands one visit, so CVR = orders ÷ clicks).
    0 where there were no visits. Numbers or, element-wise, Series.
    """
    return rate(conversions, visits)


def repurchase_rate(orders: pd.DataFrame) -> float:
    """复购率: the share of paying customers with two or more paid orders in `orders`.

    The window is whatever `orders` covers: the longer it is, the higher the rate.
    """
    per_customer = paid(orders).groupby("customer_id").size()
    return rate(int((per_customer >= 2).sum()), len(per_customer))


def first_paid_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """Each customer's first paid order: the day they became a customer."""
    ordered = paid(orders).sort_values("order_time", kind="stable")
    return ordered.drop_duplicates("customer_id")


def new_customer_first_orders(orders: pd.DataFrame, customers: pd.DataFrame) -> pd.DataFrame:
    """First paid order of every customer won in the data (members from before 2024 left out).

    The orders start in 2024, so a `legacy` member's first order *in the data* may not be
    their first order ever: they were won before, no ad since can claim them (chapter 06's
    CAC), and they belong to no cohort (chapter 09).
    """
    legacy = customers.loc[customers["acquisition_channel"] == "legacy", "customer_id"]
    first = first_paid_orders(orders)
    return first[~among(first["customer_id"], legacy)]


def new_customers_by_year(orders: pd.DataFrame, customers: pd.DataFrame) -> pd.Series:
    """Customers won per year: their first paid order fell in that year."""
    first = new_customer_first_orders(orders, customers)
    return first.groupby(first["order_time"].dt.year).size()


def unit_contribution(price, unit_cost, *, commission_rate=0.0, payment_fee_rate=0.0,
                      refund_rate=0.0, net_shipping=0.0):
    """¥ a unit sold at `price` leaves after the costs that grow with the sale (边际贡献).

    price × (1 − commission − payment fee − refund rate) − unit cost − net shipping per unit.
    The rates are fractions of the price (a channel's `fees` row, the expected share of sales
    refunded); works on numbers, arrays and Series alike.
    """
    kept = 1.0 - commission_rate - payment_fee_rate - refund_rate
    return price * kept - unit_cost - net_shipping


def contribution_margin(price, unit_cost, **costs):
    """The contribution of a unit as a fraction of its price: `unit_contribution` ÷ price."""
    return unit_contribution(price, unit_cost, **costs) / price


def unit_economics(orders, order_items, products, fees, shipments) -> pd.Series:
    """What each cost takes from one ¥ of GMV, and the contribution margin left after them.

    GMV is the base because ad consoles attribute GMV-like revenue.
    * product cost: unit costs of the goods in every paid order (refunded goods are written
      off, not restocked: see the inventory table in datasets/README.md);
    * commission and payment fees: the channel's rates (`fees`) on every paid order;
    * shipping: what carriers charged for the paid orders, less shipping buyers paid;
    * returns: the goods value refunded to buyers (GMV − net revenue).
    Contribution margin (边际贡献率) = 1 − the five shares; gross margin keeps only the first.
    """
    paid_orders = paid(orders)
    base = gmv(orders)
    terms = fees.set_index("channel")
    items = order_items[among(order_items["order_id"], paid_orders["order_id"])]
    unit_cost = items["sku"].map(products.set_index("sku")["unit_cost"])
    amount, channel = paid_orders["order_amount"], paid_orders["channel"]
    costs = pd.Series({
        "product_cost": float((items["quantity"] * unit_cost).sum()),
        "commission": float((amount * channel.map(terms["commission_rate"])).sum()),
        "payment_fees": float((amount * channel.map(terms["payment_fee_rate"])).sum()),
        "shipping": float(shipments["shipping_cost"].sum() - paid_orders["shipping_fee"].sum()),
        "returns": float(orders.loc[orders["status"] == "refunded", "order_amount"].sum()),
    }) / base
    return pd.concat([costs, pd.Series({
        "gross_margin": 1.0 - costs["product_cost"],
        "contribution_margin": 1.0 - costs.sum(),
    })])


def channel_contribution(orders, order_items, products, fees, shipments) -> pd.DataFrame:
    """Per sales channel: GMV, contribution margin (边际贡献率) and contribution in ¥.

    Each channel's books go through `unit_economics`, the shop-wide definition.
    """
    rows = {}
    for channel in sorted(orders["channel"].unique()):
        own = orders[orders["channel"] == channel]
        margin = unit_economics(
            own, order_items, products, fees,
            shipments[among(shipments["order_id"], own["order_id"])])["contribution_margin"]
        rows[channel] = {"gmv": gmv(own), "contribution_margin": margin}
    table = pd.DataFrame.from_dict(rows, orient="index").rename_axis("channel")
    table["contribution"] = table["gmv"] * table["contribution_margin"]
    return table
