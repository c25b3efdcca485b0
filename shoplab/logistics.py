"""Logistics, multi-channel and cross-border formulas (chapter 11): what a parcel costs, which
carrier to use in each zone, what a late parcel costs in reviews and tickets, how to split one
stock pool across channels, and what one unit earns when sold abroad.

Why these definitions:
* **parcel cost** is the carriers' own tariff: first kg (首重) plus each further *started* kg
  (续重), the rule the shop's `shipments.shipping_cost` follows;
* carriers are compared **on the same parcels**: each zone's real parcels repriced at every
  carrier's rates, so a carrier that happened to get lighter parcels does not look cheap;
* the **carrier choice** minimises cost subject to a service floor (Chopra & Meindl,
  *Supply Chain Management*, ch. 14: choose the transport mode on total cost given the
  responsiveness the customer is promised). A zone where no carrier reaches the floor gets its
  most punctual carrier: the floor is the promise, cost only breaks ties above it;
* channel contribution and the contribution of a unit sold abroad reuse
  `shoplab.metrics` (`unit_economics`, `unit_contribution`): one definition of contribution.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shoplab import metrics


def billable_kg(weight_kg):
    """Kilograms a carrier charges for: every started kg, at least one."""
    return np.maximum(np.ceil(weight_kg), 1)


def parcel_cost(weight_kg, first_kg_cost, extra_kg_cost):
    """¥ to ship one parcel: first kg + extra kg cost × (billable kg − 1). Numbers or arrays."""
    return first_kg_cost + extra_kg_cost * (billable_kg(weight_kg) - 1)


def cost_per_order(shipments: pd.DataFrame, carrier_rates: pd.DataFrame) -> pd.DataFrame:
    """Average ¥ per parcel of each zone (rows) if every carrier (columns) had shipped them all."""
    priced = shipments[["zone", "weight_kg"]].merge(carrier_rates, on="zone")
    priced["cost"] = parcel_cost(
        priced["weight_kg"], priced["first_kg_cost"], priced["extra_kg_cost"])
    return priced.pivot_table(index="zone", columns="carrier", values="cost", aggfunc="mean")


def on_time_rate(shipments: pd.DataFrame) -> pd.DataFrame:
    """准时率: share of each carrier's parcels (columns) per zone (rows) delivered on time."""
    return shipments.pivot_table(index="zone", columns="carrier", values="on_time",
                                 aggfunc="mean")


def best_carriers(cost: pd.DataFrame, on_time: pd.DataFrame, floor: float) -> pd.Series:
    """Per zone, the cheapest carrier whose on-time rate is at least `floor` (a fraction).

    A zone where none reaches the floor gets its most punctual carrier.
    """
    choice = {}
    for zone in cost.index:
        punctual = on_time.loc[zone] >= floor
        if punctual.any():
            choice[zone] = cost.loc[zone][punctual].idxmin()
        else:
            choice[zone] = on_time.loc[zone].idxmax()
    return pd.Series(choice, name="carrier").rename_axis("zone")


def carrier_mix(shipments: pd.DataFrame, cost: pd.DataFrame, on_time: pd.DataFrame,
                choice: pd.Series) -> pd.Series:
    """Total ¥ and on-time share if each zone's parcels all went with its chosen carrier.

    The on-time share expects each carrier to keep its own record in that zone.
    """
    parcels = shipments.groupby("zone").size().reindex(choice.index)
    chosen_cost = pd.Series([cost.at[z, c] for z, c in choice.items()], index=choice.index)
    chosen_on_time = pd.Series([on_time.at[z, c] for z, c in choice.items()], index=choice.index)
    return pd.Series({
        "shipping_cost": float((parcels * chosen_cost).sum()),
        "on_time_share": float((parcels * chosen_on_time).sum() / parcels.sum()),
    })


def late_delivery_effect(shipments: pd.DataFrame, reviews: pd.DataFrame,
                         service_tickets: pd.DataFrame) -> pd.DataFrame:
    """Late against on-time parcels: logistics rating and logistics tickets per 100 orders.

    Rows `on_time` False/True; `dsr_logistics` is the mean 物流服务 rating of the reviews of
    those orders, `logistics_tickets_per_100` the logistics tickets per 100 shipped orders.
    """
    on_time = shipments.set_index("order_id")["on_time"]
    rating = reviews.groupby(reviews["order_id"].map(on_time))["dsr_logistics"].mean()
    logistics = service_tickets[service_tickets["category"] == "logistics"]
    tickets = logistics.groupby(logistics["order_id"].map(on_time)).size()
    orders = on_time.value_counts()
    return pd.DataFrame({
        "orders": orders,
        "dsr_logistics": rating,
        "logistics_tickets_per_100": 100 * tickets.reindex(orders.index, fill_value=0) / orders,
    }).rename_axis("on_time").sort_index()


def packaging_saving(shipments: pd.DataFrame, carrier_rates: pd.DataFrame,
                     kg_saved: float) -> float:
    """¥ the shop's parcels would have cost less had each weighed `kg_saved` kg less.

    Each parcel keeps its carrier and zone; a parcel only saves when it drops below a started
    kg, so a saving of 0.1 kg helps only the parcels just over a whole kg.
    """
    rates = shipments[["carrier", "zone", "weight_kg"]].merge(
        carrier_rates, on=["carrier", "zone"], how="left")
    lighter = np.maximum(rates["weight_kg"] - kg_saved, 0)
    before = parcel_cost(rates["weight_kg"], rates["first_kg_cost"], rates["extra_kg_cost"])
    after = parcel_cost(lighter, rates["first_kg_cost"], rates["extra_kg_cost"])
    return float((before - after).sum())


def allocate_stock(units: int, demand: pd.Series, contribution: pd.Series) -> pd.Series:
    """Split one stock pool (共享库存) of `units` across channels, best contribution first.

    Each channel gets up to its `demand` in order of its ¥ contribution per unit; channels
    that lose money on a unit get none. Ties keep `demand`'s order.
    """
    order = contribution[contribution > 0].sort_values(ascending=False, kind="stable").index
    allocation = pd.Series(0, index=demand.index, dtype="int64")
    left = int(units)
    for channel in order:
        allocation[channel] = min(int(demand[channel]), left)
        left -= allocation[channel]
    return allocation


def landed_cost(price_cny, unit_cost, weight_kg, *, duty_rate, vat_rate,
                logistics_first_kg_cost, logistics_extra_kg_cost):
    """到岸成本: ¥ one unit costs once it reaches a foreign buyer, shipped duty paid.

    Unit cost + cross-border parcel + import duty + import VAT. The customs value is the
    transaction value of the goods (the price the buyer pays, in ¥); duty is charged on it and
    VAT on value + duty. The shop has no local tax registration, so the VAT is a cost.
    """
    freight = parcel_cost(weight_kg, logistics_first_kg_cost, logistics_extra_kg_cost)
    duty = duty_rate * price_cny
    vat = vat_rate * (price_cny + duty)
    return unit_cost + freight + duty + vat


def cross_border_contribution(price_local, unit_cost, weight_kg, market: pd.Series) -> float:
    """¥ one unit sold at `price_local` (the market's currency) leaves after every cost.

    `market` is one row of `cross_border_rates`: the price is converted at its exchange rate,
    the landed cost is the unit cost, and the marketplace fee is the commission of
    `metrics.unit_contribution`.
    """
    price_cny = price_local * market["cny_per_unit"]
    cost = landed_cost(
        price_cny, unit_cost, weight_kg, duty_rate=market["duty_rate"],
        vat_rate=market["vat_rate"],
        logistics_first_kg_cost=market["logistics_first_kg_cost"],
        logistics_extra_kg_cost=market["logistics_extra_kg_cost"])
    return metrics.unit_contribution(price_cny, cost, commission_rate=market["platform_fee_rate"])


def cross_border_break_even(unit_cost, weight_kg, market: pd.Series) -> float:
    """The lowest price, in the market's currency, at which a unit sold abroad loses nothing.

    Duty, VAT and the marketplace fee all grow with the price, so the price must cover the
    unit cost and the parcel out of what those leave:
    (unit cost + parcel) ÷ (1 − fee − duty − VAT × (1 + duty)), converted at the market's rate.
    """
    kept = (1 - market["platform_fee_rate"] - market["duty_rate"]
            - market["vat_rate"] * (1 + market["duty_rate"]))
    freight = parcel_cost(weight_kg, market["logistics_first_kg_cost"],
                          market["logistics_extra_kg_cost"])
    return float((unit_cost + freight) / kept / market["cny_per_unit"])
