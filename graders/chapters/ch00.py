"""Chapter 00 warm-ups: load a table, the shop's headline numbers (paid orders, GMV, mobile
share, AOV per order, 笔单价), then three first readings: which product to watch first, which
traffic source the sales depend on, which device to improve first — each with the classic way
to get it wrong.

They teach the check → hint → fix loop as much as the numbers: the mistakes are the ones
merchants make when they read a platform report for the first time. The decisions follow one
rule, weigh by money, not by counts (the lesson's "Where to look first").
"""

from __future__ import annotations

import pandas as pd

from graders.answers import Label, Number
from graders.spec import Exercise, Mistake
from shoplab import funnel, metrics


def _sales_by_sku(data) -> pd.DataFrame:
    """Per SKU, over the order lines of paid orders: sales (¥), units and orders."""
    paid_ids = metrics.paid(data.orders)["order_id"]
    lines = data.order_items[data.order_items["order_id"].isin(paid_ids)]
    return lines.groupby("sku").agg(
        sales=("line_amount", "sum"), units=("quantity", "sum"), orders=("order_id", "nunique")
    )


def _mobile_share(frame: pd.DataFrame) -> float:
    return metrics.share(frame["device"] == "mobile")


def _by_source(data) -> pd.DataFrame:
    """Per traffic source: sessions (visits) and the GMV of its paid orders."""
    return pd.DataFrame({
        "sessions": data.sessions.groupby("traffic_source").size(),
        "gmv": metrics.paid(data.orders).groupby("traffic_source")["order_amount"].sum(),
    })


def _device_stakes(data) -> pd.DataFrame:
    """Per device: its conversion rate and the GMV one more point of it would add."""
    return funnel.conversion_point_value(data.sessions, data.orders, "device")


EXERCISES = (
    Exercise(
        id="00.1",
        kind="computation",
        name="n_customers",
        title="Load a table: registered customers",
        answer=Number("count"),
        reference=lambda data: len(data.customers),
        mistakes=(
            Mistake(
                "buyers_not_customers",
                lambda data: data.orders["customer_id"].nunique(),
                "That counts the customers who placed an order. The customers table also "
                "holds people who registered but never bought: count its rows.",
            ),
        ),
        hints=(
            'Load the table yourself: customers = load_table("customers").',
            "One row per registered customer, so the number of rows is the answer: "
            "len(customers).",
        ),
        points=1,
    ),
    Exercise(
        id="00.2",
        kind="computation",
        name="paid_orders",
        title="Paid orders",
        answer=Number("count"),
        reference=lambda data: len(metrics.paid(data.orders)),
        mistakes=(
            Mistake(
                "all_orders",
                lambda data: len(data.orders),
                "That counts every order placed, cancelled ones included. A cancelled order "
                "was never paid: keep status 'completed' and 'refunded'.",
            ),
            Mistake(
                "completed_only",
                lambda data: int((data.orders["status"] == "completed").sum()),
                "That leaves out refunded orders. They were paid (the money came back "
                "later), so they count as paid orders.",
            ),
        ),
        hints=(
            "Look at orders.status.value_counts(): which statuses mean the buyer paid?",
            "Paid = 'completed' or 'refunded'. "
            "orders.status.isin([\"completed\", \"refunded\"]) marks them.",
            "Sum that True/False mask (True counts as 1), or take len() of the rows it keeps.",
        ),
        points=1,
    ),
    Exercise(
        id="00.3",
        kind="computation",
        name="gmv",
        title="GMV (成交总额)",
        answer=Number("yuan"),
        reference=lambda data: metrics.gmv(data.orders),
        mistakes=(
            Mistake(
                "includes_cancelled",
                lambda data: float(data.orders["order_amount"].sum()),
                "That includes cancelled orders, which were never paid. GMV sums paid orders "
                "only (completed and refunded).",
            ),
            Mistake(
                "net_of_refunds",
                lambda data: metrics.net_revenue(data.orders),
                "That takes refunds off: it is net revenue. GMV is counted before refunds, "
                "as platforms report it — keep refunded orders in.",
            ),
            Mistake(
                "includes_shipping",
                lambda data: float(
                    metrics.paid(data.orders)[["order_amount", "shipping_fee"]].sum().sum()
                ),
                "That adds the shipping fees. GMV is the value of the goods: order_amount "
                "only.",
            ),
            Mistake(
                "before_discounts",
                lambda data: float(metrics.paid(data.orders)["gross_amount"].sum()),
                "That is gross_amount, the value before discounts. GMV is what buyers "
                "actually paid for the goods: order_amount.",
            ),
        ),
        hints=(
            "GMV adds up the goods value of paid orders. Which column is what the buyer "
            "paid for the goods, after discounts?",
            "Keep paid orders (status 'completed' or 'refunded'), then sum order_amount. "
            "No shipping, no refunds taken off.",
        ),
        points=2,
    ),
    Exercise(
        id="00.4",
        kind="computation",
        name="mobile_share",
        title="Share of paid orders placed on mobile",
        answer=Number("fraction"),
        reference=lambda data: _mobile_share(metrics.paid(data.orders)),
        mistakes=(
            Mistake(
                "all_orders",
                lambda data: _mobile_share(data.orders),
                "That is the share of all orders, cancelled ones included. Take the paid "
                "orders first.",
            ),
            Mistake(
                "sessions",
                lambda data: _mobile_share(data.sessions),
                "That is the share of visits (sessions) on mobile — traffic, not purchases. "
                "Use the orders table.",
            ),
        ),
        hints=(
            "Start from the paid orders (as in 00.2), then look at their device column.",
            "(paid.device == \"mobile\").mean() gives the share as a fraction: the mean of "
            "True/False is the share of True.",
        ),
        points=2,
    ),
    Exercise(
        id="00.5",
        kind="decision",
        name="top_sku",
        title="The product to watch first",
        answer=Label(),
        reference=lambda data: str(_sales_by_sku(data)["sales"].idxmax()),
        mistakes=(
            Mistake(
                "by_units",
                lambda data: str(_sales_by_sku(data)["units"].idxmax()),
                "That product sells the most units (and is in the most orders), but a unit of "
                "a cheap product is worth less than a unit of a dear one. Rank by money: the "
                "sum of line_amount.",
            ),
        ),
        hints=(
            "The product whose stock-out would cost the most sales is the one with the most "
            "sales in ¥. order_items has one row per order line, with the SKU and its "
            "line_amount (¥). Keep the lines of paid orders: "
            "order_items.order_id.isin(paid.order_id).",
            "Group those lines by sku and sum line_amount: "
            'lines.groupby("sku").line_amount.sum().',
            "The label of the largest value is .idxmax().",
        ),
        points=2,
    ),
    Exercise(
        id="00.6",
        kind="computation",
        name="aov",
        title="Average order value per order (笔单价)",
        answer=Number("yuan"),
        reference=lambda data: metrics.average_order_value(data.orders),
        mistakes=(
            Mistake(
                "all_orders",
                lambda data: metrics.gmv(data.orders) / len(data.orders),
                "That divides by every order, cancelled ones included. Divide GMV by the "
                "number of paid orders.",
            ),
            Mistake(
                "per_buyer",
                lambda data: metrics.spend_per_buyer(data.orders),
                "That divides by the number of buyers: 客单价 as 生意参谋 reports it, spend "
                "per buyer. This exercise asks for the per-order AOV (笔单价): divide by paid "
                "orders.",
            ),
            Mistake(
                "with_shipping",
                lambda data: float(
                    metrics.paid(data.orders)[["order_amount", "shipping_fee"]].sum().sum()
                ) / len(metrics.paid(data.orders)),
                "That includes the shipping fees. AOV is GMV (goods only) per paid order.",
            ),
        ),
        hints=(
            "AOV = GMV ÷ number of paid orders: you computed both above.",
            "paid.order_amount.mean() gives the same thing in one step.",
        ),
        points=2,
    ),
    Exercise(
        id="00.7",
        kind="diagnosis",
        name="source_to_protect",
        title="The traffic source the sales depend on",
        answer=Label(),
        reference=lambda data: str(_by_source(data)["gmv"].idxmax()),
        mistakes=(
            Mistake(
                "by_visits",
                lambda data: str(_by_source(data)["sessions"].idxmax()),
                "That source brings the most visits, but visits are not sales: its visitors "
                "buy less often. Rank the sources by the GMV of their paid orders.",
            ),
        ),
        hints=(
            "Each order's traffic_source says where its visit came from. Weigh each source by "
            "the money it brought: the GMV of its paid orders.",
            'paid.groupby("traffic_source").order_amount.sum() gives GMV per source; '
            ".idxmax() the label of the largest.",
        ),
        points=3,
    ),
    Exercise(
        id="00.8",
        kind="decision",
        name="device_first",
        title="The device to improve first",
        answer=Label(("mobile", "pc")),
        reference=lambda data: str(_device_stakes(data)["gmv_per_point"].idxmax()),
        mistakes=(
            Mistake(
                "higher_conversion",
                lambda data: str(_device_stakes(data)["conversion_rate"].idxmax()),
                "That device converts best, but a rate says how well a device sells, not how "
                "much rides on it. Compare what one more point of conversion is worth: "
                "sessions × 0.01 × AOV on each device.",
            ),
        ),
        hints=(
            "One more point of conversion (0.01) on a device turns 1 % of its sessions into "
            "paid orders, each worth that device's AOV.",
            "Per device: sessions = sessions.groupby(\"device\").size(); AOV = GMV ÷ paid "
            "orders of that device.",
            "Worth of one point = sessions × 0.01 × AOV; the answer is the device where it is "
            "largest: \"mobile\" or \"pc\".",
        ),
        points=3,
    ),
)
