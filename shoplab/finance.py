"""Finance, tax and risk: the P&L's levels, break-even volume, the cash conversion cycle, a
weekly cash forecast, VAT under either taxpayer status, and how concentrated the profit is.
Chapter 12's lesson, widget and exercises call these.

The P&L itself is not re-derived here: its lines are `shoplab.shopgen.books.pnl_by_month`
(costs negative, one row per month), passed in as `pnl`; this module only groups them into the
levels each decision reads. Per-unit and per-channel contribution come from
`shoplab.metrics` (`unit_contribution`, `unit_economics`), the course's one definition.
Planning constants (opening cash, supplier terms, VAT rates) are the `parameters` table's rows.
"""

from __future__ import annotations

import math

import pandas as pd

from shoplab import metrics

# The P&L's levels (利润表): each is the sum of the books' lines up to it, so every level is
# one subtraction below the previous and the last is the books' net profit.
LEVELS = {
    "gross_profit": ("gmv", "product_cost"),
    "contribution": ("gmv", "refunds", "product_cost", "commission", "payment_fees",
                     "net_shipping"),
    "after_marketing": ("gmv", "refunds", "product_cost", "commission", "payment_fees",
                        "net_shipping", "gifts", "ad_spend", "livestream_fees", "kol_commission"),
    "operating_profit": ("gmv", "refunds", "product_cost", "commission", "payment_fees",
                         "net_shipping", "gifts", "ad_spend", "livestream_fees", "kol_commission",
                         "fixed_costs"),
}


def pnl_levels(pnl: pd.DataFrame) -> pd.DataFrame:
    """GMV and the P&L's levels per row of `pnl` (¥): gross profit (GMV − product cost),
    contribution (边际贡献: also after refunds, commission, payment fees and net shipping),
    after marketing (gifts, ads, livestream and KOL fees) and operating profit (after fixed
    costs). Gross profit serves pricing, contribution the ad and promotion decisions,
    operating profit the question whether the business pays."""
    out = pd.DataFrame({"gmv": pnl["gmv"]})
    for level, lines in LEVELS.items():
        out[level] = pnl[list(lines)].sum(axis=1)
    return out


def margins(levels: pd.DataFrame) -> pd.DataFrame:
    """Each level of `pnl_levels` as a fraction of GMV (gross, contribution, net margin)."""
    return levels.drop(columns="gmv").div(levels["gmv"], axis=0)


def loss_cause(levels: pd.DataFrame, festival) -> pd.Series:
    """Why each losing month lost money: `festival` when it is a festival month (`festival`
    is True: 618 or Double 11 and its pre-sale), whose loss is marketing spent up front to
    win the peak; `structural` otherwise — an ordinary month whose volume is below the
    break-even for its fixed costs and regular marketing, which will repeat until volume or
    the cost base changes. "" for a month in profit."""
    losing = levels["operating_profit"] < 0
    cause = pd.Series("", index=levels.index)
    cause[losing & festival] = "festival"
    cause[losing & ~festival] = "structural"
    return cause


def break_even_volume(fixed_costs, contribution_per_unit):
    """Break-even volume (盈亏平衡点): units (or orders) whose contribution pays the fixed
    costs, fixed costs ÷ contribution per unit (Farris et al., *Marketing Metrics*, ch. 3).
    Infinite when a unit contributes nothing or loses money: no volume breaks even."""
    if contribution_per_unit <= 0:
        return math.inf
    return fixed_costs / contribution_per_unit


def settlement_days(orders: pd.DataFrame, fees: pd.DataFrame) -> float:
    """Days from delivery until the platforms pay out, averaged over the channels by GMV."""
    paid = metrics.paid(orders)
    days = paid["channel"].map(fees.set_index("channel")["settlement_days"])
    return float((days * paid["order_amount"]).sum() / paid["order_amount"].sum())


def cash_conversion_cycle(days_of_inventory, days_to_cash, payment_days):
    """Cash conversion cycle (现金转换周期), days: how long a ¥ paid for goods is away before a
    buyer's ¥ replaces it — days of inventory + days until the sale's money arrives − days
    the supplier lets the shop wait. Negative: suppliers finance the stock."""
    return days_of_inventory + days_to_cash - payment_days


def daily_cash_flows(orders, shipments, fees, purchase_orders, ad_campaigns, livestreams,
                     fixed_costs, payment_days: float) -> pd.DataFrame:
    """Money in and out of the bank per day (¥, both positive), as it moves, not as it is
    booked: a completed order's goods value plus shipping charged, less commission and payment
    fee, arrives `settlement_days` after delivery (a refunded order's money goes back to the
    buyer before settlement, so never arrives); a purchase order is paid `payment_days` after it
    is received; carriers, ads, livestream and KOL fees and fixed costs are paid when incurred
    (fixed costs on the month's first day)."""
    terms = fees.set_index("channel")
    done = orders[orders["status"] == "completed"].merge(
        shipments[["order_id", "delivered_time"]], on="order_id")
    kept = 1 - done["channel"].map(terms["commission_rate"] + terms["payment_fee_rate"])
    arrives = done["delivered_time"].dt.normalize() + pd.to_timedelta(
        done["channel"].map(terms["settlement_days"]), unit="D")
    cash_in = ((done["order_amount"] + done["shipping_fee"]) * kept).groupby(arrives).sum()
    kol = livestreams[livestreams["host_type"] == "kol"]
    paid_on = purchase_orders["received_date"] + pd.to_timedelta(payment_days, unit="D")
    out = [
        (purchase_orders["quantity"] * purchase_orders["unit_cost"]).groupby(paid_on).sum(),
        shipments.groupby(shipments["ship_time"].dt.normalize())["shipping_cost"].sum(),
        ad_campaigns.groupby("date")["spend"].sum(),
        livestreams.groupby("date")["host_fee"].sum(),
        kol.groupby("date")["commission"].sum(),
        fixed_costs.groupby("month")["amount"].sum(),
    ]
    cash_out = pd.concat(out).groupby(level=0).sum()
    flows = pd.DataFrame({"cash_in": cash_in, "cash_out": cash_out}).fillna(0.0)
    flows.index.name = "date"
    return flows


def weekly_cash(flows: pd.DataFrame, opening_cash: float, start=None) -> pd.DataFrame:
    """Weeks (ending Sunday) of money in, out, net and the closing balance, from
    `opening_cash` on the first day of `flows` (or `start`: flows before it are ignored)."""
    if start is not None:
        flows = flows[flows.index >= pd.Timestamp(start)]
    week = flows.resample("W-SUN").sum()
    week["net"] = week["cash_in"] - week["cash_out"]
    week["closing_balance"] = opening_cash + week["net"].cumsum()
    return week


def affordable_spend(closing_balance: pd.Series, week, minimum_balance: float = 0.0) -> float:
    """The most the shop can pay out in `week` (its Sunday label; for extra stock, say) and
    never see the bank balance fall below `minimum_balance`: a payment lowers that week's and
    every later week's balance, so the lowest balance from `week` on, less the minimum, is
    what it can afford."""
    later = closing_balance[closing_balance.index >= pd.Timestamp(week)]
    return max(0.0, float(later.min()) - minimum_balance)


def vat_small_scale(sales, rate):
    """VAT (增值税) a small-scale taxpayer (小规模纳税人) owes on VAT-inclusive sales (¥):
    the levy rate on sales net of VAT, with no deduction for what it bought."""
    return sales / (1 + rate) * rate


def vat_general(sales, invoiced_purchases, rate):
    """VAT a general taxpayer (一般纳税人) owes (¥): output VAT on its VAT-inclusive sales less
    the input VAT on purchases bought with a special invoice (专用发票), never below zero
    (an excess carries forward)."""
    return max(0.0, (sales - invoiced_purchases) / (1 + rate) * rate)


def vat_break_even_value_added(general_rate, small_scale_rate):
    """The value-added share (1 − invoiced purchases ÷ sales) at which both statuses owe the
    same VAT: above it the small-scale levy is cheaper, below it the general taxpayer's."""
    return small_scale_rate / (1 + small_scale_rate) * (1 + general_rate) / general_rate


def shares(values: pd.Series) -> pd.Series:
    """Each item's share of the total (of profit, GMV, ...), largest first: the top share is
    the concentration risk (集中度) — what the shop loses if that one item fails."""
    return (values / values.sum()).sort_values(ascending=False)


def what_if(lines: pd.Series, *, price_change=0.0, elasticity=-2.0, ad_budget_change=0.0,
            ad_share=0.0, ad_exponent=1.0, commission_points=0.0, return_points=0.0):
    """The P&L's lines (books' `pnl_by_month` summed: a Series, costs negative) after a change,
    with `net_profit` their new sum.

    * price × (1 + price_change) sells (1 + price_change)^elasticity as many units;
    * the ad budget × (1 + ad_budget_change) scales the ad-driven share of sales (`ad_share`
      of GMV) by (1 + ad_budget_change)^ad_exponent (diminishing returns when below 1);
    * commission and refunds rise by `commission_points` and `return_points` of GMV.
    Lines that grow with units (product cost, shipping, gifts) scale with units, lines that are
    a share of the price (commission, payment fees, refunds, KOL commission) with GMV; ad
    spend with the budget; livestream slot fees and fixed costs do not move.
    """
    units = (1 + price_change) ** elasticity * (
        1 - ad_share + ad_share * (1 + ad_budget_change) ** ad_exponent)
    value = units * (1 + price_change)
    out = lines.drop("net_profit", errors="ignore").copy()
    for line in ("gmv", "refunds", "commission", "payment_fees", "kol_commission"):
        out[line] *= value
    for line in ("product_cost", "net_shipping", "gifts"):
        out[line] *= units
    out["ad_spend"] *= 1 + ad_budget_change
    out["commission"] -= commission_points * out["gmv"]
    out["refunds"] -= return_points * out["gmv"]
    out["net_profit"] = out.sum()
    return out


def risk_costs(orders, order_items, products, fees, ad_spend, *, sku, days,
               commission_rise=0.02, cpc_rise=0.2, commission_channels=("platform",)):
    """What each of three risks would take off a year's operating profit (¥, a loss positive):
    the scenario table of chapter 12, for the paid `orders` of that year.

    * ``commission``: the platform raises its commission by `commission_rise` — a share of the
      GMV of `commission_channels` only (the platform's terms do not touch the shop's own
      channels; None means every channel);
    * ``cpc``: clicks cost `cpc_rise` more, the same clicks bought — that share of `ad_spend`,
      the year's ad spend (a positive amount);
    * ``stockout``: `sku` out of stock over `days` (a (start, end) pair of times) — the
      contribution (`metrics.unit_contribution`, at each line's price and its channel's fees
      and expected refunds) of its order lines placed then.
    """
    paid = metrics.paid(orders)
    base = paid if commission_channels is None else paid[paid["channel"].isin(commission_channels)]
    items = order_items.merge(paid[["order_id", "order_time", "channel"]], on="order_id")
    lost = items[items["order_time"].between(*days) & (items["sku"] == sku)]
    terms = fees.set_index("channel").loc[lost["channel"]]
    contribution = metrics.unit_contribution(
        lost["unit_price"].to_numpy(), products.set_index("sku").at[sku, "unit_cost"],
        commission_rate=terms["commission_rate"].to_numpy(),
        payment_fee_rate=terms["payment_fee_rate"].to_numpy(),
        refund_rate=terms["return_rate_assumption"].to_numpy()) * lost["quantity"].to_numpy()
    return pd.Series({"commission": commission_rise * metrics.gmv(base),
                      "cpc": cpc_rise * ad_spend,
                      "stockout": float(contribution.sum())}, name="profit lost")
