"""Products: which SKUs carry the revenue and which the profit (ABC / Pareto), what a SKU's
page converts, what a launch adds and takes from its neighbour, and where the shop trails its
competitors. Chapter 02's lesson, widget and exercises all call these.

A SKU's contribution is the shop's one definition (`metrics.unit_contribution`) applied to each
paid order line at its channel's rates, the line's own price and its own fate: a line of a
refunded order loses its price and keeps its cost (refund rate 1), any other line refund rate
0. Shipping and order-level discounts are costs of the order, not of one SKU in it, so a SKU's
contribution here is before them (and adds up to a little more than the books' contribution).
"""

from __future__ import annotations

import pandas as pd

from shoplab.metrics import paid, unit_contribution

ABC_THRESHOLDS = (0.80, 0.95)  # A: the first 80 % of the total, B: the next 15 %, C: the rest
# competitor dimension -> +1 when more is better, −1 when less is better
DIMENSIONS = {"price": -1, "rating": 1, "delivery_days": -1, "assortment": 1, "return_rate": -1}


def paid_lines(orders: pd.DataFrame, order_items: pd.DataFrame) -> pd.DataFrame:
    """The order lines of paid orders, with the order's time, channel and status."""
    columns = ["order_id", "order_time", "channel", "status"]
    return order_items.merge(paid(orders)[columns], on="order_id")


def line_contribution(lines: pd.DataFrame, products: pd.DataFrame, fees: pd.DataFrame):
    """¥ each paid line leaves (边际贡献): its units × the unit contribution at its price."""
    terms = fees.set_index("channel").loc[lines["channel"]]
    per_unit = unit_contribution(
        lines["unit_price"].to_numpy(),
        lines["sku"].map(products.set_index("sku")["unit_cost"]).to_numpy(),
        commission_rate=terms["commission_rate"].to_numpy(),
        payment_fee_rate=terms["payment_fee_rate"].to_numpy(),
        refund_rate=(lines["status"] == "refunded").to_numpy(dtype=float),
    )
    return pd.Series(per_unit * lines["quantity"].to_numpy(), index=lines.index)


def sku_totals(lines: pd.DataFrame, products: pd.DataFrame, fees: pd.DataFrame) -> pd.DataFrame:
    """Per SKU: revenue (line amounts, ¥), units and contribution (¥), SKUs without sales 0."""
    totals = lines.assign(contribution=line_contribution(lines, products, fees)).groupby("sku").agg(
        revenue=("line_amount", "sum"),
        units=("quantity", "sum"),
        contribution=("contribution", "sum"),
    )
    return totals.reindex(products["sku"], fill_value=0.0).rename_axis("sku")


def pareto(values: pd.Series) -> pd.DataFrame:
    """The Pareto table (帕累托): values largest first, each one's share and the cumulative
    share up to and including it."""
    ordered = values.sort_values(ascending=False, kind="stable")
    share = ordered / ordered.sum()
    return pd.DataFrame({"value": ordered, "share": share, "cumulative": share.cumsum()})


def abc_classes(values: pd.Series, thresholds: tuple[float, float] = ABC_THRESHOLDS) -> pd.Series:
    """ABC class of each item, largest first: A until the cumulative share reaches the first
    threshold, B until the second, C after.

    An item is in the class where its cumulative share *starts*: the SKU that crosses 80 % is
    still an A (without it the A items would not make 80 %). Works on any non-negative metric;
    a negative total (a loss-making SKU in contribution) counts as nothing to carry.
    """
    a, b = thresholds
    if not 0 < a <= b <= 1:
        raise ValueError("thresholds must satisfy 0 < A ≤ B ≤ 1")
    table = pareto(values.clip(lower=0))
    starts = table["cumulative"] - table["share"]
    classes = ["A" if s < a else "B" if s < b else "C" for s in starts.round(12)]
    return pd.Series(classes, index=table.index, name="class")


def view_to_cart(sessions: pd.DataFrame) -> pd.Series:
    """Per viewed SKU, the share of its product-page visits that added to the cart (加购率)."""
    viewed = sessions[sessions["viewed_product"]]
    return viewed.groupby("viewed_sku")["added_to_cart"].mean().rename("view_to_cart")


def weeks_since(times: pd.Series, start: pd.Timestamp) -> pd.Series:
    """Whole weeks from `start` (week 0 is its first seven days; before it, negative)."""
    return (times - start).dt.days // 7


def expected_units(lines: pd.DataFrame, sku: str, baseline: list[str], before, after) -> float:
    """Units `sku` would have sold in the `after` weeks had it kept its `before` share of the
    `baseline` SKUs' units (the category's trend, the new product and `sku` left out).

    `lines` carries a `week` column (weeks since the launch); `before` and `after` are
    (first, last) week pairs, inclusive.
    """
    def units(skus, weeks):
        rows = lines["sku"].isin(skus) & lines["week"].between(*weeks)
        return float(lines.loc[rows, "quantity"].sum())

    return units([sku], before) * units(baseline, after) / units(baseline, before)


def cannibalisation_rate(lines, new_sku: str, neighbour: str, baseline, before, after) -> float:
    """Cannibalisation rate (蚕食率, Farris et al., *Marketing Metrics*): the units the
    `neighbour` lost to the launch ÷ the units the new SKU sold, over the `after` weeks.

    Lost = what the neighbour would have sold on the category's trend (`expected_units`)
    minus what it sold.
    """
    after_rows = lines["week"].between(*after)
    sold = float(lines.loc[after_rows & (lines["sku"] == neighbour), "quantity"].sum())
    new = float(lines.loc[after_rows & (lines["sku"] == new_sku), "quantity"].sum())
    lost = expected_units(lines, neighbour, baseline, before, after) - sold
    return lost / new


def trailing_gaps(ours: pd.Series, rivals: pd.DataFrame) -> pd.Series:
    """How far the shop trails the competitors' average on each dimension, as a share of that
    average: positive = we are worse (dearer, slower, lower rated, fewer SKUs, more returns),
    negative = we lead. Shares make ¥, days, stars and SKU counts comparable."""
    average = rivals[list(DIMENSIONS)].mean()
    direction = pd.Series(DIMENSIONS)
    return (-direction * (ours[list(DIMENSIONS)] - average) / average).astype(float)


def shop_profile(lines, products, reviews, shipments, category: str, comparable_sku: str):
    """The shop's own figures on the competitor dimensions, for one category: the comparable
    SKU's list price, the category's average review rating, average days from order to
    delivery and share of orders refunded (orders with a line of the category), and its SKUs."""
    catalogue = products.set_index("sku")
    in_category = lines[lines["sku"].map(catalogue["category"]) == category]
    orders = in_category.drop_duplicates("order_id").set_index("order_id")
    delivered = shipments.set_index("order_id")["delivered_time"].reindex(orders.index)
    days = (delivered - orders["order_time"]).dt.total_seconds() / 86400
    rated = reviews[reviews["sku"].map(catalogue["category"]) == category]
    return pd.Series({
        "price": float(catalogue.at[comparable_sku, "list_price"]),
        "rating": float(rated["rating"].mean()),
        "delivery_days": float(days.mean()),
        "assortment": int((catalogue["category"] == category).sum()),
        "return_rate": float((orders["status"] == "refunded").mean()),
    })
