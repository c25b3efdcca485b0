"""The sample shop's books tie out: every figure of `shoplab.shopgen.books.RANGES` in its range
and every identity of `books.IDENTITIES` exactly, computed from the built CSVs.

The ranges and identities are declared once in books.py; the data dictionary renders them from
there, so what the dictionary promises is what this module checks.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from shoplab import ads
from shoplab.datasets import load_table, repo_root
from shoplab.shopgen import books, traffic


@pytest.fixture(scope="module")
def tables():
    cache: dict[str, pd.DataFrame] = {}

    def get(name):
        if name not in cache:
            cache[name] = load_table(name)
        return cache[name]

    return get


@pytest.fixture(scope="module")
def figures(tables):
    return books.figures(tables)


@pytest.mark.parametrize("r", books.RANGES, ids=lambda r: r.name)
def test_each_figure_lies_in_its_range(figures, r):
    assert r.low <= figures[r.name] <= r.high, f"{r.text} = {figures[r.name]:.4f}"


def test_inventory_has_a_tail_of_slow_movers(tables):
    turns = books.inventory_turns(tables)
    assert (turns < books.SLOW_TURNS).sum() >= books.MIN_SLOW_MOVERS


def test_pnl_lines_add_up(tables):
    t = books.pnl_by_month(tables)
    assert list(t.columns) == list(books.PNL_LABELS)
    lines = t.drop(columns="net_profit")
    assert np.allclose(lines.sum(axis=1), t["net_profit"], atol=1e-6)
    assert (lines.drop(columns=["gmv", "net_shipping"]) <= 0).all().all()  # costs are negative
    o = tables("orders")
    paid = o[o["status"] != "cancelled"]
    assert t["gmv"].sum() == pytest.approx(paid["order_amount"].sum())
    assert -t["ad_spend"].sum() == pytest.approx(tables("ad_campaigns")["spend"].sum())
    assert -t["fixed_costs"].sum() == pytest.approx(tables("fixed_costs")["amount"].sum())
    streams = tables("livestreams")
    assert -t["livestream_fees"].sum() - t["kol_commission"].sum() == pytest.approx(
        streams["host_fee"].sum() + streams["commission"].sum()
    )


def test_some_festival_months_lose_money_but_both_years_do_not(tables):
    t = books.pnl_by_month(tables)
    assert (books.festival_months(tables)["net_profit"] < 0).any()
    assert (t.groupby(t.index.year)["net_profit"].sum() > 0).all()


def test_pnl_command_prints_the_books():
    out = subprocess.run(
        [sys.executable, "-m", "shoplab.datasets", "pnl"],
        cwd=repo_root(), capture_output=True, text=True, check=True, timeout=300,
    ).stdout
    for label in books.PNL_LABELS.values():
        assert label in out
    assert "Months at a loss" in out


# --- identities ---------------------------------------------------------------------------------


def test_one_ad_click_is_one_session(tables):
    s = tables("sessions")
    is_ad = s["traffic_source"] == "ads"
    assert (s["campaign_id"].notna() == is_ad).all()
    visits = s[is_ad].groupby(["campaign_id", s["start_time"].dt.normalize()]).size()
    a = tables("ad_campaigns").set_index(["campaign_id", "date"])["clicks"]
    assert visits.sum() == a.sum()
    assert (visits.reindex(a.index).fillna(0).astype(int) == a).all()


def test_orders_carry_their_sessions_last_click(tables):
    o = tables("orders")
    s = tables("sessions").set_index("session_id").loc[o["session_id"]]
    assert (o["traffic_source"].to_numpy() == s["traffic_source"].to_numpy()).all()
    assert (o["campaign_id"].fillna("").to_numpy() == s["campaign_id"].fillna("").to_numpy()).all()
    assert o["campaign_id"].notna().sum() > 0


def test_console_overstates_the_last_click_by_a_moderate_factor(tables):
    t = books.console_vs_last_click(tables)
    counted = t[t["last_click"] >= books.CONSOLE_MIN_ORDERS]
    ratio = counted["console"] / counted["last_click"]
    lo, hi = books.CONSOLE_FACTOR
    assert ratio.between(lo, hi).all(), ratio[~ratio.between(lo, hi)]
    assert (t["console"] <= t["channel_paid"]).all()
    assert (t.loc[t["last_click"] < books.CONSOLE_MIN_ORDERS, "console"]
            == t.loc[t["last_click"] < books.CONSOLE_MIN_ORDERS, "last_click"]).all()
    a = tables("ad_campaigns")
    assert (a["attributed_orders"] <= a["clicks"]).all()


def test_inventory_flows_and_purchase_orders_follow_the_review_period(tables):
    inv = tables("inventory").sort_values(["sku", "date"])
    nxt = inv.groupby("sku")["on_hand"].shift(-1)
    bal = inv["on_hand"] + inv["received"] - inv["units_sold"]
    assert (bal[nxt.notna()] == nxt[nxt.notna()]).all() and (inv["on_hand"] >= 0).all()
    o, it = tables("orders"), tables("order_items")
    paid = o.loc[o["status"] != "cancelled", ["order_id", "order_time"]]
    sold = it.merge(paid, on="order_id").assign(date=lambda d: d["order_time"].dt.normalize())
    sold = sold.groupby(["sku", "date"])["quantity"].sum()
    got = inv.set_index(["sku", "date"])["units_sold"]
    assert (got.reindex(sold.index) == sold).all() and got.sum() == sold.sum()
    po = tables("purchase_orders")
    rec = po.groupby(["sku", "received_date"])["quantity"].sum()
    inv_rec = inv.set_index(["sku", "date"])["received"]
    assert (inv_rec.reindex(rec.index) == rec).all() and inv_rec.sum() == rec.sum()
    review = tables("products").set_index("sku")["review_period_days"]
    gaps = po.sort_values("order_date").groupby("sku")["order_date"].diff().dt.days.dropna()
    assert (gaps % po.loc[gaps.index, "sku"].map(review) == 0).all()


def test_after_sales_tables_reference_real_orders_of_the_right_status_and_dates(tables):
    o = tables("orders").set_index("order_id")
    sh = tables("shipments").set_index("order_id")
    assert set(sh.index) == set(o.index[o["status"] != "cancelled"])
    assert (sh["ship_time"] > o.loc[sh.index, "order_time"]).all()
    rv = tables("reviews")
    assert (o.loc[rv["order_id"], "status"] == "completed").all()
    delivered = sh.loc[rv["order_id"], "delivered_time"].dt.normalize().to_numpy()
    assert (rv["review_date"].to_numpy() >= delivered).all()
    assert rv.merge(tables("order_items"), on=["order_id", "sku"]).shape[0] == len(rv)
    tk = tables("service_tickets")
    with_order = tk[tk["order_id"].notna()]
    assert with_order["order_id"].isin(o.index).all()
    assert (tk.loc[tk["order_id"].isna(), "category"] == "presale").all()
    assert (o.loc[with_order["order_id"], "customer_id"].to_numpy()
            == with_order["customer_id"].to_numpy()).all()
    assert (with_order["created_at"].to_numpy() > o.loc[with_order["order_id"], "order_time"]
            .to_numpy()).all()
    refund = with_order[with_order["category"] == "refund"]
    assert (o.loc[refund["order_id"], "status"] == "refunded").all()


def test_livestream_orders_are_in_orders_for_the_same_streams(tables):
    ls, o = tables("livestreams").set_index("stream_id"), tables("orders")
    streamed = o[o["stream_id"].notna()]
    assert (streamed["channel"] == "livestream").all()
    r = ls.loc[streamed["stream_id"]]
    end = r["start_time"] + pd.to_timedelta(r["duration_minutes"], unit="m")
    assert ((streamed["order_time"].to_numpy() >= r["start_time"].to_numpy())
            & (streamed["order_time"].to_numpy() < end.to_numpy())).all()
    paid = streamed[streamed["status"] != "cancelled"]
    by = paid.groupby("stream_id")["order_amount"].agg(["size", "sum"]).reindex(ls.index)
    assert (by["size"].fillna(0).astype(int) == ls["orders"]).all()
    assert np.allclose(by["sum"].fillna(0.0), ls["gmv"], atol=0.01)
    assert np.allclose(ls["commission"], (ls["gmv"] * ls["commission_rate"]).round(2), atol=0.01)
    assert (ls.loc[ls["host_type"] == "own_staff", "commission_rate"] == 0).all()
    kol = ls[ls["host_type"] == "kol"]
    festival = kol["host_fee"] == traffic.FESTIVAL_KOL_FEE
    assert kol.loc[~festival, "commission_rate"].between(*traffic.KOL_COMMISSION).all()
    assert (kol.loc[festival, "commission_rate"] == traffic.FESTIVAL_KOL_COMMISSION).all()


# --- what the dictionary says the data is built to show ------------------------------------------


def test_winning_and_losing_campaigns_at_the_contribution_margin(tables):
    cm = ads.unit_economics(tables("orders"), tables("order_items"), tables("products"),
                            tables("fees"), tables("shipments"))["contribution_margin"]
    roas = ads.campaign_metrics(tables("ad_campaigns"))["roas"]
    break_even = ads.break_even_roas(cm)
    assert set(roas.index[roas < break_even]) == {"AD05", "AD07", "AD08"}
    assert {"AD01", "AD04"} <= set(roas.index[roas > 2 * break_even])
    assert abs(roas["AD02"] / break_even - 1) < 0.25  # chapter 06 sizes AD02: near break-even
    gross = ads.unit_economics(tables("orders"), tables("order_items"), tables("products"),
                               tables("fees"), tables("shipments"))["gross_margin"]
    # exercise 06.6's mistake (1 ÷ gross margin as the bar) must miss a loser: AD08
    assert 1 / gross < roas["AD08"] < break_even


def test_ab_test_is_randomised_per_visitor(tables):
    s = tables("sessions")
    ab = s[s["checkout_variant"].notna()]
    assert (ab.groupby("visitor_id")["checkout_variant"].nunique() == 1).all()
    split = (ab.drop_duplicates("visitor_id")["checkout_variant"] == "B").mean()
    assert 0.45 < split < 0.55


def test_the_slow_movers_are_the_over_forecast_skus(tables):
    from shoplab.shopgen.stock import OVER_FORECAST

    turns = books.inventory_turns(tables)
    assert set(turns.index[turns < books.SLOW_TURNS]) == set(OVER_FORECAST)


def test_hw005_is_the_weak_product(tables):
    rv = tables("reviews")
    rating = rv.groupby("sku")["rating"].mean()
    assert rating.idxmin() == "HW-005"
    o, it = tables("orders"), tables("order_items")
    lines = it.merge(o[o["status"] != "cancelled"][["order_id", "status"]], on="order_id")
    refunded = lines["status"] == "refunded"
    assert refunded[lines["sku"] == "HW-005"].mean() > 1.25 * refunded.mean()
    tk = tables("service_tickets")
    quality = tk[tk["category"] == "quality"].merge(it, on="order_id")
    per_line = quality.groupby("sku").size() / it.groupby("sku").size()
    assert per_line.idxmax() == "HW-005"


def test_response_curves_never_tell_a_losing_campaign_to_grow(tables):
    """Lesson 06 lists campaigns with room to grow from their fitted curves: none may be a loser."""
    a = tables("ad_campaigns")
    cm = ads.unit_economics(tables("orders"), tables("order_items"), tables("products"),
                            tables("fees"), tables("shipments"))["contribution_margin"]
    roas = ads.campaign_metrics(a)["roas"]
    daily = ads.with_last_click(a, tables("orders"))
    for campaign, curve in ads.fit_response_curves(daily).items():
        today = a.loc[a["campaign_id"] == campaign, "spend"].mean()
        if roas[campaign] < ads.break_even_roas(cm):
            assert curve.roas(today) < ads.break_even_roas(cm), campaign


def test_units_were_still_sold_during_hw002s_stockout(tables):
    """Exercise 03.7's mistake (forgetting the units still sold) must differ from its answer."""
    from shoplab import inventory as inv

    stock = tables("inventory")
    run = inv.stockout_episodes(stock).set_index("sku").loc["HW-002"]
    days = stock[(stock["sku"] == "HW-002") & stock["date"].between(run["first"], run["last"])]
    assert days["stockout"].all() and days["units_sold"].sum() > 0


def test_the_launch_ramps_and_cannibalises_its_neighbour(tables):
    """HW-032's weekly units grow over its first weeks; HW-029 loses more than its fair share."""
    from shoplab.shopgen import orders as gen

    it, o, p = tables("order_items"), tables("orders"), tables("products")
    paid = o[o["status"] != "cancelled"][["order_id", "order_time"]]
    lines = it.merge(paid, on="order_id").merge(p[["sku", "category", "launch_date"]], on="sku")
    launch = p.set_index("sku").at[gen.LAUNCH_SKU, "launch_date"]
    weeks = (lines["order_time"] - launch).dt.days // 7
    new = lines[lines["sku"] == gen.LAUNCH_SKU]
    per_week = new.groupby(weeks[new.index])["quantity"].sum()
    assert per_week.loc[0:3].mean() < 0.6 * per_week.loc[12:25].mean()
    # the neighbour's share of the category's other SKUs (the new one left out)
    same = lines[(lines["category"] == "Small appliances") & (lines["sku"] != gen.LAUNCH_SKU)]
    w = weeks[same.index]
    before, after = same[w.between(-26, -1)], same[w.between(12, 37)]

    def share(x):
        return x.loc[x["sku"] == gen.CANNIBALISED_SKU, "quantity"].sum() / x["quantity"].sum()

    assert share(after) < 0.75 * share(before)
    # no other SKU of the category loses like that
    for sku in set(same["sku"]) - {gen.CANNIBALISED_SKU}:
        b = before.loc[before["sku"] == sku, "quantity"].sum() / before["quantity"].sum()
        a = after.loc[after["sku"] == sku, "quantity"].sum() / after["quantity"].sum()
        assert a > 0.85 * b, sku


def test_viewed_sku_is_what_was_bought_and_conversion_rises_with_quality(tables):
    from shoplab.shopgen import catalog

    s, it, p = tables("sessions"), tables("order_items"), tables("products")
    assert (s["viewed_sku"].notna() == s["viewed_product"]).all()
    bought = set(zip(it["order_id"], it["sku"], strict=True))
    placed = s[s["placed_order"]]
    pairs = zip(placed["order_id"], placed["viewed_sku"], strict=True)
    assert all(pair in bought for pair in pairs)
    launch = s["viewed_sku"].map(p.set_index("sku")["launch_date"])
    assert (launch[s["viewed_product"]] <= s.loc[s["viewed_product"], "start_time"]).all()
    viewed = s[s["viewed_product"]]
    conversion = viewed.groupby("viewed_sku")["added_to_cart"].mean()
    quality = catalog.products().set_index("sku")["quality"].reindex(conversion.index)
    assert conversion.idxmin() == "HW-005"
    assert conversion.rank().corr(quality.rank()) > 0.6  # Spearman


def test_delivery_is_the_competitor_gap_worth_closing_in_every_main_category(tables):
    """Chapter 02's competitor analysis: trailing gaps as a share of the competitor average."""
    c, p = tables("competitors"), tables("products")
    o, sh, it = tables("orders"), tables("shipments"), tables("order_items")
    lines = it.merge(p[["sku", "category"]], on="sku")
    days = sh.merge(o[["order_id", "order_time"]], on="order_id")
    days = (days["delivered_time"] - days["order_time"]).dt.total_seconds() / 86400
    days.index = sh["order_id"]
    rating = tables("reviews").merge(p[["sku", "category"]], on="sku").groupby("category")["rating"]
    for category, rivals in c.groupby("category"):
        orders_in = lines.loc[lines["category"] == category, "order_id"].unique()
        ours = {
            "price": p.set_index("sku").at[rivals["comparable_sku"].iloc[0], "list_price"],
            "delivery_days": days.reindex(orders_in).mean(),
            "rating": rating.mean()[category],
            "assortment": (p["category"] == category).sum(),
        }
        lower_is_better = {"price": 1, "delivery_days": 1, "rating": -1, "assortment": -1}
        trailing = {
            k: sign * (ours[k] - rivals[k].mean()) / rivals[k].mean()
            for k, sign in lower_is_better.items()
        }
        assert max(trailing, key=trailing.get) == "delivery_days", (category, trailing)
        assert trailing["delivery_days"] > 2 * sorted(trailing.values())[-2], (category, trailing)
