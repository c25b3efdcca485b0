"""The sample shop: loader contract, schema/dictionary agreement and the data's consistency rules.

The dataset is built once per test session into a temporary directory *through* the loader's
build-on-first-use path, so that path is exercised too.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os

import numpy as np
import pandas as pd
import pytest

import shoplab.datasets as ds
from shoplab.shopgen.common import AB_LIFT, END
from shoplab.shopgen.schema import SCHEMA, dictionary_markdown


@pytest.fixture(scope="session")
def shop(tmp_path_factory):
    """Build into an empty directory via load_table(); yield a loader for that directory."""
    directory = tmp_path_factory.mktemp("shop")
    old = os.environ.get("SHOPLAB_DATA")
    os.environ["SHOPLAB_DATA"] = str(directory)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        ds.load_table("orders")
    cache = {}

    def load(name):
        if name not in cache:
            cache[name] = ds.load_table(name)
        return cache[name]

    load.directory = directory
    load.build_message = out.getvalue()
    try:
        yield load
    finally:
        if old is None:
            os.environ.pop("SHOPLAB_DATA", None)
        else:
            os.environ["SHOPLAB_DATA"] = old


# --- loader contract -------------------------------------------------------------------------


def test_first_use_builds_with_one_message(shop):
    lines = [ln for ln in shop.build_message.splitlines() if ln.strip()]
    assert len(lines) == 1 and "building" in lines[0]
    assert sorted(p.stem for p in shop.directory.glob("*.csv")) == sorted(ds.table_names())
    assert sorted(p.stem for p in shop.directory.glob("*.arrow")) == sorted(ds.table_names())


def test_data_dir_default_and_env(monkeypatch, tmp_path):
    monkeypatch.delenv("SHOPLAB_DATA", raising=False)
    assert ds.data_dir() == ds.repo_root() / "datasets"
    assert (ds.repo_root() / "pyproject.toml").exists()
    monkeypatch.setenv("SHOPLAB_DATA", str(tmp_path))
    assert ds.data_dir() == tmp_path


def test_unknown_table_lists_available(shop):
    with pytest.raises(ds.DatasetError) as err:
        ds.load_table("oders")
    assert "oders" in str(err.value) and "order_items" in str(err.value)
    assert isinstance(err.value, RuntimeError)


def test_returns_fresh_copies(shop):
    a = ds.load_table("products")
    a.loc[:, "list_price"] = -1.0
    b = ds.load_table("products")
    assert (b["list_price"] > 0).all()


@pytest.mark.parametrize("source", ["columnar copy", "csv"])
def test_columns_keeps_only_those_in_that_order(shop_copy, source):
    if source == "csv":  # no columnar copy yet: the CSV is parsed (and the copy written)
        (shop_copy / "sessions.arrow").unlink()
    wanted = ["device", "session_id", "placed_order"]
    few = ds.load_table("sessions", columns=wanted)
    full = ds.load_table("sessions")
    assert list(few.columns) == wanted
    pd.testing.assert_frame_equal(few, full[wanted], check_exact=True)
    with pytest.raises(ds.DatasetError) as err:
        ds.load_table("sessions", columns=["device", "devise"])
    assert "'devise'" in str(err.value) and "checkout_variant" in str(err.value)


def test_columns_are_mapped_from_the_file_not_copied(shop):
    """Only the chosen columns' pages are read, in place: no copy of the 110 MB table."""
    ds.load_table("sessions")  # verified (hashed) before measuring
    before = ds.pa.total_allocated_bytes()
    few = ds.load_table("sessions", columns=["traffic_source", "order_id"])
    copied = ds.pa.total_allocated_bytes() - before
    assert copied < (shop.directory / "sessions.arrow").stat().st_size / 20, copied
    assert few.shape[1] == 2


def test_dtypes_parsed(shop):
    for name in ds.table_names():
        df = shop(name)
        t = SCHEMA[name]
        for c in t.names_of("date", "datetime"):
            assert pd.api.types.is_datetime64_any_dtype(df[c]), (name, c)
        for c in t.names_of("bool"):
            assert df[c].dtype == bool, (name, c)
        for c in t.names_of("int"):
            assert pd.api.types.is_integer_dtype(df[c]), (name, c)



def test_malformed_file_names_missing_columns(monkeypatch, tmp_path):
    monkeypatch.setenv("SHOPLAB_DATA", str(tmp_path))
    (tmp_path / "fees.csv").write_text("channel,commission_rate\nplatform,0.05\n")
    with pytest.raises(ds.DatasetError) as err:
        ds.load_table("fees")
    msg = str(err.value)
    assert "fees.csv" in msg and "payment_fee_rate" in msg and "shoplab.datasets build" in msg


def test_unbuildable_directory_says_what_to_run(monkeypatch, tmp_path):
    def refuse(directory):
        raise PermissionError(13, "Permission denied", str(directory))

    monkeypatch.setattr(ds, "_build_in_subprocess", refuse)
    monkeypatch.setenv("SHOPLAB_DATA", str(tmp_path / "ro"))
    with pytest.raises(ds.DatasetError) as err:
        ds.load_table("orders")
    assert "python -m shoplab.datasets build" in str(err.value)


def test_csv_columns_match_schema(shop):
    for name in ds.table_names():
        header = (shop.directory / f"{name}.csv").open(encoding="utf-8").readline().strip()
        assert header.split(",") == SCHEMA[name].column_names, name


def test_committed_dictionary_is_current():
    readme = ds.repo_root() / "datasets" / "README.md"
    assert readme.read_text(encoding="utf-8") == dictionary_markdown(), (
        "datasets/README.md is stale: run `python -m shoplab.datasets dictionary`"
    )


def test_size_budget(shop):
    """Every visit is a row (no sampling): sessions is about 80 MB, the rest about 12 MB."""
    total = sum(p.stat().st_size for p in shop.directory.glob("*.csv"))
    assert total < 100e6
    assert len(shop("sessions")) <= 1_000_000


def test_build_reproduces_the_committed_checksums_byte_for_byte(shop):
    """The session's build (from scratch, via load_table) is the one the manifest pins."""
    pinned = ds.manifest()
    assert sorted(pinned) == sorted(f"{name}.csv" for name in ds.table_names())
    for name, digest in pinned.items():
        assert ds.checksum(shop.directory / name) == digest, (
            f"{name} differs from datasets/MANIFEST.sha256: the generator changed; if on "
            "purpose, run `python -m shoplab.datasets build && python -m shoplab.datasets manifest`"
        )


@pytest.fixture
def shop_copy(shop, monkeypatch, tmp_path):
    """A private copy of the built shop (both copies of every table and the build's record of
    the columnar ones), as SHOPLAB_DATA, for tests that damage it."""
    for path in [*shop.directory.glob("*.csv"), *shop.directory.glob("*.arrow"),
                 shop.directory / ds.COLUMNAR_NAME]:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    monkeypatch.setenv("SHOPLAB_DATA", str(tmp_path))
    return tmp_path


def assert_refused_with_the_fix(name, suffix=".csv"):
    with pytest.raises(ds.DatasetError) as err:
        ds.load_table(name)
    message = str(err.value)
    assert f"{name}{suffix}" in message and "python -m shoplab.datasets build" in message


@pytest.mark.parametrize("suffix", [".csv", ".arrow"])
@pytest.mark.parametrize("damage", ["truncate", "edit"])
def test_truncated_or_edited_file_is_refused_with_the_fix(shop_copy, damage, suffix):
    target = shop_copy / f"orders{suffix}"
    data = target.read_bytes()
    if damage == "truncate":
        target.write_bytes(data[: len(data) // 2])
    else:
        assert data.count(b"completed") > 5
        target.write_bytes(data.replace(b"completed", b"cancelled", 5))
    assert_refused_with_the_fix("orders", suffix)
    assert ds.load_table("products").shape[0] > 0  # an intact table still loads


def test_the_columnar_copy_is_the_csv_as_parsed_and_reproducible(shop):
    """Same values and dtypes as parsing the CSV; rewritten from the CSV, the same bytes as
    the build's (so the checksum recorded at build time is a property of the data)."""
    recorded = json.loads((shop.directory / ds.COLUMNAR_NAME).read_text())
    for name in ds.table_names():
        csv = shop.directory / f"{name}.csv"
        parsed = ds._read(csv, SCHEMA[name])
        pd.testing.assert_frame_equal(shop(name), parsed, check_exact=True)
        assert recorded[f"{name}.arrow"]["csv_sha256"] == ds.manifest()[csv.name]
        table = ds.pa.Table.from_pandas(parsed, preserve_index=False).replace_schema_metadata(None)
        sink = ds.pa.BufferOutputStream()
        ds.feather.write_feather(table, sink, compression="uncompressed")
        rewritten = hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()
        assert rewritten == recorded[f"{name}.arrow"]["sha256"], name


def test_a_missing_columnar_copy_is_rewritten_from_the_verified_csv(shop_copy):
    (shop_copy / "orders.arrow").unlink()
    first = ds.load_table("orders")  # from the CSV, writing the copy
    assert (shop_copy / "orders.arrow").exists()
    pd.testing.assert_frame_equal(ds.load_table("orders"), first, check_exact=True)


def test_a_columnar_copy_recorded_against_another_manifest_is_rewritten(shop_copy):
    """A copy made from another version's CSV (record names another digest) is not read."""
    records = json.loads((shop_copy / ds.COLUMNAR_NAME).read_text())
    stale = shop_copy / "fees.arrow"
    stale.write_bytes(b"not the fees table")
    records["fees.arrow"] = {"sha256": ds.checksum(stale), "csv_sha256": "0" * 64}
    (shop_copy / ds.COLUMNAR_NAME).write_text(json.dumps(records))
    assert ds.load_table("fees").shape[0] > 0
    assert ds.checksum(stale) == json.loads(
        (shop_copy / ds.COLUMNAR_NAME).read_text())["fees.arrow"]["sha256"]


def test_a_verified_file_is_hashed_once(shop_copy, monkeypatch):
    hashed = []
    real = ds.checksum
    monkeypatch.setattr(ds, "checksum", lambda path: hashed.append(path.name) or real(path))
    ds.load_table("fees")
    ds.load_table("fees")  # as a freshly imported loader (a hidden check) sees it: no memory
    assert hashed == ["fees.csv", "fees.arrow"]
    assert {"fees.csv", "fees.arrow"} <= set(json.loads((shop_copy / ds.VERIFIED_NAME).read_text()))


def test_a_same_size_edit_with_its_mtime_restored_is_still_refused(shop_copy):
    """Size and mtime alone would miss this edit; the ctime in the signature does not."""
    target = shop_copy / "orders.csv"
    ds.load_table("orders")  # verified and recorded
    before = target.stat()
    data = target.read_bytes()
    assert data.count(b"completed") > 5
    with open(target, "r+b") as f:  # in place: same inode, same size
        f.write(data.replace(b"completed", b"cancelled", 5))
    os.utime(target, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = target.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == (
        before.st_size, before.st_mtime_ns, before.st_ino
    )
    assert_refused_with_the_fix("orders")


def test_a_record_from_another_manifest_does_not_vouch(shop_copy):
    """A record says "these bytes had that checksum"; it vouches only for the manifest's."""
    ds.load_table("fees")
    fees = shop_copy / "fees.csv"
    fees.write_text(fees.read_text().replace("0.05,", "0.01,"))  # another version's file ...
    records = json.loads((shop_copy / ds.VERIFIED_NAME).read_text())
    records["fees.csv"]["signature"] = ds._signature(shop_copy / "fees.csv")  # ... but "seen"
    records["fees.csv"]["sha256"] = "0" * 64  # verified against some other manifest
    (shop_copy / ds.VERIFIED_NAME).write_text(json.dumps(records))
    assert_refused_with_the_fix("fees")


# --- keys and tie-outs -------------------------------------------------------------------------


def test_orders_join_their_sessions(shop):
    o, s = shop("orders"), shop("sessions").set_index("session_id")
    assert o["order_id"].is_unique and o["session_id"].is_unique
    assert o["session_id"].isin(s.index).all()
    ss = s.loc[o["session_id"]]
    assert ss["placed_order"].all()
    assert (ss["order_id"].to_numpy() == o["order_id"].to_numpy()).all()
    assert (ss["customer_id"].to_numpy() == o["customer_id"].to_numpy()).all()
    assert s["placed_order"].sum() == len(o)
    assert s.loc[~s["placed_order"], "order_id"].isna().all()
    assert o["customer_id"].isin(shop("customers")["customer_id"]).all()


def test_funnel_flags_monotone(shop):
    s = shop("sessions")
    steps = ["viewed_product", "added_to_cart", "started_checkout", "placed_order"]
    for a, b in zip(steps, steps[1:], strict=False):
        assert not (s[b] & ~s[a]).any(), (a, b)


def test_order_totals_tie_out(shop):
    o, it, p = shop("orders"), shop("order_items"), shop("products")
    assert it["sku"].isin(p["sku"]).all()
    assert it["order_id"].isin(o["order_id"]).all() and o["order_id"].isin(it["order_id"]).all()
    assert np.allclose(it["line_amount"], it["quantity"] * it["unit_price"], atol=0.006)
    gross = it.groupby("order_id")["line_amount"].sum().reindex(o["order_id"]).to_numpy()
    assert np.allclose(gross, o["gross_amount"], atol=0.01)
    assert np.allclose(o["order_amount"], o["gross_amount"] - o["discount_amount"], atol=0.01)
    assert (o["discount_amount"] >= 0).all() and (o["order_amount"] > 0).all()


def test_status_mix(shop):
    o = shop("orders")
    cancelled = (o["status"] == "cancelled").mean()
    paid = o[o["status"] != "cancelled"]
    refunded = (paid["status"] == "refunded").mean()
    assert set(o["status"]) == {"completed", "refunded", "cancelled"}
    assert 0.04 <= cancelled <= 0.06 and 0.05 <= refunded <= 0.08


def test_shipments_reviews_tickets_reference_right_orders(shop):
    o = shop("orders").set_index("order_id")
    sh, rv, tk = shop("shipments"), shop("reviews"), shop("service_tickets")
    assert sh["order_id"].is_unique
    assert set(sh["order_id"]) == set(o.index[o["status"] != "cancelled"])
    assert (o.loc[rv["order_id"], "status"] == "completed").all()
    items = shop("order_items")
    assert rv.merge(items, on=["order_id", "sku"]).shape[0] == len(rv)
    for c in ("rating", "dsr_description", "dsr_service", "dsr_logistics"):
        assert rv[c].between(1, 5).all()
    with_order = tk["order_id"].notna()
    assert tk.loc[with_order, "order_id"].isin(o.index).all()
    assert (tk.loc[~with_order, "category"] == "presale").all()
    rates = shop("carrier_rates").set_index(["carrier", "zone"])
    r = rates.loc[list(zip(sh["carrier"], sh["zone"], strict=True))]
    cost = r["first_kg_cost"].to_numpy() + r["extra_kg_cost"].to_numpy() * (
        np.ceil(sh["weight_kg"]) - 1
    )
    assert np.allclose(cost, sh["shipping_cost"], atol=0.01)
    days = (sh["delivered_time"] - sh["ship_time"]).dt.total_seconds() / 86400
    assert ((days <= r["promised_days"].to_numpy()) == sh["on_time"]).all()
    assert (sh["ship_time"] > o.loc[sh["order_id"], "order_time"].to_numpy()).all()


def test_inventory_balances_and_matches_sales(shop):
    inv = shop("inventory").sort_values(["sku", "date"])
    assert (inv["on_hand"] >= 0).all()
    nxt = inv.groupby("sku")["on_hand"].shift(-1)
    bal = inv["on_hand"] + inv["received"] - inv["units_sold"]
    assert (bal[nxt.notna()] == nxt[nxt.notna()]).all() and (bal >= 0).all()
    o, it = shop("orders"), shop("order_items")
    paid = o.loc[o["status"] != "cancelled", ["order_id", "order_time"]]
    sold = it.merge(paid, on="order_id").assign(date=lambda d: d["order_time"].dt.normalize())
    sold = sold.groupby(["sku", "date"])["quantity"].sum()
    got = inv.set_index(["sku", "date"])["units_sold"]
    assert (got.reindex(sold.index) == sold).all() and got.sum() == sold.sum()
    po = shop("purchase_orders")
    rec = po.groupby(["sku", "received_date"])["quantity"].sum()
    inv_rec = inv.set_index(["sku", "date"])["received"]
    assert (inv_rec.reindex(rec.index) == rec).all() and inv_rec.sum() == rec.sum()
    lead = (po["received_date"] - po["order_date"]).dt.days
    assert lead.groupby(po["sku"]).median().between(5, 33).all()
    assert lead.max() > 33  # a few late supplier deliveries cause the stock-outs
    assert inv["stockout"].sum() >= 10  # some real stock-outs to analyse


def test_coupons_redeemed_once_on_holders_orders(shop):
    c, o = shop("coupons"), shop("orders").set_index("order_id")
    red = c[c["redeemed_order_id"].notna()]
    assert red["redeemed_order_id"].is_unique
    oo = o.loc[red["redeemed_order_id"]]
    assert (oo["customer_id"].to_numpy() == red["customer_id"].to_numpy()).all()
    assert (oo["coupon_id"].to_numpy() == red["coupon_id"].to_numpy()).all()
    assert (oo["gross_amount"].to_numpy() >= red["min_spend"].to_numpy()).all()
    day = oo["order_time"].dt.normalize().to_numpy()
    assert ((day >= red["issued_date"].to_numpy()) & (day <= red["expiry_date"].to_numpy())).all()
    assert o["coupon_id"].notna().sum() == len(red)


def test_promotions_include_both_festivals_each_year(shop):
    pr = shop("promotions")
    fest = pr[pr["promo_type"] == "festival"]
    for y in (2024, 2025):
        yr = fest[fest["start_date"].dt.year == y]
        assert (yr["end_date"].dt.strftime("%m-%d") == "06-18").any()
        assert (yr["end_date"].dt.strftime("%m-%d") == "11-11").any()
    assert (fest["threshold"] > 0).all() and (fest["discount_value"] > 0).all()
    o = shop("orders")
    assert o["promo_id"].dropna().isin(pr["promo_id"]).all()


# --- the shapes lessons rely on -------------------------------------------------------------


def test_festival_spikes(shop):
    o = shop("orders")
    paid = o[o["status"] != "cancelled"]
    daily = paid.groupby(paid["order_time"].dt.normalize())["order_amount"].sum()
    for day in ("2024-06-18", "2024-11-11", "2025-06-18", "2025-11-11"):
        d = pd.Timestamp(day)
        before = daily[
            (daily.index >= d - pd.Timedelta(days=60)) & (daily.index < d - pd.Timedelta(days=25))
        ]
        assert daily[d] > 3 * before.median(), day


def test_scale_and_mix(shop):
    s, o, c = shop("sessions"), shop("orders"), shop("customers")
    assert 600_000 <= len(s) <= 1_000_000 and 15_000 <= len(o) <= 30_000
    assert 18_000 <= len(c) <= 35_000
    assert (s["device"] == "mobile").mean() > 0.70 and (o["device"] == "mobile").mean() > 0.70
    paid = o[o["status"] != "cancelled"]
    gmv = paid.groupby(paid["order_time"].dt.year)["order_amount"].sum()
    assert gmv.between(2.5e6, 6e6).all() and gmv[2025] > gmv[2024]
    buyers = c[c["customer_id"].isin(paid["customer_id"])]
    top = buyers["age_group"].value_counts().index[:2]
    assert set(top) == {"80后", "90后"}
    n = paid.groupby("customer_id").size()
    assert 0.15 < (n >= 2).mean() < 0.5  # repeat buyers exist, but are not most buyers


def test_charm_prices_and_margins(shop):
    p = shop("products")
    cents = (p["list_price"] * 10).round().astype(int)
    charm = (cents % 100 == 90) | (cents % 10 == 9)
    assert charm.mean() > 0.75 and (~charm).sum() >= 2
    margin = 1 - p["unit_cost"] / p["list_price"]
    assert margin.min() >= 0.2 and margin.max() <= 0.7


def test_view_to_cart_drops_most_then_checkout_and_mobile_leaks_more(shop):
    s = shop("sessions")
    steps = ["viewed_product", "added_to_cart", "started_checkout", "placed_order"]
    rates = [s[b].sum() / s[a].sum() for a, b in zip(steps, steps[1:], strict=False)]
    assert np.argmin(rates) == 0 and rates[1] < rates[2]
    # ... yet the first step (visit → view) loses more sessions by head-count: rate and count
    # name different steps (lesson 08 and exercise 08.3's mistake rely on it)
    counts = [len(s)] + [int(s[c].sum()) for c in steps]
    lost = -np.diff(counts)
    assert np.argmax(lost) == 0 and lost[0] > lost[1]
    cart = s[s["added_to_cart"]]
    by_dev = cart.groupby("device")["started_checkout"].mean()
    assert by_dev["pc"] - by_dev["mobile"] > 0.1


def test_ab_test_has_modest_real_effect(shop):
    s = shop("sessions")
    ab = s[s["checkout_variant"].notna()]
    assert set(ab["checkout_variant"]) == {"A", "B"}
    days = ab["start_time"].dt.normalize()
    assert 35 <= (days.max() - days.min()).days <= 49
    conv = ab.groupby("checkout_variant")["placed_order"].agg(["mean", "size"])
    diff = conv.loc["B", "mean"] - conv.loc["A", "mean"]
    p = ab["placed_order"].mean()
    se = np.sqrt(p * (1 - p) * (1 / conv.loc["A", "size"] + 1 / conv.loc["B", "size"]))
    assert diff / se > 1.96  # real: significant at 5 %
    # modest: B's lift on order conversion is the planted step lift (AB_LIFT on cart → checkout),
    # within three standard errors of the relative difference
    assert abs(diff / conv.loc["A", "mean"] - (AB_LIFT - 1)) < 3 * se / conv.loc["A", "mean"]


def test_price_test_demand_falls_with_price_and_ties_to_orders(shop):
    pt = shop("price_tests")
    assert 3 <= pt["sku"].nunique() <= 5
    for sku, g in pt.groupby("sku"):
        assert 3 <= g["price"].nunique() <= 5 and 20 <= len(g) <= 30
        slope = np.polyfit(np.log(g["price"]), np.log(g["units"] / g["sessions"]), 1)[0]
        assert -3.5 < slope < -1.0, (sku, slope)
    assert ((pt["price"] == 199) | (pt["price"] == 200)).groupby(pt["sku"]).sum().max() >= 8
    o, it = shop("orders"), shop("order_items")
    plat = o[(o["channel"] == "platform") & (o["status"] != "cancelled")]
    m = it.merge(plat[["order_id", "order_time"]], on="order_id")
    for r in pt.sample(8, random_state=0).itertuples():
        wk = m[
            (m["sku"] == r.sku)
            & (m["order_time"] >= r.week_start)
            & (m["order_time"] < r.week_start + pd.Timedelta(days=7))
        ]
        assert wk["quantity"].sum() == r.units
        assert (wk["unit_price"] == r.price).all()


def test_ads_sane(shop):
    a = shop("ad_campaigns")
    assert (a["clicks"] <= a["impressions"]).all()
    assert (a["attributed_orders"] <= a["clicks"]).all()


def test_keywords_long_tail_converts_better(shop):
    k = shop("keywords")
    g = k.groupby("keyword_type")[["impressions", "clicks", "orders"]].sum()
    per_kw = k.groupby("keyword_type")["impressions"].mean()
    assert per_kw["long_tail"] < per_kw["head"]
    assert (g["clicks"] / g["impressions"])["long_tail"] > (g["clicks"] / g["impressions"])["head"]
    assert (g["orders"] / g["clicks"])["long_tail"] > (g["orders"] / g["clicks"])["head"]
    assert (k["clicks"] <= k["impressions"]).all() and (k["orders"] <= k["clicks"]).all()


def test_livestreams_tie_to_orders(shop):
    ls, o = shop("livestreams"), shop("orders")
    paid = o[(o["status"] != "cancelled") & (o["channel"] == "livestream")]
    for r in ls.sample(15, random_state=1).itertuples():
        end = r.start_time + pd.Timedelta(minutes=r.duration_minutes)
        w = paid[(paid["order_time"] >= r.start_time) & (paid["order_time"] < end)]
        assert len(w) == r.orders and abs(w["order_amount"].sum() - r.gmv) < 0.05
        assert (w["stream_id"] == r.stream_id).all()
    assert (ls["unique_viewers"] <= ls["views"]).all()
    assert set(ls["host_type"]) == {"own_staff", "kol"}


def test_service_slows_at_double_11_and_unhappy_tickets_come_back(shop):
    t = shop("service_tickets")
    peak = (t["created_at"].dt.month == 11) & t["created_at"].dt.day.between(10, 20)
    within_minute = t["first_response_seconds"] <= 60
    assert within_minute[peak].mean() < within_minute[~peak].mean() - 0.1
    by_channel = t.groupby("contact_channel")["first_response_seconds"].median()
    assert by_channel["phone"] > 1.5 * by_channel["chat"]
    reopened = t.groupby("satisfied")["reopened"].mean()
    assert reopened[False] > 3 * reopened[True]
    by_type = t.groupby("category")["reopened"].mean()
    assert min(by_type["quality"], by_type["refund"]) > 2 * by_type["presale"]


def test_seller_replies_answer_negative_reviews_after_they_are_posted(shop):
    r = shop("reviews")
    replied = r["seller_reply_date"].notna()
    assert (r.loc[replied, "rating"] <= 3).all()
    assert 0.45 <= replied[r["rating"] <= 2].mean() <= 0.75
    assert replied[r["rating"] == 3].mean() < 0.2
    lag = r.loc[replied, "seller_reply_date"] - r.loc[replied, "review_date"]
    assert (lag >= pd.Timedelta(days=1)).all()
    assert (r.loc[replied, "seller_reply_date"] <= END).all()


# --- the promotion effects chapter 05 reads -------------------------------------------------


def _paid_days(shop) -> pd.DataFrame:
    o = shop("orders")
    paid = o[o["status"] != "cancelled"]
    return paid.assign(day=paid["order_time"].dt.normalize())


def test_baskets_bunch_just_above_the_festival_thresholds(shop):
    """满减 每满300: during 618 and Double 11, baskets just short of a multiple of the threshold
    are rarer than baskets just over it (they add a line to cross); outside promotions not."""
    paid, pr = _paid_days(shop), shop("promotions")
    ladder = pr[pr["promo_type"].isin(["festival", "spend_threshold"])]
    on_any = np.zeros(len(paid), dtype=bool)
    for r in ladder.itertuples():
        on_any |= ((paid["day"] >= r.start_date) & (paid["day"] <= r.end_date)).to_numpy()

    def above_per_below(g, step):
        rest = np.mod(g, step)
        near = g >= step * 0.9
        below = (near & (rest >= step * 0.9)).sum()
        above = (near & (g >= step) & (rest < step * 0.1)).sum()
        return above / below

    g = paid["gross_amount"].to_numpy()
    for r in ladder[ladder["promo_type"] == "festival"].itertuples():
        on = ((paid["day"] >= r.start_date) & (paid["day"] <= r.end_date)).to_numpy()
        assert above_per_below(g[on], r.threshold) > 2.0, r.name
    assert above_per_below(g[~on_any], 300.0) < 1.3


def test_coupon_audiences_redeem_at_visibly_different_rates(shop):
    c, pr = shop("coupons"), shop("promotions").set_index("promo_id")
    audience = (
        c["promo_id"]
        .map(pr["name"])
        .map(
            {
                "New-member coupon": "new",
                "Loyal-customer coupon": "loyal",
                "Win-back coupon": "dormant",
            }
        )
    )
    rate = c["redeemed_order_id"].notna().groupby(audience).mean()
    assert set(rate.index) == {"new", "loyal", "dormant"}
    assert rate["new"] > 3 * rate["loyal"] and rate["loyal"] > 3 * rate["dormant"]


def test_demand_dips_before_and_after_the_festivals(shop):
    """Pull-forward: orders a day in the ten days before 618 / Double 11 and in the ten after
    fall well below the four weeks either side of them."""
    from shoplab.shopgen.common import FESTIVALS, POST_FESTIVAL_DIP, PRE_FESTIVAL_DIP

    paid = _paid_days(shop)
    daily = paid.groupby("day").size()
    pre, post, base = [], [], []
    for year in (2024, 2025):
        for first, last in FESTIVALS:
            a, b = pd.Timestamp(f"{year}-{first}"), pd.Timestamp(f"{year}-{last}")
            after = b + pd.Timedelta(days=2 if last == "11-11" else 1)
            n_pre, n_post = PRE_FESTIVAL_DIP[0], POST_FESTIVAL_DIP[0]
            d = pd.Timedelta(days=1)
            pre.append(daily[a - n_pre * d : a - d].mean())
            post.append(daily[after : after + (n_post - 1) * d].mean())
            base.append(
                pd.concat(
                    [
                        daily[a - (n_pre + 28) * d : a - (n_pre + 1) * d],
                        daily[after + n_post * d : after + (n_post + 27) * d],
                    ]
                ).mean()
            )
    assert np.mean(pre) < 0.9 * np.mean(base)
    assert np.mean(post) < 0.9 * np.mean(base)


def test_festival_hero_deals_displace_other_skus(shop):
    """Cannibalisation: on a hero deal's days the other SKUs sell fewer units per order than in
    the festival week before."""
    from shoplab.shopgen.catalog import HERO_DEALS

    paid, items = _paid_days(shop), shop("order_items")
    lines = items.merge(paid[["order_id", "day"]], on="order_id")
    before, during = [], []
    for start, n_days, sku, _ in HERO_DEALS:
        s = pd.Timestamp(start)
        hero = (lines["day"] >= s) & (lines["day"] < s + pd.Timedelta(days=n_days))
        week = (lines["day"] >= s - pd.Timedelta(days=7)) & (lines["day"] < s)
        for mask, out in ((week, before), (hero, during)):
            x = lines[mask]
            out.append(x.loc[x["sku"] != sku, "quantity"].sum() / x["order_id"].nunique())
        share = lines.loc[hero & (lines["sku"] == sku), "quantity"].sum()
        assert share / lines.loc[hero, "quantity"].sum() > 0.06, sku
    assert np.mean(during) < 0.92 * np.mean(before)


def _stream_contributions(shop) -> pd.DataFrame:
    from shoplab import metrics, social

    ls = shop("livestreams")
    margin = metrics.channel_contribution(shop("orders"), shop("order_items"), shop("products"),
                                          shop("fees"), shop("shipments")).at["livestream",
                                                                              "contribution_margin"]
    return ls.assign(contribution=social.stream_contribution(
        ls["gmv"], margin, ls["host_fee"], ls["commission_rate"]))


def test_cheap_kol_slots_pay_back_and_big_ones_do_not(shop):
    from shoplab.shopgen import traffic

    kol = _stream_contributions(shop).query("host_type == 'kol'")
    pays = (kol["contribution"] > 0).groupby(kol["host_fee"]).mean()
    assert pays[traffic.KOL_FEES[0]] >= 0.6
    assert pays[traffic.KOL_FEES[-1]] == 0 and pays[traffic.FESTIVAL_KOL_FEE] == 0
    by_fee = kol.groupby("host_fee")["contribution"].mean()
    assert by_fee.iloc[0] > 0 > by_fee.iloc[-1]


def test_livestream_orders_are_refunded_more_often(shop):
    from shoplab import social

    refunds = social.refund_rate_by_channel(shop("orders"))
    assert refunds["livestream"] > 1.5 * refunds["platform"]


def test_customers_won_on_the_mini_program_buy_again_more(shop):
    from shoplab import social

    repeat = social.repeat_rate_by_first_channel(shop("orders"), shop("customers"))
    assert repeat["mini_program"] >= repeat["platform"] + 0.05


def test_referrals_name_real_customers_won_through_a_share(shop):
    from shoplab import metrics, social

    r, c, o, s = shop("referrals"), shop("customers"), shop("orders"), shop("sessions")
    referred = r[r["referred_customer_id"].notna()]
    assert referred["referred_customer_id"].is_unique and (referred["clicks"] >= 1).all()
    signup = c.set_index("customer_id")
    assert (signup.loc[referred["referred_customer_id"], "acquisition_channel"] == "social").all()
    first_visit = s[s["customer_id"].notna()].drop_duplicates("customer_id").set_index(
        "customer_id")
    came = first_visit.loc[referred["referred_customer_id"]]
    assert (came["channel"] == "mini_program").all() and (came["traffic_source"] == "social").all()
    assert (came["start_time"].to_numpy() > referred["shared_time"].to_numpy()).all()
    won = first_visit[(first_visit["channel"] == "mini_program")
                      & (first_visit["traffic_source"] == "social")]
    won = won[signup.loc[won.index, "acquisition_channel"] != "legacy"]
    assert set(won.index) == set(referred["referred_customer_id"])
    first = metrics.first_paid_orders(o).set_index("customer_id")["order_id"]
    expected = referred["referred_customer_id"].map(first)
    assert (referred["first_order_id"].fillna("") == expected.fillna("")).all()
    # every sharer had paid for an order before sharing
    paid = metrics.paid(o)
    first_paid = paid.groupby("customer_id")["order_time"].min()
    assert (r["customer_id"].map(first_paid) < r["shared_time"]).all()
    k = social.referral_k_factor(r, o)
    assert 0.01 <= k["k_factor"] <= 0.06
    assert k["k_factor"] == pytest.approx(len(referred) / paid["customer_id"].nunique())
