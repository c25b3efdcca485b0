"""Chapter 11: logistics formulas against hand-worked parcels, the carrier choice against a
brute-force search, the stock split and the landed cost by hand, and the shop data's shape
the lesson relies on (late parcels rate worse, the shipped cost follows the tariff)."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from shoplab import charts, load_table, logistics, metrics
from shoplab.widgets.logistics import CHOSEN, FLOOR, carrier_mixer


def test_parcel_cost_charges_every_started_kg_and_at_least_one():
    # ¥12 first kg, ¥2 per further started kg: 0.3 kg → 1 kg, 1.0 → 1, 1.01 → 2, 3.2 → 4 kg
    assert logistics.parcel_cost(0.3, 12.0, 2.0) == pytest.approx(12.0)
    assert logistics.parcel_cost(1.0, 12.0, 2.0) == pytest.approx(12.0)
    assert logistics.parcel_cost(1.01, 12.0, 2.0) == pytest.approx(14.0)
    assert logistics.parcel_cost(3.2, 12.0, 2.0) == pytest.approx(18.0)
    assert logistics.parcel_cost(0.0, 12.0, 2.0) == pytest.approx(12.0)


def test_shipped_costs_follow_the_tariff():
    shipments, rates = load_table("shipments"), load_table("carrier_rates")
    priced = shipments.merge(rates, on=["carrier", "zone"])
    expected = logistics.parcel_cost(priced.weight_kg, priced.first_kg_cost, priced.extra_kg_cost)
    assert (expected - priced.shipping_cost).abs().max() < 0.01


def _toy():
    shipments = pd.DataFrame({
        "order_id": ["o1", "o2", "o3", "o4", "o5"],
        "zone": ["near", "near", "near", "far", "far"],
        "carrier": ["A", "B", "B", "A", "B"],
        "weight_kg": [0.5, 1.5, 2.5, 0.5, 1.5],
        "on_time": [True, True, False, False, True],
    })
    rates = pd.DataFrame({
        "carrier": ["A", "B", "A", "B"], "zone": ["near", "near", "far", "far"],
        "first_kg_cost": [10.0, 5.0, 20.0, 8.0], "extra_kg_cost": [1.0, 2.0, 4.0, 3.0]})
    return shipments, rates


def test_cost_per_order_reprices_the_same_parcels_at_each_carrier():
    shipments, rates = _toy()
    cost = logistics.cost_per_order(shipments, rates)
    # near parcels bill 1, 2, 3 kg: A 10, 11, 12 → 11; B 5, 7, 9 → 7
    assert cost.loc["near", "A"] == pytest.approx(11.0)
    assert cost.loc["near", "B"] == pytest.approx(7.0)
    # far parcels bill 1, 2 kg: A 20, 24 → 22; B 8, 11 → 9.5
    assert cost.loc["far", "A"] == pytest.approx(22.0)
    assert cost.loc["far", "B"] == pytest.approx(9.5)


def test_best_carrier_is_the_cheapest_above_the_floor_else_the_most_punctual():
    cost = pd.DataFrame({"A": [11.0, 22.0], "B": [7.0, 9.5]}, index=["near", "far"])
    on_time = pd.DataFrame({"A": [1.0, 0.0], "B": [0.5, 1.0]}, index=["near", "far"])
    assert logistics.best_carriers(cost, on_time, 0.0).to_dict() == {"near": "B", "far": "B"}
    assert logistics.best_carriers(cost, on_time, 0.9).to_dict() == {"near": "A", "far": "B"}
    # nobody reaches 100 % in "near" but A is the most punctual; a floor above every rate too
    on_time.loc["near"] = [0.8, 0.6]
    assert logistics.best_carriers(cost, on_time, 0.9)["near"] == "A"


def test_best_carrier_matches_a_brute_force_search_on_the_shop():
    shipments = load_table("shipments")
    cost = logistics.cost_per_order(shipments, load_table("carrier_rates"))
    on_time = logistics.on_time_rate(shipments)
    for floor in (0.0, 0.85, 0.9, 0.95):
        choice = logistics.best_carriers(cost, on_time, floor)
        for zone in cost.index:
            ok = [c for c in cost.columns if on_time.at[zone, c] >= floor]
            assert choice[zone] == (min(ok, key=lambda c: cost.at[zone, c]) if ok
                                    else on_time.loc[zone].idxmax())


def test_carrier_mix_weights_each_zone_by_its_parcels():
    shipments, rates = _toy()
    cost = logistics.cost_per_order(shipments, rates)
    on_time = logistics.on_time_rate(shipments)
    mix = logistics.carrier_mix(shipments, cost, on_time,
                                pd.Series({"near": "B", "far": "A"}))
    # 3 near parcels × ¥7 + 2 far × ¥22; on time: B near 1 of 2, A far 0 of 1 → (3 × .5 + 0)/5
    assert mix["shipping_cost"] == pytest.approx(65.0)
    assert mix["on_time_share"] == pytest.approx(0.3)


def test_late_delivery_effect_counts_reviews_and_logistics_tickets_by_hand():
    shipments, _ = _toy()
    reviews = pd.DataFrame({"order_id": ["o1", "o2", "o3", "o3"], "dsr_logistics": [5, 4, 2, 3]})
    tickets = pd.DataFrame({"order_id": ["o3", "o4", "o1", "o2"],
                            "category": ["logistics", "logistics", "quality", "logistics"]})
    effect = logistics.late_delivery_effect(shipments, reviews, tickets)
    late, punctual = effect.loc[False], effect.loc[True]
    assert late["orders"] == 2 and punctual["orders"] == 3
    assert late["dsr_logistics"] == pytest.approx(2.5)
    assert punctual["dsr_logistics"] == pytest.approx(4.5)
    assert late["logistics_tickets_per_100"] == pytest.approx(100.0)
    assert punctual["logistics_tickets_per_100"] == pytest.approx(100 / 3)


def test_late_parcels_rate_worse_and_raise_more_tickets_in_the_shop():
    effect = logistics.late_delivery_effect(
        load_table("shipments"), load_table("reviews"), load_table("service_tickets"))
    assert effect.at[False, "dsr_logistics"] < effect.at[True, "dsr_logistics"]
    assert (effect.at[False, "logistics_tickets_per_100"]
            > effect.at[True, "logistics_tickets_per_100"])


def test_packaging_saving_only_counts_parcels_that_drop_a_kg():
    shipments, rates = _toy()
    # −0.5 kg: o2 1.5 → 1.0 saves B-near ¥2, o3 2.5 → 2.0 saves ¥2, o5 1.5 → 1.0 saves B-far ¥3
    assert logistics.packaging_saving(shipments, rates, 0.5) == pytest.approx(7.0)
    assert logistics.packaging_saving(shipments, rates, 0.0) == pytest.approx(0.0)


def test_channel_contribution_uses_the_shop_wide_definition():
    tables = {n: load_table(n) for n in
              ("orders", "order_items", "products", "fees", "shipments")}
    table = metrics.channel_contribution(*tables.values())
    orders = tables["orders"]
    assert table["gmv"].sum() == pytest.approx(metrics.gmv(orders))
    whole = metrics.unit_economics(*tables.values())["contribution_margin"]
    assert (table["contribution"].sum() / table["gmv"].sum()) == pytest.approx(whole)


def test_stock_goes_to_the_best_contribution_first_and_never_to_a_loss():
    demand = pd.Series({"platform": 50, "livestream": 80, "mini_program": 30})
    contribution = pd.Series({"platform": 20.0, "livestream": -3.0, "mini_program": 35.0})
    allocation = logistics.allocate_stock(60, demand, contribution)
    assert allocation.to_dict() == {"platform": 30, "livestream": 0, "mini_program": 30}
    assert logistics.allocate_stock(500, demand, contribution).to_dict() == {
        "platform": 50, "livestream": 0, "mini_program": 30}
    assert logistics.allocate_stock(0, demand, contribution).sum() == 0


def test_allocation_beats_every_other_split_of_the_pool():
    demand = pd.Series({"a": 3, "b": 2, "c": 4})
    contribution = pd.Series({"a": 5.0, "b": 9.0, "c": 1.0})
    best = logistics.allocate_stock(6, demand, contribution)
    top = max(sum(contribution[k] * n for k, n in zip("abc", split, strict=True))
              for split in itertools.product(range(4), range(3), range(5)) if sum(split) <= 6)
    assert (best * contribution).sum() == pytest.approx(top)


def test_landed_cost_and_cross_border_contribution_by_hand():
    market = pd.Series({"cny_per_unit": 10.0, "duty_rate": 0.1, "vat_rate": 0.2,
                        "logistics_first_kg_cost": 30.0, "logistics_extra_kg_cost": 10.0,
                        "platform_fee_rate": 0.15})
    # price 20 units = ¥200; 1.4 kg bills 2 kg: freight 40; duty 20; VAT 0.2 × 220 = 44
    cost = logistics.landed_cost(200.0, 50.0, 1.4, duty_rate=0.1, vat_rate=0.2,
                                 logistics_first_kg_cost=30.0, logistics_extra_kg_cost=10.0)
    assert cost == pytest.approx(50 + 40 + 20 + 44)
    # fee 0.15 × 200 = 30: 200 − 30 − 154 = 16
    assert logistics.cross_border_contribution(20.0, 50.0, 1.4, market) == pytest.approx(16.0)


def test_cross_border_rates_are_dated_and_plausible():
    rates = load_table("cross_border_rates")
    assert rates["market"].is_unique and rates["as_of"].notna().all()
    for column in ("duty_rate", "vat_rate", "platform_fee_rate"):
        assert rates[column].between(0, 0.5).all()
    assert (rates["cny_per_unit"] > 0).all()


def test_break_even_price_leaves_exactly_nothing():
    rates = load_table("cross_border_rates").set_index("market")
    for market in rates.index:
        price = logistics.cross_border_break_even(120.0, 1.6, rates.loc[market])
        assert logistics.cross_border_contribution(price, 120.0, 1.6, rates.loc[market]) == (
            pytest.approx(0.0, abs=1e-9))
        assert logistics.cross_border_contribution(price * 1.1, 120.0, 1.6,
                                                   rates.loc[market]) > 0


def test_carrier_mixer_picks_the_best_carriers_and_prices_the_mix():
    shipments, rates = load_table("shipments"), load_table("carrier_rates")
    mixer = carrier_mixer(shipments, rates, floor=0.9)
    cost, on_time = logistics.cost_per_order(shipments, rates), logistics.on_time_rate(shipments)
    assert mixer.choice().equals(logistics.best_carriers(cost, on_time, 0.9))
    drawn = mixer.figure.data[CHOSEN].y
    mixer.floor.value = 0.7
    assert mixer.choice().equals(logistics.best_carriers(cost, on_time, 0.7))
    assert mixer.figure.data[CHOSEN].y != drawn
    assert mixer.figure.data[FLOOR].x == (0.7, 0.7)
    remote = cost.loc["remote"].idxmax()
    mixer.carriers["remote"].value = remote
    mix = logistics.carrier_mix(shipments, cost, on_time, mixer.choice())
    assert charts.fmt("yen")(mix["shipping_cost"]) in mixer.readout.value
    assert mixer.choice()["remote"] == remote
