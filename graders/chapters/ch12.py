"""Chapter 12 — Finance, tax & risk: the contribution margin from the books, break-even volume,
which losing months are structural, the cash conversion cycle, how much stock the cash can pay
for before Double 11, VAT by taxpayer status and the worst of three risks."""

from __future__ import annotations

import pandas as pd

from graders.answers import Function, Label, LabelSet, Number
from graders.spec import Case, Exercise, Mistake
from shoplab import finance, inventory, metrics
from shoplab.shopgen import books

STOCK_WEEK = "2024-10-13"  # the week (ending Sunday) the extra Double 11 stock is paid
FLOOR_MONTHS = 2  # the bank balance never below two months of fixed costs
RISKS = ("commission", "cpc", "stockout")
STOCKOUT_SKU = "HW-007"
STOCKOUT_DAYS = ("2025-11-01", "2025-11-11 23:59:59")


def _pnl(data) -> pd.DataFrame:
    return books.pnl_by_month(lambda name: getattr(data, name))


def _year_lines(data, year: int = 2025) -> pd.Series:
    pnl = _pnl(data)
    return pnl[pnl.index.year == year].sum()


def _parameters(data) -> pd.Series:
    return data.parameters.set_index("name")["value"]


# --- 12.1 ------------------------------------------------------------------------------------

def _margin(data, level: str = "contribution", base: str = "gmv") -> float:
    lines = _year_lines(data)
    levels = finance.pnl_levels(lines.to_frame().T).iloc[0]
    return float(levels[level] / (lines["gmv"] + (lines["refunds"] if base == "net" else 0)))


# --- 12.3 ------------------------------------------------------------------------------------

def _losing_months(data, cause: str | None = "structural") -> list[str]:
    levels = finance.pnl_levels(_pnl(data))
    festival = levels.index.isin(books.festival_months(lambda n: getattr(data, n)).index)
    found = finance.loss_cause(levels, festival)
    chosen = found != "" if cause is None else found == cause
    return [str(month) for month in found.index[chosen]]


# --- 12.4 ------------------------------------------------------------------------------------

def _ccc(data, delivery: bool = True, payment_sign: int = -1, weighted: bool = True,
         year_days: int = 366) -> float:
    stock = inventory.turnover_table(data.inventory, data.products, "2024-01-01", "2024-12-31")
    days_inventory = inventory.days_of_inventory(
        inventory.inventory_turnover(stock["cogs"].sum(), stock["average_inventory"].sum()),
        year_days)
    paid = metrics.paid(data.orders)
    paid = paid[paid["order_time"].dt.year == 2024]
    ships = data.shipments.merge(paid[["order_id", "order_time"]], on="order_id")
    to_buyer = (ships["delivered_time"] - ships["order_time"]).dt.total_seconds().mean() / 86400
    settle = (finance.settlement_days(paid, data.fees) if weighted
              else float(data.fees["settlement_days"].mean()))
    days_to_cash = settle + (to_buyer if delivery else 0.0)
    return float(days_inventory + days_to_cash
                 + payment_sign * _parameters(data)["supplier_payment_days"])


# --- 12.5 ------------------------------------------------------------------------------------

def _weeks(data) -> pd.DataFrame:
    flows = finance.daily_cash_flows(
        data.orders, data.shipments, data.fees, data.purchase_orders, data.ad_campaigns,
        data.livestreams, data.fixed_costs, _parameters(data)["supplier_payment_days"])
    return finance.weekly_cash(flows, _parameters(data)["opening_cash"])


def _floor(data) -> float:
    return -FLOOR_MONTHS * _pnl(data).loc[lambda t: t.index.year == 2024, "fixed_costs"].mean()


def _affordable(data, floor: bool = True, window: str = "later") -> float:
    """`window`: "later" (the payment's week and every later one) or "that_week" only."""
    balance = _weeks(data)["closing_balance"]
    minimum = _floor(data) if floor else 0.0
    if window == "that_week":
        return max(0.0, float(balance[pd.Timestamp(STOCK_WEEK)]) - minimum)
    return finance.affordable_spend(balance, STOCK_WEEK, minimum)


# --- 12.6 ------------------------------------------------------------------------------------

def _risks(data, commission_on_all: bool = False) -> pd.Series:
    paid = metrics.paid(data.orders)
    return finance.risk_costs(
        paid[paid["order_time"].dt.year == 2025], data.order_items, data.products, data.fees,
        -_year_lines(data)["ad_spend"], sku=STOCKOUT_SKU, days=STOCKOUT_DAYS,
        commission_channels=None if commission_on_all else ("platform",))


def _worst(data, **how) -> str:
    return str(_risks(data, **how).idxmax())


# --- 12.7 ------------------------------------------------------------------------------------

def _vat_difference(data, sales: str = "net", invoiced_share: float | None = None,
                    inclusive: bool = True) -> float:
    lines, p = _year_lines(data), _parameters(data)
    taxable = lines["gmv"] + (lines["refunds"] if sales == "net" else 0.0)
    share = p["vat_input_invoiced_share"] if invoiced_share is None else invoiced_share
    invoiced = -lines["product_cost"] * share
    general, small = p["vat_general_rate"], p["vat_small_scale_rate"]
    if not inclusive:
        return float((taxable - invoiced) * general - taxable * small)
    return float(finance.vat_general(taxable, invoiced, general)
                 - finance.vat_small_scale(taxable, small))


EXERCISES = (
    Exercise(
        id="12.1",
        kind="computation",
        name="contribution_margin",
        title="The shop's contribution margin in 2025",
        answer=Number("fraction"),
        reference=_margin,
        mistakes=(
            Mistake("gross_margin", lambda data: _margin(data, "gross_profit"),
                    "That is the gross margin: only the goods are subtracted. The contribution "
                    "also takes off refunds, commission, payment fees and net shipping."),
            Mistake("after_marketing", lambda data: _margin(data, "after_marketing"),
                    "You also subtracted the marketing lines (gifts, ads, livestream and KOL "
                    "fees). The contribution stops before them: it is what a sale leaves to pay "
                    "for marketing and fixed costs."),
            Mistake("net_margin", lambda data: _margin(data, "operating_profit"),
                    "That is the net margin, after fixed costs too. The contribution stops "
                    "after the costs that grow with each sale."),
            Mistake("net_revenue_base", lambda data: _margin(data, base="net"),
                    "You divided by net revenue. The course's margins are shares of GMV, the "
                    "P&L's first line."),
        ),
        hints=(
            "Sum the 2025 months of `pnl` (books.pnl_by_month: costs are negative).",
            "Contribution = gmv + refunds + product_cost + commission + payment_fees + "
            "net_shipping; divide it by gmv.",
        ),
        points=2,
    ),
    Exercise(
        id="12.2",
        kind="computation",
        name="break_even_volume",
        title="Break-even volume",
        answer=Function(returns=Number("units")),
        reference=finance.break_even_volume,
        cases=(
            Case("¥30,000 of fixed costs, ¥60 a unit",
                 {"fixed_costs": 30000.0, "contribution_per_unit": 60.0}),
            Case("¥104,000 a month, ¥134.40 an order",
                 {"fixed_costs": 104000.0, "contribution_per_unit": 134.4}),
            Case("a unit that contributes nothing",
                 {"fixed_costs": 5000.0, "contribution_per_unit": 0.0}),
        ),
        hidden=(
            Case("no fixed costs", {"fixed_costs": 0.0, "contribution_per_unit": 25.0}),
            Case("a unit that loses money",
                 {"fixed_costs": 5000.0, "contribution_per_unit": -12.5}),
            Case("a thin contribution", {"fixed_costs": 77631.0, "contribution_per_unit": 3.2}),
        ),
        mistakes=(
            Mistake("inverted",
                    lambda fixed_costs, contribution_per_unit: contribution_per_unit
                    / fixed_costs if fixed_costs else 0.0,
                    "You divided the contribution by the fixed costs. Break-even is how many "
                    "units' contribution it takes to pay the fixed costs."),
        ),
        hints=(
            "Each unit leaves its contribution towards the fixed costs.",
            "units = fixed costs ÷ contribution per unit — and when a unit contributes "
            "nothing or loses money, no volume breaks even: return math.inf.",
        ),
        points=2,
    ),
    Exercise(
        id="12.3",
        kind="diagnosis",
        name="structural_losses",
        title="Which losing months are structural?",
        answer=LabelSet(),
        reference=_losing_months,
        mistakes=(
            Mistake("all_losing_months", lambda data: _losing_months(data, None),
                    "That is every month with an operating loss. Leave out the festival months "
                    "(June, October, November): their loss is the festival's up-front spend."),
            Mistake("festival_only", lambda data: _losing_months(data, "festival"),
                    "Those are the festival months that lost money. The question asks for the "
                    "ordinary months, whose losses will repeat."),
        ),
        hints=(
            "A month lost money when its net_profit in `pnl` is below zero.",
            "Festival months are June (618), October (Double 11's pre-sale) and November. "
            "Keep the losing months that are none of these, as 'YYYY-MM' text.",
        ),
        points=3,
    ),
    Exercise(
        id="12.4",
        kind="computation",
        name="cash_conversion_cycle",
        title="The cash conversion cycle in 2024",
        answer=Number("days"),
        reference=_ccc,
        mistakes=(
            Mistake("no_delivery_days", lambda data: _ccc(data, delivery=False),
                    "The platforms pay settlement_days after delivery, not after the order: add "
                    "the days from order to delivery too."),
            Mistake("payment_days_added", lambda data: _ccc(data, payment_sign=1),
                    "You added the supplier's payment days. They are days the shop keeps its "
                    "money: subtract them."),
            Mistake("unweighted_settlement", lambda data: _ccc(data, weighted=False),
                    "You averaged the three channels' settlement days equally. Weight each by "
                    "its GMV: most of the money comes through the platform."),
            Mistake("year_of_365_days", lambda data: _ccc(data, year_days=365),
                    "2024 is a leap year: its stock was held over 366 days."),
        ),
        hints=(
            "Days of inventory = 366 ÷ (2024 COGS ÷ 2024 average inventory), for the whole "
            "shop: add up all SKUs' COGS and average stock at unit cost first.",
            "Days to cash = mean days from order_time to delivered_time + settlement days "
            "weighted by order_amount; subtract supplier_payment_days from `parameters`.",
        ),
        points=2,
    ),
    Exercise(
        id="12.5",
        kind="decision",
        name="affordable_stock",
        title="How much extra Double 11 stock can the cash pay for?",
        answer=Number("yuan"),
        reference=_affordable,
        mistakes=(
            Mistake("no_floor", lambda data: _affordable(data, floor=False),
                    "That spends the bank balance down to zero. Keep the floor of two months of "
                    "fixed costs."),
            Mistake("that_week_only", lambda data: _affordable(data, window="that_week"),
                    "You looked only at the week the stock is paid. A payment lowers every later "
                    "week's balance too: the lowest balance from then on sets the limit."),
        ),
        hints=(
            "A payment in the week ending 13 October 2024 lowers that week's closing balance "
            "and every later one by its amount.",
            "Affordable = lowest closing_balance from that week on − 2 × 2024's average monthly "
            "fixed costs (never below 0).",
        ),
        points=3,
    ),
    Exercise(
        id="12.6",
        kind="decision",
        name="worst_risk",
        title="Which risk would cost the most?",
        answer=Label(RISKS),
        reference=_worst,
        mistakes=(
            Mistake("commission_on_every_channel",
                    lambda data: _worst(data, commission_on_all=True),
                    "The platform raises its own commission: apply the 2 points to the platform "
                    "channel's GMV only, not to the livestream and mini-program orders."),
        ),
        hints=(
            "Price each risk in ¥ of 2025 operating profit: 2 % of the platform channel's 2025 "
            "GMV; 20 % of 2025's ad spend; the contribution of HW-007's order lines placed "
            "1–11 November 2025.",
            "For HW-007 use metrics.unit_contribution with each line's unit_price and its "
            "channel's commission, payment fee and return_rate_assumption, times the quantity.",
        ),
        points=3,
    ),
    Exercise(
        id="12.7",
        kind="computation",
        name="vat_difference",
        title="What general-taxpayer status would have cost in VAT in 2025",
        answer=Number("yuan"),
        reference=_vat_difference,
        mistakes=(
            Mistake("gmv_for_sales", lambda data: _vat_difference(data, sales="gmv"),
                    "Refunded orders are not sales: use GMV minus refunds."),
            Mistake("all_cost_deductible", lambda data: _vat_difference(data, invoiced_share=1),
                    "Only the purchases bought on a special invoice are deductible: "
                    "vat_input_invoiced_share of the product cost."),
            Mistake("prices_without_vat", lambda data: _vat_difference(data, inclusive=False),
                    "Shop prices include VAT: take it out of the VAT-inclusive amount, "
                    "amount ÷ (1 + rate) × rate, for both statuses."),
        ),
        hints=(
            "Taxable sales = 2025 GMV + refunds (refunds are negative in `pnl`); invoiced "
            "purchases = −product_cost × vat_input_invoiced_share.",
            "General: (sales − invoiced purchases) ÷ 1.13 × 0.13; small-scale: sales ÷ 1.01 × "
            "0.01. Report general − small-scale.",
        ),
        points=2,
    ),
)
