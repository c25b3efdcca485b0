"""Chapter 03 — Inventory: turnover and days of inventory, supplier lead times, safety stock,
the order-up-to level of the shop's periodic review, stock-out days, the sales a stock-out
cost, the order-up-to level heading into Double 11 on festival demand, and which SKUs a
review must reorder."""

from __future__ import annotations

import math
from statistics import NormalDist

import pandas as pd

from graders.answers import Function, LabelSet, Number, Series
from graders.spec import Case, Exercise, Mistake
from shoplab import inventory as inv

YEAR = ("2025-01-01", "2025-12-31")
STOCKOUT_SKU = "HW-002"  # ran out before Double 11 2024
FESTIVAL_SKU = "HW-002"
FESTIVAL_DEMAND = ("2025-09-01", "2025-10-20")  # up to the day before the Double 11 pre-sale
LAST_FESTIVAL = ("2024-10-21", "2024-11-11")  # Double 11 2024: pre-sale to the peak day
LAST_BASELINE = ("2024-09-01", "2024-10-20")  # the same quiet weeks before it
FESTIVAL_SERVICE_LEVEL = 0.95
OVERSTOCK_MULTIPLE = 2  # 03.2: days of inventory above twice the shop's median SKU
REVIEW_DATE = "2025-08-18"  # 03.9: a stock-take review of every SKU, a quiet week after 618
REVIEW_DEMAND = ("2025-06-23", "2025-08-17")  # its demand: the eight weeks before it
REVIEW_SERVICE_LEVEL = 0.95


def _unit_cost(data) -> pd.Series:
    return data.products.set_index("sku")["unit_cost"]


def _year(data) -> pd.DataFrame:
    return inv.in_period(data.inventory, *YEAR)


def _turnover(data) -> pd.Series:
    return inv.turnover_table(data.inventory, data.products, *YEAR)["turnover"]


def _cogs(data) -> pd.Series:
    return inv.turnover_table(data.inventory, data.products, *YEAR)["cogs"]


def _overstocked(days: pd.Series) -> list[str]:
    """The SKUs whose days of inventory exceed OVERSTOCK_MULTIPLE × the median SKU's."""
    return list(days[days > OVERSTOCK_MULTIPLE * days.median()].index)


def _revenue_turnover(data) -> pd.Series:
    """The misconception: sales at the list price over stock at cost."""
    year = _year(data)
    units = year.groupby("sku")["units_sold"].sum()
    average = year.groupby("sku")["on_hand"].mean() * _unit_cost(data)
    return units * data.products.set_index("sku")["list_price"] / average


def _ending_turnover(data) -> pd.Series:
    """The misconception: the last day's stock instead of the year's average."""
    year = _year(data)
    last = year[year["date"] == year["date"].max()].set_index("sku")["on_hand"]
    return _cogs(data) / (last * _unit_cost(data))


def _units_value_turnover(data) -> pd.Series:
    """The misconception: COGS in ¥ over the average stock in units."""
    return _cogs(data) / _year(data).groupby("sku")["on_hand"].mean()


def _mean_lead_time(data) -> pd.Series:
    return inv.lead_time_stats(data.purchase_orders)["mean"]


def _stockout_sku_lost(data, subtract_sold: bool = True) -> float:
    episode = inv.stockout_episodes(data.inventory).query("sku == @STOCKOUT_SKU").iloc[0]
    lost = inv.lost_units(data.inventory, STOCKOUT_SKU, episode["first"], episode["last"])
    if subtract_sold:
        return lost
    sold = inv.in_period(data.inventory.query("sku == @STOCKOUT_SKU"), episode["first"],
                         episode["last"])["units_sold"].sum()
    return lost + sold


def _uplift(data) -> float:
    return inv.festival_uplift(data.inventory, LAST_FESTIVAL, LAST_BASELINE)


def _own_uplift(data) -> float:
    """The misconception: FESTIVAL_SKU's own 2024 uplift, cut short by its stock-out."""
    rows = data.inventory[data.inventory["sku"] == FESTIVAL_SKU]
    return inv.festival_uplift(rows, LAST_FESTIVAL, LAST_BASELINE)


def _festival_level(data, uplift=_uplift, level=inv.order_up_to_level) -> float:
    """FESTIVAL_SKU's order-up-to level on its quiet-weeks demand × the festival uplift."""
    demand = inv.demand_stats(data.inventory, data.products, *FESTIVAL_DEMAND)
    mean, std = demand.loc[FESTIVAL_SKU, ["mean", "std"]].astype(float) * uplift(data)
    review = float(data.products.set_index("sku").at[FESTIVAL_SKU, "review_period_days"])
    lead = float(_mean_lead_time(data)[FESTIVAL_SKU])
    return level(mean, std, review, lead, FESTIVAL_SERVICE_LEVEL)


def _lead_time_only(mean_daily_demand, daily_demand_std, review_days, lead_time_days,
                    service_level):
    """The misconception: a reorder point, covering the lead time alone."""
    safety = inv.safety_stock(daily_demand_std, lead_time_days, service_level)
    return inv.reorder_point(mean_daily_demand, lead_time_days, safety)


def _safety_over_lead_time(mean_daily_demand, daily_demand_std, review_days, lead_time_days,
                           service_level):
    """The misconception: R + L for the mean demand, L alone for the safety stock."""
    return (mean_daily_demand * (review_days + lead_time_days)
            + inv.safety_stock(daily_demand_std, lead_time_days, service_level))


def _sigma_times_lead(daily_demand_std, lead_time_days, service_level):
    return inv.z_for(service_level) * daily_demand_std * lead_time_days


def _level_as_z(daily_demand_std, lead_time_days, service_level):
    return service_level * daily_demand_std * math.sqrt(lead_time_days)


def _wrong_tail(daily_demand_std, lead_time_days, service_level):
    return NormalDist().inv_cdf(1 - service_level) * daily_demand_std * math.sqrt(lead_time_days)


def _review_levels(data, level=inv.order_up_to_level) -> pd.Series:
    """Every SKU's level at the REVIEW_DATE review: on its REVIEW_DEMAND demand, its
    review_period_days and its mean lead time."""
    demand = inv.demand_stats(data.inventory, data.products, *REVIEW_DEMAND)
    review = data.products.set_index("sku")["review_period_days"]
    lead = _mean_lead_time(data)
    return pd.Series({sku: level(demand.at[sku, "mean"], demand.at[sku, "std"],
                                 float(review[sku]), float(lead[sku]), REVIEW_SERVICE_LEVEL)
                      for sku in demand.index})


def _to_reorder(data, level=inv.order_up_to_level,
                position=inv.inventory_position) -> list[str]:
    """The SKUs whose position at REVIEW_DATE is below their level: the review orders them."""
    levels = _review_levels(data, level)
    short = levels - position(data.inventory, data.purchase_orders, REVIEW_DATE)[levels.index]
    return list(short.index[short > 0])


def _shelf_only(inventory, purchase_orders, date) -> pd.Series:
    """The misconception: on hand alone, forgetting the goods already on order."""
    return inventory[inventory["date"] == pd.Timestamp(date)].set_index("sku")["on_hand"]


SIGMA_TIMES_LEAD = ("You multiplied σ by the lead time. Daily variations partly cancel out: the "
                    "variance grows with the days, so σ over L days is σ × √L.")
LEVEL_AS_Z = ("You used the service level itself as z. z is the standard-normal value with that "
              "share below it: NormalDist().inv_cdf(service_level), 1.645 for 95 %.")
WRONG_TAIL = ("Your safety stock is negative: inv_cdf(1 − service level) is the lower tail. Use "
              "inv_cdf(service_level), the z with the service level below it.")
LEAD_TIME_ONLY = ("That covers the lead time alone: a continuous-review reorder point. The shop "
                  "orders only at its reviews, so this order must last until the next review's "
                  "delivery: R + L days, for the demand and for the safety stock.")
SAFETY_OVER_LEAD_TIME = ("Your safety stock covers L days but the demand covers R + L. The spread "
                         "to protect against is over the same R + L days: z × σ × √(R + L).")
WEEKS = ("Your lead times look like weeks. Keep them in days, the unit the daily demand is in: "
         "(received_date − order_date).dt.days.")

EXERCISES = (
    Exercise(
        id="03.1",
        kind="computation",
        name="turnover",
        title="Inventory turnover of every SKU in 2025",
        answer=Series("ratio"),
        reference=_turnover,
        mistakes=(
            Mistake("revenue_for_cogs", _revenue_turnover,
                    "That puts sales at the selling price over stock valued at cost. Turnover "
                    "uses the cost of goods sold: units sold × unit_cost."),
            Mistake("ending_inventory", _ending_turnover,
                    "You divided by the stock on the last day. Use the average inventory: the "
                    "mean of the daily on_hand over the year, so one stock-up does not decide it."),
            Mistake("units_for_value", _units_value_turnover,
                    "You divided ¥ of COGS by units of stock. Value the average stock at "
                    "unit_cost too, so both sides are in ¥."),
        ),
        hints=(
            "Turnover (库存周转率) = cost of goods sold ÷ average inventory, both valued at unit "
            "cost, over the same period: the days of 2025 in the inventory table.",
            "Per SKU: COGS = sum of units_sold × unit_cost; average inventory = mean of on_hand "
            "× unit_cost.",
            "Group the 2025 rows by sku, then divide. Map unit_cost from products indexed by sku.",
        ),
        points=3,
    ),
    Exercise(
        id="03.2",
        kind="diagnosis",
        name="overstocked",
        title="The overstocked SKUs of 2025",
        answer=LabelSet(),
        reference=lambda data: _overstocked(inv.days_of_inventory(_turnover(data))),
        mistakes=(
            Mistake("times_turnover",
                    lambda data: _overstocked(inv.YEAR_DAYS * _turnover(data)),
                    "Those are the fastest sellers: you multiplied 365 by the turnover. If stock "
                    "turns over 20 times a year, it lasts 365 ÷ 20 days: divide."),
        ),
        hints=(
            "Days of inventory (库存周转天数) say how many days the average stock lasts: "
            "365 ÷ turnover, per SKU.",
            f"Overstocked: more than {OVERSTOCK_MULTIPLE} × the median days of inventory of all "
            "SKUs.",
            f"days[days > {OVERSTOCK_MULTIPLE} * days.median()].index gives the SKUs; a list of "
            "them is the answer.",
        ),
        points=2,
    ),
    Exercise(
        id="03.3",
        kind="computation",
        name="lead_time",
        title="Mean supplier lead time of every SKU",
        answer=Series("days"),
        reference=_mean_lead_time,
        mistakes=(
            Mistake("weeks", lambda data: _mean_lead_time(data) / 7, WEEKS),
            Mistake("catalogue_lead_time",
                    lambda data: data.products.set_index("sku")["supplier_lead_days"].astype(float),
                    "That is the catalogue's typical lead time. Measure what the purchase orders "
                    "actually took: received_date − order_date."),
        ),
        hints=(
            "A purchase order's lead time (交货周期) is the days from order_date to "
            "received_date.",
            "Subtracting two date columns gives Timedeltas; .dt.days turns them into days.",
            "Average the lead times per sku: group by purchase_orders.sku and take the mean.",
        ),
        points=2,
    ),
    Exercise(
        id="03.4",
        kind="computation",
        name="safety_stock",
        title="Safety stock for a service level",
        answer=Function(returns=Number("units")),
        reference=inv.safety_stock,
        cases=(
            Case("σ = 4 units a day, a 9-day lead time, 95 %",
                 {"daily_demand_std": 4.0, "lead_time_days": 9.0, "service_level": 0.95}),
            Case("σ = 10 units a day, a 16-day lead time, 90 %",
                 {"daily_demand_std": 10.0, "lead_time_days": 16.0, "service_level": 0.9}),
        ),
        hidden=(
            Case("a zero lead time",
                 {"daily_demand_std": 6.0, "lead_time_days": 0.0, "service_level": 0.95}),
            Case("a 50 % service level",
                 {"daily_demand_std": 6.0, "lead_time_days": 14.0, "service_level": 0.5}),
            Case("a 99.9 % service level",
                 {"daily_demand_std": 2.5, "lead_time_days": 21.0, "service_level": 0.999}),
            Case("a 2.5-day lead time",
                 {"daily_demand_std": 8.0, "lead_time_days": 2.5, "service_level": 0.97}),
        ),
        mistakes=(
            Mistake("sigma_times_lead_time", _sigma_times_lead, SIGMA_TIMES_LEAD),
            Mistake("service_level_as_z", _level_as_z, LEVEL_AS_Z),
            Mistake("wrong_tail", _wrong_tail, WRONG_TAIL),
        ),
        hints=(
            "Safety stock (安全库存) = z × σ of daily demand × √(lead time in days).",
            "z comes from the standard normal distribution: "
            "NormalDist().inv_cdf(service_level) (from statistics import NormalDist).",
            "math.sqrt(lead_time_days); check: σ = 4, L = 9, 95 % gives 1.645 × 4 × 3 ≈ 19.7.",
        ),
        points=2,
    ),
    Exercise(
        id="03.5",
        kind="computation",
        name="order_up_to_level",
        title="Order-up-to level of a periodic review",
        answer=Function(returns=Number("units")),
        reference=inv.order_up_to_level,
        cases=(
            Case("20 units a day (σ 6), reviewed weekly, a 9-day lead time, 95 %",
                 {"mean_daily_demand": 20.0, "daily_demand_std": 6.0, "review_days": 7.0,
                  "lead_time_days": 9.0, "service_level": 0.95}),
            Case("3.5 units a day (σ 2), reviewed fortnightly, a 14-day lead time, 90 %",
                 {"mean_daily_demand": 3.5, "daily_demand_std": 2.0, "review_days": 14.0,
                  "lead_time_days": 14.0, "service_level": 0.9}),
        ),
        hidden=(
            Case("a 50 % service level",
                 {"mean_daily_demand": 11.0, "daily_demand_std": 4.0, "review_days": 7.0,
                  "lead_time_days": 14.0, "service_level": 0.5}),
            Case("no demand spread",
                 {"mean_daily_demand": 11.0, "daily_demand_std": 0.0, "review_days": 14.0,
                  "lead_time_days": 5.0, "service_level": 0.99}),
            Case("a 2.5-day lead time at 99 %",
                 {"mean_daily_demand": 40.0, "daily_demand_std": 12.0, "review_days": 7.0,
                  "lead_time_days": 2.5, "service_level": 0.99}),
        ),
        mistakes=(
            Mistake("lead_time_only", _lead_time_only, LEAD_TIME_ONLY),
            Mistake("safety_over_lead_time", _safety_over_lead_time, SAFETY_OVER_LEAD_TIME),
        ),
        hints=(
            "At a review you order up to S; the goods arrive L days later and the next order "
            "arrives R + L days after this review. S must cover those R + L days.",
            "S = mean daily demand × (R + L) + safety stock over R + L days.",
            "Reuse your safety_stock() with R + L as its number of days.",
        ),
        points=2,
    ),
    Exercise(
        id="03.6",
        kind="computation",
        name="stockout_days",
        title="Stock-out days per SKU",
        answer=Series("count"),
        reference=lambda data: inv.stockout_days(data.inventory),
        mistakes=(
            Mistake("empty_at_start_of_day",
                    lambda data: data.inventory[data.inventory["on_hand"] == 0]
                    .groupby("sku").size(),
                    "You counted days that started with on_hand 0. A SKU can sell out during a "
                    "day that started with stock, and a delivery can refill an empty shelf: "
                    "count the days flagged in the stockout column."),
        ),
        hints=(
            "The inventory table flags a stock-out (缺货) day in its stockout column.",
            "Keep the rows where stockout is True.",
            "Count them per sku: only SKUs with at least one stock-out day appear.",
        ),
        points=2,
    ),
    Exercise(
        id="03.7",
        kind="diagnosis",
        name="lost_units",
        title=f"Units lost in {STOCKOUT_SKU}'s stock-out before Double 11 2024",
        answer=Number("units"),
        reference=_stockout_sku_lost,
        mistakes=(
            Mistake("forgot_units_sold", lambda data: _stockout_sku_lost(data, False),
                    "That is the whole expected demand of the stock-out days. Some units were "
                    "still sold on them (on the first day): subtract those."),
        ),
        hints=(
            f"Find {STOCKOUT_SKU}'s run of stock-out days in 2024 (stockout True): its first "
            "and last day, and how many days it lasted.",
            f"Demand rate = mean daily units_sold of {STOCKOUT_SKU} in the {inv.BASELINE_DAYS} "
            "days just before the first stock-out day.",
            "lost units = rate × number of stock-out days − units_sold on those days.",
        ),
        points=3,
    ),
    Exercise(
        id="03.8",
        kind="decision",
        name="festival_order_up_to",
        title=f"Order-up-to level for {FESTIVAL_SKU} heading into Double 11 2025",
        answer=Number("units"),
        reference=_festival_level,
        mistakes=(
            Mistake("quiet_weeks_demand", lambda data: _festival_level(data, uplift=lambda _: 1.0),
                    "That plans Double 11 on the quiet weeks before it. The festival sells "
                    "more: scale the daily demand and its σ by last year's festival uplift."),
            Mistake("censored_uplift", lambda data: _festival_level(data, uplift=_own_uplift),
                    f"That uplift is {FESTIVAL_SKU}'s own, but it ran out during Double 11 2024: "
                    "its sales then show what was left to sell, not what buyers wanted. Measure "
                    "the uplift on the whole shop's units."),
            Mistake("lead_time_only", lambda data: _festival_level(data, level=_lead_time_only),
                    LEAD_TIME_ONLY),
            Mistake("safety_over_lead_time",
                    lambda data: _festival_level(data, level=_safety_over_lead_time),
                    SAFETY_OVER_LEAD_TIME),
        ),
        hints=(
            "Uplift: the whole shop's units_sold per day from "
            f"{LAST_FESTIVAL[0]} to {LAST_FESTIVAL[1]} ÷ per day from {LAST_BASELINE[0]} to "
            f"{LAST_BASELINE[1]} (all SKUs, both days included).",
            f"Festival demand: the mean and σ of {FESTIVAL_SKU}'s daily units_sold from "
            f"{FESTIVAL_DEMAND[0]} to {FESTIVAL_DEMAND[1]}, both × the uplift.",
            f"Then your order_up_to_level() with {FESTIVAL_SKU}'s review_period_days, its mean "
            "lead time (03.3) and 0.95.",
        ),
        points=3,
    ),
    Exercise(
        id="03.9",
        kind="decision",
        name="reorder_now",
        title=f"Which SKUs to reorder at the review of {REVIEW_DATE}",
        answer=LabelSet(),
        reference=_to_reorder,
        mistakes=(
            Mistake("on_hand_only", lambda data: _to_reorder(data, position=_shelf_only),
                    "You compared the shelf alone with the level. Goods already ordered arrive "
                    "before this order would: compare the inventory position, on hand + on "
                    "order, or you order them twice."),
            Mistake("lead_time_only", lambda data: _to_reorder(data, level=_lead_time_only),
                    LEAD_TIME_ONLY),
        ),
        hints=(
            f"Per SKU: the mean and σ of daily units_sold on its selling days from "
            f"{REVIEW_DEMAND[0]} to {REVIEW_DEMAND[1]} (inv.demand_stats does it), its "
            f"review_period_days, its mean lead time (03.3) and {REVIEW_SERVICE_LEVEL:.0%}: "
            "your order_up_to_level().",
            f"Inventory position on {REVIEW_DATE} = on_hand that day + the quantity of "
            f"purchase orders placed before {REVIEW_DATE} and received on or after it.",
            "Reorder the SKUs whose position is below their order-up-to level; a list of them "
            "is the answer.",
        ),
        points=3,
    ),
)
