"""Chapter 00: daily-GMV helpers, the GMV explorer widget, and the lesson's claims on the data."""

import pandas as pd
import pytest

from shoplab import load_table, metrics
from shoplab.charts import daily_gmv, festivals_between
from shoplab.widgets.overview import ALL_CHANNELS, gmv_overview


@pytest.fixture(scope="module")
def orders():
    return load_table("orders")


@pytest.fixture
def overview(orders):
    return gmv_overview(orders)


def charted_total(widget) -> float:
    return float(sum(widget.figure.data[0].y))


def in_dates(orders, start, end):
    day = orders.order_time.dt.normalize()
    return orders[(day >= pd.Timestamp(start)) & (day <= pd.Timestamp(end))]


def test_daily_gmv_counts_paid_goods_and_shows_quiet_days_as_zero():
    orders = pd.DataFrame({
        "order_time": pd.to_datetime(["2024-01-01 09:00", "2024-01-01 20:00",
                                      "2024-01-02 10:00", "2024-01-03 11:00"]),
        "status": ["completed", "refunded", "cancelled", "completed"],
        "order_amount": [100.0, 30.0, 999.0, 50.0],
    })
    # 1 Jan: 100 + 30 (refunded still counts); 2 Jan: only a cancelled order -> 0; 3 Jan: 50.
    assert daily_gmv(orders).tolist() == [130.0, 0.0, 50.0]
    assert list(daily_gmv(orders).index.day) == [1, 2, 3]


def test_festivals_between_includes_both_ends_and_nothing_else():
    assert [label for _, label in festivals_between("2024-06-18", "2024-11-11")] == [
        "618 2024", "Double 11 2024"]
    assert festivals_between("2024-06-19", "2024-11-10") == []
    assert [label for _, label in festivals_between("2024-01-01", "2025-12-31")] == [
        "618 2024", "Double 11 2024", "618 2025", "Double 11 2025"]


def test_widget_starts_with_the_whole_shop(overview, orders):
    assert overview.channel.value == ALL_CHANNELS
    assert charted_total(overview) == pytest.approx(metrics.gmv(orders), abs=0.01)
    labels = [a.text for a in overview.figure.layout.annotations]
    assert labels == ["618 2024", "Double 11 2024", "618 2025", "Double 11 2025"]


def test_channel_and_dates_redraw_the_chart(overview, orders):
    before = list(overview.figure.data[0].y)
    overview.channel.value = "livestream"
    livestream = orders[orders.channel == "livestream"]
    assert list(overview.figure.data[0].y) != before
    assert charted_total(overview) == pytest.approx(metrics.gmv(livestream), abs=0.01)

    overview.period.value = (pd.Timestamp("2024-06-01"), pd.Timestamp("2024-06-30"))
    june = in_dates(livestream, "2024-06-01", "2024-06-30")
    assert len(overview.figure.data[0].x) == 30
    assert charted_total(overview) == pytest.approx(metrics.gmv(june), abs=0.01)
    assert [a.text for a in overview.figure.layout.annotations] == ["618 2024"]
    assert f"¥{metrics.gmv(june):,.0f}" in overview.figure.layout.title.text

    overview.period.value = (pd.Timestamp("2024-07-01"), pd.Timestamp("2024-10-31"))
    assert overview.figure.layout.annotations == ()

    overview.channel.value = "platform"
    platform_autumn = in_dates(orders[orders.channel == "platform"], "2024-07-01", "2024-10-31")
    assert charted_total(overview) == pytest.approx(metrics.gmv(platform_autumn), abs=0.01)


# The lesson's claims about the shop, which its text states beside the courseware's figures.

def test_festival_days_are_spikes(orders):
    daily = daily_gmv(orders)
    typical = daily.median()
    for date, _ in festivals_between(daily.index.min(), daily.index.max()):
        assert daily[date] > 2 * typical, date


def test_most_paid_orders_are_mobile(orders):
    assert metrics.share(metrics.paid(orders).device == "mobile") > 0.70


def test_80s_and_90s_buyers_are_the_main_force(orders):
    customers = load_table("customers")
    buyers = customers[customers.customer_id.isin(metrics.paid(orders).customer_id)]
    by_age = buyers.age_group.value_counts(normalize=True)
    assert set(by_age.index[:2]) == {"80后", "90后"}
    assert by_age[["80后", "90后"]].sum() > 0.5


def test_gmv_grows_from_the_first_year_to_the_second(orders):
    by_year = orders.groupby(orders.order_time.dt.year).apply(metrics.gmv)
    assert by_year.iloc[-1] > by_year.iloc[0]


def test_the_chosen_dates_are_written_out_in_full(overview):
    """The slider's own readout clipped "2024-01-01 – 2025-12-31"; a label beside it grows."""
    label = overview.children[1].children[1]
    assert overview.period.readout is False
    assert label.value == "2024-01-01 – 2025-12-31"
    overview.period.value = (pd.Timestamp("2024-06-01"), pd.Timestamp("2024-06-30"))
    assert label.value == "2024-06-01 – 2024-06-30"
