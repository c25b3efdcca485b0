"""Shop-wide definitions (`shoplab.metrics`) against hand-worked examples: the ones two or more
chapters share — contribution margin, new customers, repurchase, conversion."""

import pandas as pd
import pytest
from test_customers import _orders as customer_orders

from shoplab import ads, load_table, metrics


def test_unit_economics_of_a_tiny_shop():
    orders = pd.DataFrame({
        "order_id": ["O1", "O2", "O3"], "customer_id": ["C1", "C2", "C3"],
        "order_time": pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-03"]),
        "channel": ["platform", "livestream", "platform"],
        "status": ["completed", "refunded", "cancelled"],
        "order_amount": [100.0, 200.0, 50.0], "shipping_fee": [0.0, 6.0, 0.0],
    })
    items = pd.DataFrame({"order_id": ["O1", "O2", "O3"], "sku": ["A", "B", "A"],
                          "quantity": [2, 1, 1]})
    products = pd.DataFrame({"sku": ["A", "B"], "unit_cost": [20.0, 80.0]})
    fees = pd.DataFrame({"channel": ["platform", "livestream"],
                         "commission_rate": [0.05, 0.08], "payment_fee_rate": [0.006, 0.006]})
    shipments = pd.DataFrame({"order_id": ["O1", "O2"], "shipping_cost": [8.0, 10.0]})
    shares = metrics.unit_economics(orders, items, products, fees, shipments)
    # GMV = 100 + 200 = 300 (the cancelled order was never paid)
    # product cost 2 × 20 + 1 × 80 = 120 (O2 was refunded, but its goods are written off, not
    # restocked); commission 100×0.05 + 200×0.08 = 21; payment fees 300 × 0.006 = 1.8;
    # shipping 8 + 10 − 6 = 12; returns 200
    # contribution = 300 − 120 − 21 − 1.8 − 12 − 200 = −54.8 → −54.8 / 300 ≈ −0.1827:
    # one refund in two orders pays the money back AND loses the goods, so this shop loses
    assert shares["product_cost"] == pytest.approx(120 / 300)
    assert shares["shipping"] == pytest.approx(12 / 300)
    assert shares["contribution_margin"] == pytest.approx(-54.8 / 300)
    assert shares["gross_margin"] == pytest.approx(180 / 300)  # 1 − 120 / 300
    # new customers: C1 and C2 (C3 never paid)
    assert list(metrics.first_paid_orders(orders)["customer_id"]) == ["C1", "C2"]


def test_repurchase_rate_by_hand():
    # paying customers A, B, C, D (E only cancelled): A and C have 2 paid orders (C's refund
    # was paid), B's second order was cancelled. 2 of 4 = 0.5
    assert metrics.repurchase_rate(customer_orders()) == pytest.approx(0.5)


def test_cohort_sizes_tie_to_new_customers_by_year():
    orders, people = load_table("orders"), load_table("customers")
    first = metrics.new_customer_first_orders(orders, people)
    per_year = first.groupby(first["order_time"].dt.year).size()
    assert per_year.to_dict() == metrics.new_customers_by_year(orders, people).to_dict()


def test_conversion_is_conversions_per_visit_and_zero_without_traffic():
    assert metrics.conversion_rate(12, 400) == pytest.approx(0.03)
    assert metrics.conversion_rate(0, 0) == 0.0
    by_day = metrics.conversion_rate(pd.Series([1, 0]), pd.Series([4, 0]))
    assert by_day.tolist() == [0.25, 0.0]


def test_chapter_06_names_for_shared_definitions_are_the_same_functions():
    # released chapter 06/09 notebooks spell these `ads.…`; they must not become twins
    assert ads.unit_economics is metrics.unit_economics
    assert ads.new_customers_by_year is metrics.new_customers_by_year


def test_unit_contribution_takes_every_cost_that_grows_with_the_sale():
    # ¥200 at cost ¥80, 5 % commission, 0.6 % payment fee, 6 % refunds, ¥4 net shipping:
    # 200 × (1 − 0.05 − 0.006 − 0.06) − 80 − 4 = 176.8 − 84 = 92.8.
    costs = dict(commission_rate=0.05, payment_fee_rate=0.006, refund_rate=0.06, net_shipping=4.0)
    assert metrics.unit_contribution(200.0, 80.0, **costs) == pytest.approx(92.8)
    assert metrics.contribution_margin(200.0, 80.0, **costs) == pytest.approx(92.8 / 200)
    assert metrics.unit_contribution(200.0, 80.0) == pytest.approx(120.0)


def test_spend_per_buyer_divides_by_paying_buyers():
    orders = pd.DataFrame({"customer_id": ["C1", "C1", "C2", "C3"],
                           "status": ["completed", "refunded", "completed", "cancelled"],
                           "order_amount": [100.0, 50.0, 30.0, 999.0]})
    # 180 paid by two buyers: 客单价 90; per paid order (笔单价) 60
    assert metrics.spend_per_buyer(orders) == pytest.approx(90.0)
    assert metrics.average_order_value(orders) == pytest.approx(60.0)



@pytest.mark.parametrize(("keys", "expected"), [
    (["O2", "O2", "O9"], [False, False, True, False, True]),
    ([], [False] * 5),
    (["O1", None], [True, True, False, False, False]),  # as isin: a missing key finds NaN
], ids=["repeated and unknown keys", "no keys", "a missing key"])
@pytest.mark.parametrize("dtype", ["str", object])
def test_among_is_isin(keys, expected, dtype):
    """The fast membership test answers what `isin` answers, on Arrow-backed and plain text."""
    values = pd.Series(["O1", None, "O2", "O3", "O2"], index=[5, 6, 7, 8, 9], dtype=dtype)
    got = metrics.among(values, pd.Series(keys, dtype=dtype))
    assert got.tolist() == expected
    pd.testing.assert_series_equal(got, values.isin(pd.Series(keys, dtype=dtype)))
