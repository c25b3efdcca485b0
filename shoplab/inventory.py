"""Inventory formulas: turnover and days of inventory, supplier lead times, daily demand, safety
stock, the two replenishment policies' levels (the continuous-review reorder point with its
EOQ, and the periodic-review order-up-to level the shop runs), the inventory position a
review orders against, fill rate, festival uplift, and the stock-outs in the shop's daily
stock table. Chapter 03's lesson, widget and exercises all call these.

Conventions: stock is valued at `products.unit_cost` (the cost of goods, not the selling
price); lead times and periods are in days; a service level is the cycle service level, the
probability of not running out in one replenishment cycle, as a fraction (0.95 = 95 %); the
fill rate is the share of demand served from stock, a different and usually higher number.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import pandas as pd

YEAR_DAYS = 365
BASELINE_DAYS = 28  # days before a stock-out whose sales give the demand rate it interrupted


def inventory_turnover(cogs, average_inventory):
    """Inventory turnover (库存周转率): cost of goods sold ÷ average inventory, both at cost.

    It says how many times the average stock was sold through in the period.
    """
    return cogs / average_inventory


def days_of_inventory(turnover, period_days: int = YEAR_DAYS):
    """Days of inventory (库存周转天数): how many days the average stock lasts, days ÷ turnover."""
    return period_days / turnover


def in_period(table: pd.DataFrame, start, end, column: str = "date") -> pd.DataFrame:
    """Rows whose `column` falls from `start` to `end`, both days included."""
    dates = table[column]
    return table[(dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end))]


def turnover_table(inventory: pd.DataFrame, products: pd.DataFrame, start, end) -> pd.DataFrame:
    """Per SKU over `start`..`end`: COGS, average inventory (both ¥ at unit cost), turnover and
    days of inventory (over the period's own length).

    COGS = units sold × unit cost. Average inventory = the mean of the daily start-of-day
    `on_hand` × unit cost: a daily average, not the year-end count, which a stock-up before
    the year's end would distort.
    """
    days = in_period(inventory, start, end)
    unit_cost = products.set_index("sku")["unit_cost"]
    per_sku = days.groupby("sku").agg(units_sold=("units_sold", "sum"),
                                      average_units=("on_hand", "mean"))
    cost = unit_cost.reindex(per_sku.index)
    table = pd.DataFrame({
        "cogs": per_sku["units_sold"] * cost,
        "average_inventory": per_sku["average_units"] * cost,
    })
    table["turnover"] = inventory_turnover(table["cogs"], table["average_inventory"])
    table["days_of_inventory"] = days_of_inventory(table["turnover"], days["date"].nunique())
    return table


def lead_times(purchase_orders: pd.DataFrame) -> pd.Series:
    """Each purchase order's lead time (交货周期) in days: received_date − order_date."""
    return (purchase_orders["received_date"] - purchase_orders["order_date"]).dt.days


def lead_time_stats(purchase_orders: pd.DataFrame) -> pd.DataFrame:
    """Mean and standard deviation (sample, n − 1) of the lead time per SKU, in days."""
    days = lead_times(purchase_orders).rename("lead_time")
    return days.groupby(purchase_orders["sku"]).agg(["mean", "std"]).rename_axis("sku")


def selling_days(inventory: pd.DataFrame, products: pd.DataFrame) -> pd.DataFrame:
    """Days a SKU was on sale and in stock: on or after its launch, and not a stock-out day.

    On a stock-out day `units_sold` is what was left to sell, not what buyers wanted, so those
    days would understate demand.
    """
    launch = inventory["sku"].map(products.set_index("sku")["launch_date"])
    return inventory[(inventory["date"] >= launch) & ~inventory["stockout"]]


def demand_stats(inventory: pd.DataFrame, products: pd.DataFrame, start, end) -> pd.DataFrame:
    """Mean and standard deviation (n − 1) of daily units sold per SKU over its selling days."""
    days = selling_days(in_period(inventory, start, end), products)
    return days.groupby("sku")["units_sold"].agg(["mean", "std"])


def z_for(service_level: float) -> float:
    """The standard-normal z with `service_level` of the distribution below it.

    95 % → 1.645; 50 % → 0 (no safety stock: you run out in half the cycles).
    """
    return NormalDist().inv_cdf(service_level)


def safety_stock(daily_demand_std: float, lead_time_days: float, service_level: float) -> float:
    """Safety stock (安全库存) = z × σ_daily demand × √(lead time in days).

    Assumes daily demands are independent and normally distributed with the same σ, and the
    lead time is fixed: the demand over L days then has standard deviation σ·√L (variances
    add, standard deviations do not).
    """
    return z_for(service_level) * daily_demand_std * math.sqrt(lead_time_days)


def safety_stock_variable_lead_time(mean_daily_demand: float, daily_demand_std: float,
                                    lead_time_days: float, lead_time_std: float,
                                    service_level: float) -> float:
    """Safety stock when the lead time varies too: z × √(L·σ_d² + d̄²·σ_L²).

    The textbook formula for independent demand and lead time (Chopra & Meindl, *Supply Chain
    Management*, ch. 12): a late delivery is as dangerous as a busy week.
    """
    spread = lead_time_days * daily_demand_std ** 2 + mean_daily_demand ** 2 * lead_time_std ** 2
    return z_for(service_level) * math.sqrt(spread)


def reorder_point(mean_daily_demand: float, lead_time_days: float, safety_stock: float) -> float:
    """Reorder point (再订货点): order when stock falls to the demand expected during the lead
    time, d̄ × L, plus the safety stock."""
    return mean_daily_demand * lead_time_days + safety_stock


def order_up_to_level(mean_daily_demand: float, daily_demand_std: float, review_days: float,
                      lead_time_days: float, service_level: float) -> float:
    """Order-up-to level (最高库存量) S of a periodic review: d̄·(R + L) + z·σ·√(R + L).

    At each review, every R days, order S minus the stock on hand and on order. That order is
    the last chance until the next review's delivery arrives R + L days later, so S covers the
    demand, and its spread, over R + L days, not over L alone (Chopra & Meindl, ch. 12).
    """
    protection = review_days + lead_time_days
    return (mean_daily_demand * protection
            + safety_stock(daily_demand_std, protection, service_level))


def on_order(purchase_orders: pd.DataFrame, date) -> pd.Series:
    """Units per SKU on order at the start of `date`: ordered before it, received on it or
    later (the inventory table's `on_hand` is counted before the day's receipts)."""
    day = pd.Timestamp(date)
    open_orders = purchase_orders[(purchase_orders["order_date"] < day)
                                  & (purchase_orders["received_date"] >= day)]
    return open_orders.groupby("sku")["quantity"].sum().rename("on_order")


def inventory_position(inventory: pd.DataFrame, purchase_orders: pd.DataFrame,
                       date) -> pd.Series:
    """Inventory position (库存位置) per SKU at the start of `date`: on hand + on order.

    A review orders against the position, not the shelf: goods already ordered will arrive
    before the next order could, so leaving them out orders them twice. (The shop has no
    backorders — a sale it cannot serve is lost — so nothing is subtracted.)
    """
    shelf = inventory[inventory["date"] == pd.Timestamp(date)].set_index("sku")["on_hand"]
    return (shelf + on_order(purchase_orders, date).reindex(shelf.index, fill_value=0)).rename(
        "inventory_position")


def economic_order_quantity(annual_demand: float, order_cost: float,
                            holding_cost_per_unit_year: float) -> float:
    """EOQ = √(2DS/H): the fixed quantity (定量补货) that minimises ordering plus holding cost,
    for annual demand D in units, cost S per order and holding cost H per unit and year."""
    return math.sqrt(2 * annual_demand * order_cost / holding_cost_per_unit_year)


def fill_rate(service_level: float, demand_std_over_cycle: float, demand_per_cycle: float) -> float:
    """Fill rate (需求满足率): the expected share of demand served from stock when the safety stock
    is set for `service_level`.

    Expected units short per cycle = σ·(φ(z) − z·(1 − Φ(z))), the standard normal loss
    function; fill rate = 1 − short ÷ demand per cycle (Chopra & Meindl, ch. 12). σ is the
    spread of demand over the protection period (L, or R + L); a cycle's demand is d̄·R (or Q).
    """
    z = z_for(service_level)
    unit = NormalDist()
    short = demand_std_over_cycle * (unit.pdf(z) - z * (1 - unit.cdf(z)))
    return 1 - short / demand_per_cycle


def units_per_day(inventory: pd.DataFrame, start, end) -> float:
    """All SKUs' units sold per day from `start` to `end`: the shop's pace of sales."""
    days = in_period(inventory, start, end)
    return days["units_sold"].sum() / days["date"].nunique()


def festival_uplift(inventory: pd.DataFrame, festival: tuple, baseline: tuple) -> float:
    """How many times the shop's daily units in the `festival` window exceed the `baseline`
    window's (each a (start, end) pair of days).

    Measured over all SKUs: a SKU that ran out sold less than buyers wanted, and its lost
    demand moved to similar SKUs, so the shop's total is the uncensored figure.
    """
    return units_per_day(inventory, *festival) / units_per_day(inventory, *baseline)


def stockout_days(inventory: pd.DataFrame) -> pd.Series:
    """Number of stock-out (缺货) days per SKU, for the SKUs that had any."""
    flagged = inventory[inventory["stockout"]]
    return flagged.groupby("sku").size().rename("stockout_days")


def stockout_episodes(inventory: pd.DataFrame) -> pd.DataFrame:
    """One row per run of consecutive stock-out days of a SKU: first day, last day, days."""
    flagged = inventory[inventory["stockout"]].sort_values(["sku", "date"])
    new_run = flagged.groupby("sku")["date"].diff() != pd.Timedelta(days=1)
    run = new_run.cumsum().rename("run")
    return (flagged.groupby(["sku", run])["date"].agg(first="min", last="max", days="size")
            .reset_index("run", drop=True).reset_index())


def lost_units(inventory: pd.DataFrame, sku: str, first, last,
               baseline_days: int = BASELINE_DAYS) -> float:
    """Estimated units a stock-out cost: the demand rate it interrupted × its days − units sold.

    The rate is the mean daily units sold in the `baseline_days` before the first stock-out
    day. Before a festival this is a floor: demand would have risen during the stock-out.
    """
    rows = inventory[inventory["sku"] == sku]
    first = pd.Timestamp(first)
    before = in_period(rows, first - pd.Timedelta(days=baseline_days), first - pd.Timedelta(days=1))
    during = in_period(rows, first, last)
    return before["units_sold"].mean() * len(during) - during["units_sold"].sum()
