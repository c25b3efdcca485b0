"""Chapter 11 — Logistics, multi-platform & cross-border: the parcel tariff, carriers compared
on the same parcels, the carrier for a zone under an on-time floor, what late parcels cost in
tickets, one stock pool split across channels at Double 11, and where a product can be sold
abroad without losing money."""

from __future__ import annotations

import math

import pandas as pd

from graders.answers import Function, Label, LabelSet, Number, Series
from graders.spec import Case, Exercise, Mistake
from shoplab import logistics, metrics

COMPARED_ZONE = "national"
CHOICE_ZONE, ON_TIME_FLOOR = "remote", 0.9
FESTIVAL = ("2025-11-01", "2025-11-11 23:59:59")  # Double 11 2025, first wave to the peak day
IN_STOCK = 0.5  # share of the festival's demand the shop has in stock
ABROAD_SKU = "HW-003"
CARRIERS = ("SF Express", "ZTO", "YTO", "JD Logistics")


# --- 11.1 and 11.6: the tariff and the landed cost ------------------------------------------


def _parcel_cost(weight_kg, first_kg_cost, extra_kg_cost):
    return float(logistics.parcel_cost(weight_kg, first_kg_cost, extra_kg_cost))


def _no_ceiling(weight_kg, first_kg_cost, extra_kg_cost):
    return first_kg_cost + extra_kg_cost * (weight_kg - 1)


def _every_kg_extra(weight_kg, first_kg_cost, extra_kg_cost):
    return first_kg_cost + extra_kg_cost * math.ceil(weight_kg)


def _rounded(weight_kg, first_kg_cost, extra_kg_cost):
    return first_kg_cost + extra_kg_cost * (max(round(weight_kg), 1) - 1)


def _vat_without_duty(price_cny, unit_cost, weight_kg, duty_rate, vat_rate,
                      logistics_first_kg_cost, logistics_extra_kg_cost):
    freight = logistics.parcel_cost(weight_kg, logistics_first_kg_cost, logistics_extra_kg_cost)
    return float(unit_cost + freight + duty_rate * price_cny + vat_rate * price_cny)


def _no_vat(price_cny, unit_cost, weight_kg, duty_rate, vat_rate, logistics_first_kg_cost,
            logistics_extra_kg_cost):
    return _landed_cost(price_cny, unit_cost, weight_kg, duty_rate, 0.0,
                        logistics_first_kg_cost, logistics_extra_kg_cost)


def _landed_cost(price_cny, unit_cost, weight_kg, duty_rate, vat_rate, logistics_first_kg_cost,
                 logistics_extra_kg_cost):
    return float(logistics.landed_cost(
        price_cny, unit_cost, weight_kg, duty_rate=duty_rate, vat_rate=vat_rate,
        logistics_first_kg_cost=logistics_first_kg_cost,
        logistics_extra_kg_cost=logistics_extra_kg_cost))


# --- 11.2 and 11.3: carriers ---------------------------------------------------------------


def _costs(data) -> pd.DataFrame:
    return logistics.cost_per_order(data.shipments, data.carrier_rates)


def _shipped_average(data) -> pd.Series:
    """The misconception: each carrier's own parcels, not the same parcels."""
    zone = data.shipments[data.shipments["zone"] == COMPARED_ZONE]
    return zone.groupby("carrier")["shipping_cost"].mean()


def _at_mean_weight(data) -> pd.Series:
    """The misconception: the tariff at the zone's average weight."""
    weight = data.shipments.loc[data.shipments["zone"] == COMPARED_ZONE, "weight_kg"].mean()
    rates = data.carrier_rates[data.carrier_rates["zone"] == COMPARED_ZONE].set_index("carrier")
    return logistics.parcel_cost(weight, rates["first_kg_cost"], rates["extra_kg_cost"])


def _choice(data, floor: float = ON_TIME_FLOOR) -> str:
    on_time = logistics.on_time_rate(data.shipments)
    return logistics.best_carriers(_costs(data), on_time, floor)[CHOICE_ZONE]


# --- 11.4: late parcels and tickets --------------------------------------------------------


def _ticket_ratio(data, categories=("logistics",), inverted: bool = False) -> float:
    on_time = data.shipments.set_index("order_id")["on_time"]
    tickets = data.service_tickets[data.service_tickets["category"].isin(categories)]
    flagged = tickets["order_id"].map(on_time)
    late = (flagged == False).sum() / (~on_time).sum()  # noqa: E712 -- NaN is neither
    punctual = (flagged == True).sum() / on_time.sum()  # noqa: E712
    return float(punctual / late if inverted else late / punctual)


# --- 11.5: one stock pool at Double 11 -----------------------------------------------------


def _festival_sku_demand(data) -> tuple[str, pd.Series]:
    """The second best-selling SKU of the festival window, and its units per channel."""
    paid = metrics.paid(data.orders)
    items = data.order_items.merge(paid[["order_id", "channel", "order_time"]], on="order_id")
    window = items[items["order_time"].between(*FESTIVAL)]
    sku = window.groupby("sku")["quantity"].sum().sort_values(ascending=False).index[1]
    return sku, window[window["sku"] == sku].groupby("channel")["quantity"].sum()


def _unit_contribution(data, with_shipping: bool = True) -> pd.Series:
    sku, demand = _festival_sku_demand(data)
    product = data.products.set_index("sku").loc[sku]
    terms = data.fees.set_index("channel").loc[demand.index]
    paid = metrics.paid(data.orders).set_index("order_id")
    net = (data.shipments.set_index("order_id")["shipping_cost"] - paid["shipping_fee"])
    net_shipping = net.groupby(paid["channel"]).mean().loc[demand.index]
    return metrics.unit_contribution(
        product["list_price"], product["unit_cost"], commission_rate=terms["commission_rate"],
        payment_fee_rate=terms["payment_fee_rate"], refund_rate=terms["return_rate_assumption"],
        net_shipping=net_shipping if with_shipping else 0.0)


def _stock(demand: pd.Series) -> int:
    return int(IN_STOCK * demand.sum())


def _allocation(data) -> pd.Series:
    _, demand = _festival_sku_demand(data)
    return logistics.allocate_stock(_stock(demand), demand, _unit_contribution(data))


def _pro_rata(data) -> pd.Series:
    _, demand = _festival_sku_demand(data)
    return _stock(demand) * demand / demand.sum()


def _biggest_demand_first(data) -> pd.Series:
    _, demand = _festival_sku_demand(data)
    return logistics.allocate_stock(_stock(demand), demand, demand.astype(float))


# --- 11.7: markets ------------------------------------------------------------------------


def _markets(data, **drop) -> list[str]:
    """Markets where ABROAD_SKU at its home ¥ price leaves a positive contribution;
    `drop` zeroes rates (the misconceptions: a cost left out)."""
    product = data.products.set_index("sku").loc[ABROAD_SKU]
    found = []
    for name, market in data.cross_border_rates.set_index("market").iterrows():
        market = market.copy()
        for column in drop:
            market[column] = 0.0
        local = product["list_price"] / market["cny_per_unit"]
        if logistics.cross_border_contribution(local, product["unit_cost"],
                                               product["weight_kg"], market) > 0:
            found.append(name)
    return found


def _market_inputs(market: str):
    def inputs(data):
        product = data.products.set_index("sku").loc[ABROAD_SKU]
        rates = data.cross_border_rates.set_index("market").loc[market]
        return {"price_cny": float(product["list_price"]),
                "unit_cost": float(product["unit_cost"]),
                "weight_kg": float(product["weight_kg"]),
                "duty_rate": float(rates["duty_rate"]), "vat_rate": float(rates["vat_rate"]),
                "logistics_first_kg_cost": float(rates["logistics_first_kg_cost"]),
                "logistics_extra_kg_cost": float(rates["logistics_extra_kg_cost"])}
    return inputs


CEILING = ("Carriers bill every started kilogram: a 1.2 kg parcel pays for 2 kg. Round the "
           "weight up (math.ceil) before you count the extra kilograms.")

EXERCISES = (
    Exercise(
        id="11.1",
        kind="computation",
        name="parcel_cost",
        title="What one parcel costs under a first-kg / extra-kg tariff",
        answer=Function(returns=Number("yuan")),
        reference=_parcel_cost,
        cases=(
            Case("a 1.2 kg parcel at ¥12 first kg, ¥2 extra kg",
                 {"weight_kg": 1.2, "first_kg_cost": 12.0, "extra_kg_cost": 2.0}),
            Case("a 3.6 kg parcel at ¥5.5 first kg, ¥2 extra kg",
                 {"weight_kg": 3.6, "first_kg_cost": 5.5, "extra_kg_cost": 2.0}),
            Case("a 0.4 kg parcel at ¥24 first kg, ¥10 extra kg",
                 {"weight_kg": 0.4, "first_kg_cost": 24.0, "extra_kg_cost": 10.0}),
        ),
        hidden=(
            Case("exactly 2 kg at ¥14 first kg, ¥5 extra kg",
                 {"weight_kg": 2.0, "first_kg_cost": 14.0, "extra_kg_cost": 5.0}),
            Case("a 7.05 kg parcel at ¥9 first kg, ¥3 extra kg",
                 {"weight_kg": 7.05, "first_kg_cost": 9.0, "extra_kg_cost": 3.0}),
        ),
        mistakes=(
            Mistake("no_ceiling", _no_ceiling, CEILING),
            Mistake("rounded", _rounded,
                    "You rounded the weight to the nearest kilogram. A carrier rounds *up*: "
                    "1.2 kg is billed as 2 kg, not 1."),
            Mistake("every_kg_extra", _every_kg_extra,
                    "You charged the extra-kg price for every kilogram on top of the first. The "
                    "first kilogram is in the first-kg price: extra kilograms = billed kg − 1."),
        ),
        hints=(
            "首重 + 续重: the first kilogram costs first_kg_cost; every further started "
            "kilogram costs extra_kg_cost.",
            "Billed kilograms = the weight rounded up (math.ceil), and at least 1.",
            "cost = first_kg_cost + extra_kg_cost × (billed kg − 1).",
        ),
        points=2,
    ),
    Exercise(
        id="11.2",
        kind="computation",
        name="national_cost",
        title=f"Cost per order of each carrier on the same {COMPARED_ZONE} parcels",
        answer=Series("yuan"),
        reference=lambda data: _costs(data).loc[COMPARED_ZONE].rename_axis("carrier"),
        mistakes=(
            Mistake("own_parcels", _shipped_average,
                    "That is each carrier's average over the parcels it happened to ship. "
                    "Compare carriers on the same parcels: price every parcel of the zone at "
                    "each carrier's tariff, then average."),
            Mistake("average_weight", _at_mean_weight,
                    "You priced one parcel of average weight. The tariff bills started "
                    "kilograms, so price every parcel and then average the costs."),
        ),
        hints=(
            f"Take every parcel in `shipments` whose zone is {COMPARED_ZONE!r}, whatever "
            "carrier shipped it.",
            f"Merge them with the four carriers' {COMPARED_ZONE} rows of `carrier_rates` on "
            "zone: each parcel appears once per carrier.",
            "Price each row with your parcel_cost (or the same rule on columns: "
            "np.ceil, at least 1 kg), then average per carrier.",
        ),
        points=2,
    ),
    Exercise(
        id="11.3",
        kind="decision",
        name="remote_carrier",
        title=f"The carrier for the {CHOICE_ZONE} zone at a {ON_TIME_FLOOR:.0%} on-time floor",
        answer=Label(CARRIERS),
        reference=_choice,
        mistakes=(
            Mistake("cheapest_ignoring_floor", lambda data: _choice(data, floor=0.0),
                    "That carrier is the cheapest, but it delivers fewer parcels on time than "
                    "the floor the shop promises. Rule out the carriers below the floor first."),
            Mistake("most_punctual",
                    lambda data: logistics.on_time_rate(data.shipments).loc[CHOICE_ZONE].idxmax(),
                    "That is the most punctual carrier. Above the floor, punctuality has done "
                    "its job: among the carriers that meet it, cost decides."),
        ),
        hints=(
            f"On-time rate of each carrier in the {CHOICE_ZONE} zone: the mean of "
            "shipments.on_time over its parcels there.",
            f"Keep the carriers with an on-time rate of at least {ON_TIME_FLOOR}.",
            f"Among them, pick the lowest cost per order on the same {CHOICE_ZONE} parcels "
            "(as in 11.2, for this zone).",
        ),
        points=3,
    ),
    Exercise(
        id="11.4",
        kind="diagnosis",
        name="late_ticket_ratio",
        title="How many times more logistics tickets a late parcel raises",
        answer=Number("ratio"),
        reference=_ticket_ratio,
        mistakes=(
            Mistake("every_category",
                    lambda data: _ticket_ratio(data, categories=("logistics", "quality", "usage",
                                                                 "refund")),
                    "You counted every kind of ticket. Lateness is a logistics problem: keep the "
                    "tickets whose category is 'logistics'."),
            Mistake("inverted", lambda data: _ticket_ratio(data, inverted=True),
                    "Your ratio is below 1: that is punctual parcels' rate over late parcels'. "
                    "Put the late parcels' rate on top."),
        ),
        hints=(
            "Map each logistics ticket's order_id to that parcel's on_time flag (shipments "
            "indexed by order_id).",
            "Rate per group = its logistics tickets ÷ its parcels (late parcels: on_time "
            "False; punctual: True).",
            "ratio = late parcels' rate ÷ punctual parcels' rate.",
        ),
        points=2,
    ),
    Exercise(
        id="11.5",
        kind="decision",
        name="allocation",
        title="One stock pool across channels at Double 11",
        answer=Series("units"),
        reference=_allocation,
        mistakes=(
            Mistake("pro_rata", _pro_rata,
                    "You shared the stock in proportion to demand. A unit earns different "
                    "amounts on each channel: serve the channel where a unit earns most first."),
            Mistake("biggest_demand_first", _biggest_demand_first,
                    "You served the channel that wants the most first. Rank the channels by "
                    "contribution per unit, not by demand."),
        ),
        hints=(
            "Contribution per unit on each channel: metrics.unit_contribution with the SKU's "
            "list price and unit cost, the channel's commission, payment fee and "
            "return_rate_assumption, and its average net shipping per paid order.",
            "Sort the channels by that contribution, highest first; a channel where a unit "
            "loses money gets nothing.",
            "Give each channel its whole demand, or what is left if less; stop when the stock "
            "is gone.",
        ),
        points=3,
    ),
    Exercise(
        id="11.6",
        kind="computation",
        name="landed_cost",
        title="The landed cost of one unit sold abroad, duty paid",
        answer=Function(returns=Number("yuan")),
        reference=_landed_cost,
        cases=(
            Case("¥200 price, ¥50 cost, 1.4 kg; 10 % duty, 20 % VAT; parcel ¥30 + ¥10/kg",
                 {"price_cny": 200.0, "unit_cost": 50.0, "weight_kg": 1.4, "duty_rate": 0.1,
                  "vat_rate": 0.2, "logistics_first_kg_cost": 30.0,
                  "logistics_extra_kg_cost": 10.0}),
            Case(f"{ABROAD_SKU} into the United Kingdom", _market_inputs("United Kingdom")),
        ),
        hidden=(
            Case(f"{ABROAD_SKU} into Singapore (no duty)", _market_inputs("Singapore")),
            Case(f"{ABROAD_SKU} into the United States (no VAT)",
                 _market_inputs("United States")),
        ),
        mistakes=(
            Mistake("vat_without_duty", _vat_without_duty,
                    "Import VAT is charged on the customs value *plus the duty*: "
                    "vat_rate × (price + duty)."),
            Mistake("no_vat", _no_vat,
                    "You left out the import VAT. The shop has no local tax registration, so "
                    "it cannot reclaim it: it is part of the landed cost."),
        ),
        hints=(
            "到岸成本 = unit cost + cross-border parcel + import duty + import VAT, all in ¥.",
            "Parcel: the first-kg / extra-kg rule of 11.1 with the cross-border rates. Duty = "
            "duty_rate × price_cny.",
            "VAT = vat_rate × (price_cny + duty).",
        ),
        points=2,
    ),
    Exercise(
        id="11.7",
        kind="decision",
        name="markets",
        title=f"Where {ABROAD_SKU} can be sold at its home price without losing money",
        answer=LabelSet(),
        reference=_markets,
        mistakes=(
            Mistake("no_vat", lambda data: _markets(data, vat_rate=0),
                    "You left out the import VAT: the shop cannot reclaim it, so it is a cost."),
            Mistake("no_duty", lambda data: _markets(data, duty_rate=0),
                    "You left out the import duty on the goods' value."),
            Mistake("no_parcel",
                    lambda data: _markets(data, logistics_first_kg_cost=0,
                                          logistics_extra_kg_cost=0),
                    "You left out the cross-border parcel: it is priced per started kilogram, "
                    "and a heavy product pays a lot of it."),
        ),
        hints=(
            f"Price: {ABROAD_SKU}'s list_price in ¥, converted to each market's currency at "
            "cny_per_unit (local price = ¥ price ÷ cny_per_unit).",
            "Contribution = price in ¥ × (1 − platform_fee_rate) − landed cost (11.6).",
            "Keep the markets where the contribution is above zero; answer a list of market "
            "names.",
        ),
        points=3,
    ),
)
