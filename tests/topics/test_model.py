"""The festival model (shoplab/shopgen/model.py) reproduces the built data's Double 11.

Last year's plan (the generator's ad spend, its 满减, list prices, the stock the shop had) run
through the model must land within the model's stated tolerances of what the random generator
drew, for 2025 and for 2024; and the model must be fast and deterministic enough to search.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest

from shoplab import load_table, metrics
from shoplab.shopgen import model

YEARS = (2025, 2024)


@pytest.fixture(scope="module")
def built():
    return {name: load_table(name) for name in
            ("orders", "order_items", "sessions", "ad_campaigns", "inventory", "coupons")}


def festival(built, year):
    """The built data's Double 11 window: paid orders, their lines, sessions, ad rows."""
    days = model.window(year)
    o = built["orders"]
    o = metrics.paid(o[o["order_time"].dt.normalize().isin(days)])
    items = built["order_items"][metrics.among(built["order_items"]["order_id"], o["order_id"])]
    s = built["sessions"]
    ads = built["ad_campaigns"]
    coupons = built["coupons"]
    used = coupons[metrics.among(coupons["redeemed_order_id"], o["order_id"])]
    return {"orders": o, "items": items, "ads": ads[ads["date"].isin(days)],
            "sessions": int(s["start_time"].dt.normalize().isin(days).sum()),
            "coupons": float(used["face_value"].sum())}


def within(model_value, data_value, tolerance):
    return abs(model_value / data_value - 1) <= tolerance


@pytest.mark.parametrize("year", YEARS)
def test_last_years_plan_reproduces_the_festival(built, year):
    data = festival(built, year)
    out = model.run(model.last_year(built["inventory"], year=year), year)
    tol = model.TOLERANCE["totals"]
    totals = {
        "sessions": (out.sessions, data["sessions"]),
        "ad clicks": (out.clicks.sum(), data["ads"]["clicks"].sum()),
        "paid orders": (out.orders, len(data["orders"])),
        # the model leaves store coupons out: its GMV is the data's GMV before them
        "GMV before coupons": (out.gmv, metrics.gmv(data["orders"]) + data["coupons"]),
    }
    off = {k: round(m / d - 1, 3) for k, (m, d) in totals.items() if not within(m, d, tol)}
    assert not off, f"{year}: model vs data beyond ±{tol:.0%}: {off}"
    assert out.ad_spend == pytest.approx(data["ads"]["spend"].sum(), rel=1e-9)


@pytest.mark.parametrize("year", YEARS)
def test_top_skus_units_within_tolerance(built, year):
    data = festival(built, year)
    sold = data["items"].groupby("sku")["quantity"].sum()
    out = model.run(model.last_year(built["inventory"], year=year), year)
    top = sold.sort_values(ascending=False).index[: model.TOP_N]
    tol = model.TOLERANCE["top_sku"]
    off = {s: round(out.units[s] / sold[s] - 1, 3) for s in top
           if not within(out.units[s], sold[s], tol)}
    assert not off, f"{year}: top SKUs' units beyond ±{tol:.0%}: {off}"


def test_the_plans_top_skus_are_the_datas_best_sellers(built):
    sold = festival(built, model.YEAR)["items"].groupby("sku")["quantity"].sum()
    assert set(model.top_skus()) == set(sold.nlargest(model.TOP_N).index)


def test_levers_move_the_festival_the_way_the_generator_does(built):
    base = model.last_year(built["inventory"])
    out = model.run(base)
    def spend(campaign, factor):
        return model.run(replace(base, ad_spend={**base.ad_spend,
                                                 campaign: factor * base.ad_spend[campaign]}))

    # twice the spend buys 2**BETA times the clicks, fewer than twice ...
    assert spend("AD02", 2).clicks["AD02"] == pytest.approx(2 ** 0.7 * out.clicks["AD02"])
    # ... and beyond the largest spend the generator ever drew, no more at all
    assert spend("AD02", 10).clicks["AD02"] == pytest.approx(spend("AD02", 4).clicks["AD02"])
    assert spend("AD02", 4).clicks["AD02"] < 4 ** 0.7 * out.clicks["AD02"]
    # brand terms: with no spend, the buyers who would have come anyway still come (holdout)
    no_brand, no_generic = spend("AD01", 0), spend("AD02", 0)
    assert no_brand.clicks["AD01"] == 0
    assert 0 < out.orders - no_brand.orders
    assert no_generic.orders < out.orders
    no_promo = model.run(replace(base, reduction=0.0))
    assert no_promo.orders < out.orders and no_promo.discount == 0.0
    wok = model.top_skus()[0]
    dear = model.run(replace(base, prices={"HW-001": 219.0}))
    assert dear.elasticity == {"HW-001": -2.0}
    # constant elasticity on the lines, and at ¥200+ a line's second unit is rarer (QTY_BANDS)
    per_line = model.units_moments(219.0)[0] / model.units_moments(199.0)[0]
    assert dear.units["HW-001"] == pytest.approx(
        out.units["HW-001"] * (219 / 199) ** -2.0 * per_line, rel=0.02)
    short = model.run(replace(base, stock={**base.stock, wok: 50.0}))
    row = short.stock.set_index("sku").loc[wok]
    assert row["sold"] <= 50.0 and row["lost"] > 0 and row["p_out_by_peak"] > 0.99
    # the lost wok demand goes to the substitute, not nowhere
    assert short.units[row["substitute"]] == pytest.approx(
        out.units[row["substitute"]] + row["lost"], rel=1e-6)


def test_same_plan_same_outcome(built):
    plan = model.last_year(built["inventory"])
    assert len({model.run(plan).profit for _ in range(10)}) == 1


def test_the_model_is_not_fitted_to_the_data():
    """The model reads only the generator: last year's stock is the one input from the data."""
    text = open(model.__file__, encoding="utf-8").read()
    assert "load_table" not in text and "read_csv" not in text
    assert isinstance(model.top_skus(), tuple) and pd.Series(model.top_skus()).is_unique
