"""The sample shop's schema, declared once.

Everything else derives from this: the generator writes exactly these columns in this order,
the loader parses dates and booleans from the declared dtypes, and `datasets/README.md` (the
data dictionary) is rendered from it, so the three can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

DTYPES = ("str", "int", "float", "bool", "date", "datetime")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str
    unit: str
    description: str


@dataclass(frozen=True)
class Table:
    name: str
    grain: str
    description: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def names_of(self, *dtypes: str) -> list[str]:
        return [c.name for c in self.columns if c.dtype in dtypes]


def _t(name: str, grain: str, description: str, *cols: tuple[str, str, str, str]) -> Table:
    columns = tuple(Column(*c) for c in cols)
    for c in columns:
        assert c.dtype in DTYPES, (name, c)
    return Table(name, grain, description, columns)


CHANNELS = (
    "`platform` (Tmall/JD-like marketplace store), `livestream` (Douyin-style), `mini_program`"
)

TABLES: tuple[Table, ...] = (
    _t(
        "products",
        "one row per SKU",
        "The catalogue: 40 SKUs in six categories, each with a portfolio role "
        "(引流款 traffic, 利润款 profit, 主推款 core, 战略款 strategic).",
        ("sku", "str", "", "SKU code, `HW-001` … `HW-040`."),
        ("name", "str", "", "Product name (English)."),
        (
            "category",
            "str",
            "",
            "Cookware, Kitchen tools, Storage, Tableware, Small appliances, Cleaning.",
        ),
        (
            "portfolio_role",
            "str",
            "",
            "traffic (引流款), profit (利润款), core (主推款), strategic (战略款).",
        ),
        ("unit_cost", "float", "CNY", "Landed purchase cost per unit (COGS)."),
        ("list_price", "float", "CNY", "Regular selling price; most end in 9 (charm prices)."),
        ("weight_kg", "float", "kg", "Shipping weight per unit, packed."),
        (
            "launch_date",
            "date",
            "",
            "First day the SKU could be sold; later launches are new products (新品).",
        ),
        ("supplier_lead_days", "int", "days", "Typical purchase-order lead time for this SKU."),
        (
            "review_period_days",
            "int",
            "days",
            "Periodic review: the shop checks stock and places a purchase order every this many "
            "days (7 for the faster sellers, 14 for the rest).",
        ),
    ),
    _t(
        "customers",
        "one row per registered customer",
        "Everyone who registered with the shop, including members who joined before 2024 and "
        "registrants who never bought. Attributes as of 2025-12-31.",
        ("customer_id", "str", "", "Customer key, `C000001` …, numbered in signup order."),
        (
            "signup_date",
            "date",
            "",
            "Registration date (some before 2024: the existing member base).",
        ),
        ("city_tier", "str", "", "tier1, new_tier1, tier2, tier3, tier4_plus."),
        ("age_group", "str", "", "70后, 80后, 90后, 00后, other (birth decade)."),
        (
            "member_tier",
            "str",
            "",
            "none (never joined), silver, gold, platinum — from cumulative paid "
            "spend 2024–2025: gold ≥ ¥1,000, platinum ≥ ¥3,000.",
        ),
        (
            "acquisition_channel",
            "str",
            "",
            "Traffic source of the first visit: search, ads, livestream, "
            "social, direct (`legacy` for members from before 2024).",
        ),
        (
            "ship_zone",
            "str",
            "",
            "Shipping zone of the customer's address from the warehouse: "
            "same_province, neighbouring, national, remote.",
        ),
    ),
    _t(
        "sessions",
        "one row per visit",
        "Web/app visits with the checkout funnel flags. Flags are monotone: each implies the "
        "previous.",
        ("session_id", "str", "", "Visit key."),
        ("visitor_id", "str", "", "Device/visitor key; stable across a visitor's sessions."),
        ("customer_id", "str", "", "Logged-in customer; empty for anonymous visits."),
        ("start_time", "datetime", "", "Visit start, local time (Asia/Shanghai)."),
        ("device", "str", "", "mobile or pc."),
        ("traffic_source", "str", "", "search, ads, livestream, social, direct."),
        (
            "campaign_id",
            "str",
            "",
            "The ad campaign whose click opened the visit (one click = one visit); empty unless "
            "traffic_source is ads.",
        ),
        ("channel", "str", "", CHANNELS + "."),
        ("visitor_type", "str", "", "new (first visit) or returning."),
        ("viewed_product", "bool", "", "Opened at least one product page."),
        ("added_to_cart", "bool", "", "Added something to the cart."),
        ("started_checkout", "bool", "", "Reached the checkout page."),
        ("placed_order", "bool", "", "Submitted an order (paid or not)."),
        ("order_id", "str", "", "The order placed in this visit; empty unless placed_order."),
        (
            "viewed_sku",
            "str",
            "",
            "The product page the visit looked at (one per visit): one of the order's SKUs when "
            "it placed an order; empty unless viewed_product.",
        ),
        (
            "checkout_variant",
            "str",
            "",
            "A (old checkout) or B (one-page checkout) during the A/B test "
            "window 2025-03-03 … 2025-04-13, randomised per visitor (a visitor keeps one arm); "
            "empty otherwise.",
        ),
    ),
    _t(
        "orders",
        "one row per placed order",
        "Orders, one per session with placed_order. Paid orders = status completed or refunded; "
        "GMV = sum of order_amount over paid orders; net revenue = GMV − order_amount of refunded "
        "orders; AOV = GMV / paid orders.",
        ("order_id", "str", "", "Order key."),
        ("session_id", "str", "", "The session in which it was placed."),
        ("customer_id", "str", "", "Buyer."),
        ("order_time", "datetime", "", "When the order was placed."),
        ("channel", "str", "", CHANNELS + "."),
        ("device", "str", "", "mobile or pc."),
        ("traffic_source", "str", "", "search, ads, livestream, social, direct (of the session)."),
        (
            "campaign_id",
            "str",
            "",
            "The shop's own attribution: the campaign of the ad click that opened the order's "
            "session (last click); empty when the order did not come from an ad.",
        ),
        (
            "stream_id",
            "str",
            "",
            "The livestream running when a livestream-channel order was placed; empty otherwise.",
        ),
        (
            "status",
            "str",
            "",
            "completed; refunded (paid, money returned later); cancelled (placed but never paid).",
        ),
        (
            "gross_amount",
            "float",
            "CNY",
            "Sum of the order's line_amounts (at charged unit prices).",
        ),
        ("discount_amount", "float", "CNY", "Order-level discounts: 满减 promotion plus coupon."),
        (
            "order_amount",
            "float",
            "CNY",
            "gross_amount − discount_amount: what the buyer paid for goods.",
        ),
        (
            "shipping_fee",
            "float",
            "CNY",
            "Shipping charged to the buyer (free from ¥99 on platform and "
            "mini-program, always free on livestream).",
        ),
        (
            "promo_id",
            "str",
            "",
            "Promotion applied (满减/festival/gift, else a flash sale the order used); "
            "empty if none.",
        ),
        ("coupon_id", "str", "", "Coupon redeemed; empty if none."),
        ("carrier", "str", "", "Carrier chosen (cancelled orders too: chosen at placement)."),
        ("zone", "str", "", "Shipping zone (from the customer's address)."),
    ),
    _t(
        "order_items",
        "one row per order line",
        "Order lines. gross_amount of an order = sum of its line_amount.",
        ("order_id", "str", "", "Order key."),
        ("sku", "str", "", "Product."),
        ("quantity", "int", "units", "Units on the line."),
        (
            "unit_price",
            "float",
            "CNY",
            "Price charged per unit before order-level discounts; the list "
            "price except in the price test (platform) and flash sales.",
        ),
        ("line_amount", "float", "CNY", "quantity × unit_price."),
    ),
    _t(
        "ad_campaigns",
        "one row per campaign per day it ran",
        "Paid advertising, as the ad consoles report it. impressions, clicks and spend are the "
        "shop's own (each click is one session with this campaign_id); attributed_orders and "
        "attributed_revenue are the platform's own 7-day-click attribution, which overstates the "
        "shop's last-click orders (orders.campaign_id) by the factor stated under 'How the books "
        "tie out'.",
        ("date", "date", "", "Day."),
        ("campaign_id", "str", "", "Campaign key."),
        ("campaign_name", "str", "", "Name."),
        ("ad_channel", "str", "", "search_ads, display_ads, livestream_ads, social_ads."),
        ("audience", "str", "", "Targeted persona (人群定向)."),
        ("impressions", "int", "", "Ad impressions."),
        ("clicks", "int", "", "Clicks (≤ impressions)."),
        ("spend", "float", "CNY", "Ad spend."),
        ("attributed_orders", "int", "", "Orders attributed (≤ clicks)."),
        ("attributed_revenue", "float", "CNY", "Order amount of attributed orders."),
    ),
    _t(
        "ad_holdout",
        "one row per day and group of the holdout test",
        "The ads holdout (增量实验 / geo test): the brand-term search campaign AD01 was paused "
        "for shoppers in a random half of provinces (group `holdout`) from 2025-08-25 to "
        "2025-10-19 and ran as usual elsewhere (group `exposed`; its spend and the console's "
        "claims are AD01's rows in ad_campaigns). Counts brand-term searchers and their orders "
        "in each group, as the platform's experiment tool reports them; it does not tie to "
        "orders row by row. The lift it measures is well below what the console attributes.",
        ("date", "date", "", "Day of the test."),
        ("group", "str", "", "exposed (ads ran) or holdout (ads paused)."),
        ("brand_searchers", "int", "", "Shoppers in the group who searched the brand's terms."),
        ("orders", "int", "", "Paid orders from those searchers that day, any path."),
        ("revenue", "float", "CNY", "Order amount of those orders."),
    ),
    _t(
        "keywords",
        "one row per keyword per month",
        "Platform search keywords the shop ranked or bid on (搜索关键词).",
        ("month", "date", "", "First day of the month."),
        ("keyword", "str", "", "Search term (English, with the Chinese query)."),
        ("keyword_type", "str", "", "head (short, broad) or long_tail (specific)."),
        ("impressions", "int", "", "Times the shop's listing was shown for it."),
        ("clicks", "int", "", "Clicks."),
        ("orders", "int", "", "Orders from those clicks."),
        ("avg_position", "float", "rank", "Average ranking position (1 = top)."),
    ),
    _t(
        "price_tests",
        "one row per test SKU per week",
        "A price test on the platform store, 2025-01-06 … 2025-05-25: each week one price level "
        "per SKU. units = paid units of the SKU in platform orders that week (they tie to "
        "order_items).",
        ("week_start", "date", "", "Monday of the week."),
        ("sku", "str", "", "Tested SKU."),
        ("price", "float", "CNY", "Price charged that week."),
        ("units", "int", "units", "Units sold on the platform in paid orders."),
        ("sessions", "int", "", "Product-page sessions for the SKU that week."),
    ),
    _t(
        "promotions",
        "one row per promotion",
        "Promotions calendar. 满减 rules: spend_threshold = one tier (gross ≥ threshold → minus "
        "discount_value); festival = per every threshold (每满300减40: floor(gross/300) × 40). "
        "flash_sale = discount_pct off one SKU's unit price; gift = free gift worth discount_value "
        "(shop's cost) above threshold; coupon = a coupon batch (see coupons).",
        ("promo_id", "str", "", "Promotion key."),
        ("name", "str", "", "Name."),
        ("promo_type", "str", "", "spend_threshold (满减), coupon, flash_sale, gift, festival."),
        ("start_date", "date", "", "First day."),
        ("end_date", "date", "", "Last day (inclusive)."),
        ("threshold", "float", "CNY", "Spend threshold (0 if none)."),
        (
            "discount_value",
            "float",
            "CNY",
            "Money off per threshold reached / coupon face value / gift cost.",
        ),
        (
            "discount_pct",
            "float",
            "fraction",
            "Percentage off for flash sales (0.3 = 30% off), else 0.",
        ),
        ("sku", "str", "", "SKU for flash sales; empty otherwise."),
        ("notes", "str", "", "How the rule works."),
    ),
    _t(
        "coupons",
        "one row per coupon issued",
        "Coupons issued to customers; each is redeemed on at most one paid order. Audiences: "
        "new members (new-member coupon, at sign-up), loyal customers (loyal-customer coupon, "
        "quarterly), dormant customers (win-back coupon, quarterly, to a random fifth of them); "
        "the 618 and Double 11 store coupons go to recent buyers.",
        ("coupon_id", "str", "", "Coupon key."),
        ("promo_id", "str", "", "Coupon batch (promotions row)."),
        ("customer_id", "str", "", "Holder."),
        ("issued_date", "date", "", "Issued."),
        ("face_value", "float", "CNY", "Money off."),
        ("min_spend", "float", "CNY", "Minimum gross order amount to use it."),
        ("redeemed_order_id", "str", "", "Order it was used on; empty if not redeemed."),
        ("expiry_date", "date", "", "Last valid day."),
    ),
    _t(
        "inventory",
        "one row per SKU per day",
        "Warehouse stock. on_hand[t+1] = on_hand[t] + received[t] − units_sold[t]; never "
        "negative. Refunded goods are written off, not restocked.",
        ("date", "date", "", "Day."),
        ("sku", "str", "", "SKU."),
        ("on_hand", "int", "units", "Stock at the start of the day."),
        ("received", "int", "units", "Units received from purchase orders that day."),
        ("units_sold", "int", "units", "Units in paid orders placed that day."),
        ("stockout", "bool", "", "Sold out during the day (demand was lost) or nothing to sell."),
    ),
    _t(
        "purchase_orders",
        "one row per purchase order",
        "Replenishment orders to suppliers; received_date matches inventory.received.",
        ("po_id", "str", "", "Purchase-order key."),
        ("sku", "str", "", "SKU."),
        ("order_date", "date", "", "Ordered."),
        ("received_date", "date", "", "Arrived at the warehouse."),
        ("quantity", "int", "units", "Units."),
        ("unit_cost", "float", "CNY", "Cost per unit."),
    ),
    _t(
        "reviews",
        "one row per reviewed order line",
        "Buyer reviews of completed orders, with the three detailed seller ratings (DSR).",
        ("review_id", "str", "", "Review key."),
        ("order_id", "str", "", "Order (completed)."),
        ("sku", "str", "", "Reviewed SKU."),
        ("review_date", "date", "", "Posted."),
        ("rating", "int", "stars", "1–5."),
        ("dsr_description", "int", "stars", "描述相符 item as described, 1–5."),
        ("dsr_service", "int", "stars", "服务态度 service attitude, 1–5."),
        ("dsr_logistics", "int", "stars", "物流服务 logistics, 1–5."),
        ("has_text", "bool", "", "Wrote a comment."),
        ("has_photo", "bool", "", "Added a photo."),
        (
            "seller_reply_date",
            "date",
            "",
            "The day the shop replied publicly (商家回复); empty when it did not.",
        ),
    ),
    _t(
        "service_tickets",
        "one row per customer-service contact",
        "Customer-service tickets (客服). Presale tickets have no order.",
        ("ticket_id", "str", "", "Ticket key."),
        ("order_id", "str", "", "Order concerned; empty for presale questions."),
        ("customer_id", "str", "", "Customer."),
        ("created_at", "datetime", "", "Opened."),
        ("contact_channel", "str", "", "chat or phone."),
        ("category", "str", "", "logistics, quality, usage, refund, presale."),
        ("first_response_seconds", "int", "s", "Time to first human response."),
        ("resolution_hours", "float", "h", "Time to resolution."),
        ("escalated", "bool", "", "Escalated to a supervisor / platform."),
        ("satisfied", "bool", "", "Customer rated the contact satisfied."),
        ("reopened", "bool", "", "The customer came back on the same problem after it was closed."),
    ),
    _t(
        "livestreams",
        "one row per livestream session",
        "The shop's livestreams. orders/gmv = the paid orders whose stream_id is the stream "
        "(they tie to orders). A stream costs host_fee + commission.",
        ("stream_id", "str", "", "Stream key."),
        ("date", "date", "", "Day."),
        ("start_time", "datetime", "", "Start."),
        ("host_type", "str", "", "own_staff or kol (paid influencer)."),
        (
            "host_fee",
            "float",
            "CNY",
            "Fixed fee for the stream (staff and studio cost, or the KOL's slot fee 坑位费).",
        ),
        (
            "commission_rate",
            "float",
            "fraction",
            "The KOL's commission (达人佣金) on the stream's gmv; 0 for own-staff streams.",
        ),
        ("duration_minutes", "int", "min", "Length."),
        ("views", "int", "", "Views (entries to the room)."),
        ("unique_viewers", "int", "", "Distinct viewers."),
        ("avg_watch_seconds", "float", "s", "Average watch time per view."),
        ("orders", "int", "", "Paid orders carrying this stream_id."),
        ("gmv", "float", "CNY", "Sum of their order_amount."),
        (
            "commission",
            "float",
            "CNY",
            "commission_rate × gmv, paid to the KOL on top of host_fee.",
        ),
    ),
    _t(
        "referrals",
        "one row per share link",
        "Share links (社交裂变): a customer shares the shop with friends; a friend who opens the "
        "link and registers is a referred customer. Every customer whose first visit was a social "
        "visit to the mini-program came through one of these links.",
        ("share_id", "str", "", "Share-link key."),
        ("customer_id", "str", "", "The customer who shared (always one who had paid an order)."),
        ("shared_time", "datetime", "", "When the link was sent."),
        ("clicks", "int", "", "Friends who opened the link."),
        (
            "referred_customer_id",
            "str",
            "",
            "The new customer who registered through the link; empty when nobody did.",
        ),
        (
            "first_order_id",
            "str",
            "",
            "The referred customer's first paid order; empty when there is none (yet).",
        ),
    ),
    _t(
        "carrier_rates",
        "one row per carrier and zone",
        "The shop's contracted parcel rates.",
        ("carrier", "str", "", "SF Express, ZTO, YTO, JD Logistics."),
        ("zone", "str", "", "same_province, neighbouring, national, remote."),
        ("first_kg_cost", "float", "CNY", "Cost of the first kg (首重)."),
        ("extra_kg_cost", "float", "CNY", "Cost per additional started kg (续重)."),
        ("promised_days", "int", "days", "Promised delivery time from shipping."),
    ),
    _t(
        "shipments",
        "one row per paid order",
        "Parcels. shipping_cost = first_kg_cost + extra_kg_cost × (ceil(weight_kg) − 1). Orders "
        "of the last days of 2025 are delivered in early 2026.",
        ("order_id", "str", "", "Order (paid)."),
        ("carrier", "str", "", "Carrier."),
        ("zone", "str", "", "Zone."),
        ("ship_time", "datetime", "", "Handed to the carrier."),
        ("delivered_time", "datetime", "", "Delivered."),
        ("weight_kg", "float", "kg", "Parcel weight."),
        ("shipping_cost", "float", "CNY", "What the shop paid the carrier."),
        ("on_time", "bool", "", "Delivered within promised_days × 24 h of ship_time."),
    ),
    _t(
        "fixed_costs",
        "one row per month per category",
        "Overheads not tied to orders.",
        ("month", "date", "", "First day of the month."),
        ("category", "str", "", "rent, salaries, software, utilities, other."),
        ("amount", "float", "CNY", "Cost for the month."),
    ),
    _t(
        "fees",
        "one row per sales channel",
        "The shop's contract terms per channel (platform economics).",
        ("channel", "str", "", CHANNELS + "."),
        ("commission_rate", "float", "fraction", "Platform commission (佣金) on order_amount."),
        ("payment_fee_rate", "float", "fraction", "Payment processing fee on order_amount."),
        ("return_rate_assumption", "float", "fraction", "Refund rate the shop plans with."),
        ("deposit", "float", "CNY", "Security deposit (保证金) held by the platform."),
        ("settlement_days", "int", "days", "Days from delivery until the money is paid out."),
    ),
    _t(
        "cross_border_rates",
        "one row per foreign market",
        "Illustrative, dated rates for selling one parcel abroad (跨境电商), shipped duty paid: "
        "round figures for planning, not tax advice (shoplab/shopgen/crossborder.py).",
        ("market", "str", "", "Singapore, Malaysia, United Kingdom, United States."),
        ("as_of", "date", "", "The day the figures describe; rates and FX move."),
        ("currency", "str", "", "The market's currency: SGD, MYR, GBP, USD."),
        ("cny_per_unit", "float", "CNY", "Exchange rate (汇率): ¥ per unit of the currency."),
        ("duty_rate", "float", "fraction", "Import duty (关税) on the customs value."),
        (
            "vat_rate",
            "float",
            "fraction",
            "Import VAT/GST (增值税) on customs value + duty; the shop has no local tax "
            "registration, so it cannot reclaim it: a cost.",
        ),
        (
            "logistics_first_kg_cost",
            "float",
            "CNY",
            "Cross-border parcel (跨境物流), first kg (首重), door to door.",
        ),
        (
            "logistics_extra_kg_cost",
            "float",
            "CNY",
            "Cross-border parcel, each additional started kg (续重).",
        ),
        (
            "platform_fee_rate",
            "float",
            "fraction",
            "The foreign marketplace's fee (平台佣金) on the selling price.",
        ),
    ),
    _t(
        "parameters",
        "one row per planning parameter",
        "Constants the shop plans with that are not in any other table: opening cash, the "
        "EOQ's ordering and holding costs, supplier payment terms, VAT rates (illustrative, "
        "dated; not tax advice). The value is in the unit the row states.",
        ("name", "str", "", "Parameter key, e.g. `holding_cost_rate`."),
        ("value", "float", "", "Its value, in `unit`."),
        ("unit", "str", "", "CNY, fraction, days, ..."),
        ("description", "str", "", "What it is, and its source or the date it holds for."),
    ),
    _t(
        "platforms",
        "one row per platform",
        "The shop's three channels and six candidate platforms it could add, with their "
        "contract terms and how well they suit the shop (chapter 01). Illustrative, dated terms, "
        "not any real platform's price list. The shop's own rows carry the terms of `fees` "
        "(return_rate = return_rate_assumption).",
        ("platform", "str", "", "Platform key (the shop's stores end in `_store`)."),
        (
            "platform_type",
            "str",
            "",
            "marketplace (综合电商), vertical (垂直电商), social (社交电商), "
            "cross_border (跨境电商).",
        ),
        (
            "shop_channel",
            "str",
            "",
            "The shop's channel this row is (platform, livestream, mini_program); empty for a "
            "candidate the shop does not sell on yet.",
        ),
        ("commission_rate", "float", "fraction", "Commission (佣金) on order_amount."),
        ("payment_fee_rate", "float", "fraction", "Payment processing fee on order_amount."),
        ("return_rate", "float", "fraction", "Typical share of order value refunded."),
        ("deposit", "float", "CNY", "Security deposit (保证金) the platform holds."),
        ("settlement_days", "int", "days", "Days from delivery until the money is paid out."),
        (
            "traffic_index",
            "int",
            "0–100",
            "Buyer traffic the shop's category can reach there (100 = the largest).",
        ),
        (
            "category_fit",
            "float",
            "0–1",
            "How well the platform's buyers match home & kitchen goods (1 = best).",
        ),
        (
            "capability_needed",
            "int",
            "1–5",
            "Operating capability the platform demands (content, community, foreign trade); "
            "5 = the most.",
        ),
        ("onboarding_weeks", "int", "weeks", "Typical time from application to an open store."),
        ("as_of", "date", "", "Date the terms were recorded."),
    ),
    _t(
        "competitors",
        "one row per competing shop and category",
        "Four comparable specialist shops in each of the shop's three main categories "
        "(Cookware, Small appliances, Kitchen tools), for competitor analysis (竞争对手分析, "
        "chapter 02). Illustrative, dated figures, not any real shop's.",
        ("competitor", "str", "", "Competing shop (key)."),
        ("category", "str", "", "The category these figures are for."),
        (
            "comparable_sku",
            "str",
            "",
            "Our SKU whose list_price compares with this shop's `price` (a like-for-like item).",
        ),
        ("price", "float", "CNY", "The competitor's price for the comparable item."),
        ("rating", "float", "1–5", "Average review rating of its items in the category."),
        ("delivery_days", "float", "days", "Average days from order to delivery."),
        ("assortment", "int", "SKUs", "How many SKUs it carries in the category."),
        ("return_rate", "float", "fraction", "Share of its paid orders refunded."),
        ("as_of", "date", "", "Date the figures were recorded."),
    ),
)

SCHEMA: dict[str, Table] = {t.name: t for t in TABLES}


def _facts() -> list[str]:
    """The effects planted by the generator, stated from its own constants."""
    from shoplab.shopgen import common, marketing, model, orders, service, social, stock, traffic
    from shoplab.shopgen.catalog import HERO_DEALS, PRICE_TESTS

    tests = "; ".join(
        f"{sku}: {', '.join(f'¥{p:g}' for p in levels)} (elasticity {e:g}"
        + (f", +{bump:.0%} units at prices ending in 9" if bump else "")
        + ")"
        for sku, (levels, e, bump) in PRICE_TESTS.items()
    )
    camps = ", ".join(
        f"{c[0]} ¥{c[7]:g}/×{c[8]:g}" for c in sorted(marketing.CAMPAIGNS, key=lambda c: c[8])
    )
    delays = ", ".join(
        f"{sku} (deliveries due from {d} held back {n} days)"
        for sku, (d, n) in stock.SUPPLIER_DELAYS.items()
    )
    over = ", ".join(f"{sku} ×{f:g}" for sku, f in stock.OVER_FORECAST.items())
    chk = traffic.CHECKOUT_GIVEN_CART
    return [
        "Size: every visit is a row of sessions (no sampling), about 0.8 M over two years at "
        "a session conversion of about 2.5 %, so about 20 k orders: the sessions table stays "
        "under the course's 1 M-row ceiling.",
        "Traffic: weekly (weekend) and yearly (winter) seasonality, growth in 2025, a Spring "
        "Festival dip, ramps to 618 (peak 18 June) and Double 11 (pre-sale from 21 October, "
        "first wave 1–3 November, peak 11 November); festival days also convert better.",
        f"Funnel: view → cart is the biggest drop (P(cart | viewed) ≈ {traffic.CART_GIVEN_VIEW:g}"
        " before segment effects); after the cart, cart → checkout is the leakiest step, and "
        f"much leakier on mobile than on PC (P(checkout | cart) ≈ {chk['mobile']:g} vs "
        f"{chk['pc']:g} before promotions).",
        f"A/B test {common.AB_START:%Y-%m-%d} … {common.AB_END:%Y-%m-%d}: variant B "
        f"multiplies P(started_checkout | added_to_cart) by {common.AB_LIFT:g} (true effect); "
        "randomised per visitor, 50/50 (a visitor keeps one arm for the whole test).",
        f"Price test (true constant elasticities): {tests}.",
        "Ads: each click is a visit. Clicks grow as spend^"
        f"{marketing.BETA:g} (the auction gets dearer as a campaign spends more), so returns "
        "diminish. Campaigns differ in CPC at typical spend and in traffic quality (× the "
        f"chance a visitor adds to cart), ordered by quality: {camps}. At the shop's "
        "contribution margin AD05, AD07 and AD08 lose money (AD08 only once commission, fees, "
        "shipping and refunds are counted: it clears 1 ÷ gross margin) and AD01 and AD04 earn "
        "more than twice the break-even ROAS (asserted by tests/test_books.py).",
        f"Ads holdout: {marketing.HOLDOUT_CAMPAIGN} (brand terms) paused for a random "
        f"{marketing.HOLDOUT_SHARE:.0%} of brand searchers from {marketing.HOLDOUT_START:%Y-%m-%d}"
        f" for {marketing.HOLDOUT_DAYS} days; the ads caused about "
        f"{marketing.HOLDOUT_INCREMENTAL:.0%} of the orders the console attributes to it "
        "(ad_holdout).",
        f"KOL livestreams: extra visits grow with the square root of the slot fee and convert "
        f"{traffic.KOL_CONVERSION:g}× better; a KOL is paid the slot fee "
        f"(¥{traffic.KOL_FEES[0]:,.0f}–¥{traffic.KOL_FEES[-1]:,.0f}) plus "
        f"{traffic.KOL_COMMISSION[0]:.0%}–{traffic.KOL_COMMISSION[1]:.0%} of the stream's GMV; "
        f"the festival slots cost ¥{traffic.FESTIVAL_KOL_FEE:,.0f} and "
        f"{traffic.FESTIVAL_KOL_COMMISSION:.0%}, {traffic.FESTIVAL_SLOT_PREMIUM:g}× a regular "
        "slot with the same audience. At the livestream channel's contribution margin most of "
        f"the cheapest (¥{traffic.KOL_FEES[0]:,.0f}) slots pay back their fee and commission, "
        f"the ¥{traffic.KOL_FEES[-1]:,.0f} and festival slots never do "
        "(asserted by tests/test_datasets.py). Livestream orders are refunded more often than "
        "the platform's.",
        f"Mini-program (私域): customers won there (first order on the mini-program) buy again "
        f"more ({traffic.MINI_PROGRAM_PROPENSITY:g}× the repeat propensity, "
        f"{traffic.MINI_PROGRAM_LIFE:g}× the life before churn): their repeat rate is visibly "
        "higher than that of customers won on the platform (at least 5 points).",
        "Referrals (社交裂变): every customer whose first visit was a social visit to the "
        "mini-program came through a share link (referrals), sent before that visit by a customer "
        f"who had already paid an order; about {social.SHARES_WITHOUT_SIGNUP:,} more links brought "
        "nobody. K-factor = invites per customer × conversion per invite = (share links ÷ "
        "paying customers) × (referred customers ÷ share links) = referred customers per "
        "paying customer: between 0.01 and 0.06 over the two years, far below 1 (referrals "
        "add customers; they do not grow the shop by themselves).",
        f"Stock: periodic review (products.review_period_days), order up to the forecast demand "
        f"over lead time + review period + {stock.SAFETY_DAYS} safety days, at least "
        f"{stock.MIN_ORDER_UNITS} units a purchase order. Over-forecast (overstock, slow turns): "
        f"{over}. Stock-outs from late supplier deliveries on SKUs run lean "
        f"({stock.LEAN_SAFETY_DAYS} safety days, no minimum order): {delays}; lost demand "
        "moved to a similar SKU of the same category.",
        "Quality: HW-005 (ceramic saucepan) is the weak product: low ratings, more quality "
        "tickets and refunds. ZTO/YTO are cheaper but less often on time than SF/JD.",
        "Service: first responses slow down with load (median × the square of the congestion "
        f"factor: × {service.CONGESTION_DOUBLE_11:g}² on 10–20 November, "
        f"× {service.CONGESTION_618:g}² on 17–24 June), so the share answered within "
        "3 minutes falls at Double 11; phone contacts wait longer than chat. Slow answers, long "
        "resolutions and escalations make buyers less satisfied; unsatisfied and escalated "
        "tickets, and quality and refund cases, are reopened more often. The shop replies to "
        f"about {service.REPLY_RATE_NEGATIVE:.0%} of 1–2-star reviews and "
        f"{service.REPLY_RATE_MIDDLING:.0%} of 3-star ones, within days; the replies are not "
        "planted to change later ratings or repeat purchases.",
        f"New-product launch: {orders.LAUNCH_SKU} (multi-cooker) from its launch date ramps "
        f"linearly from a tenth to full demand (× {orders.LAUNCH_PEAK:g} its catalogue weight: a "
        f"hit) over {orders.LAUNCH_RAMP_DAYS} days and "
        f"cannibalises {orders.CANNIBALISED_SKU} (rice cooker, same category): at full ramp "
        f"the rice cooker keeps {1 - orders.CANNIBALISATION:.0%} of its weight, so its units "
        "fall by more than the proportional share the new SKU takes from every product "
        "(asserted by tests/test_books.py: its share of the other small appliances' units "
        "falls by at least a quarter).",
        "Product pages: sessions.viewed_sku is drawn after the orders; a browse-only view is "
        f"exp(−{traffic.VIEW_QUALITY_TILT:g} × quality) likelier, so a SKU's view → cart "
        "conversion rises with its quality (HW-005 converts worst), while ordering sessions "
        "viewed what they bought.",
        "Competitors: in every main category the shop's largest trailing gap against the "
        "competitor average, as a share of that average, is delivery days (asserted by "
        "tests/test_books.py); it is a little dearer, about as well rated, and carries a few "
        "SKUs fewer.",
        "满减 bunching (凑单): during a threshold promotion, "
        f"{orders.TOP_UP_RATE:.0%} of the baskets within {orders.TOP_UP_GAP:.0%} of the next "
        "threshold below them (满T, or the next multiple of T for 每满T) add one cheap line at "
        "list price that crosses it; so at 618 and Double 11 baskets just over a multiple of ¥300 "
        "outnumber those just under it more than twice (target; about even outside promotions).",
        "Coupon audiences: the new-member coupon is mostly spent on the sign-up order, loyal "
        f"customers ({orders.LOYAL_MIN_ORDERS}+ paid orders in 365 days) redeem far less often, "
        "dormant ones (win-back) hardly ever: each audience's redemption rate is more than 3× "
        "the next (target). Coupons do not change who orders: a redeemed coupon discounts an "
        "order the holder was placing anyway.",
        "Pull-forward: organic traffic is × "
        f"{common.PRE_FESTIVAL_DIP[1]:g} in the {common.PRE_FESTIVAL_DIP[0]} days before 618 and "
        f"Double 11 (shoppers wait) and × {common.POST_FESTIVAL_DIP[1]:g} in the "
        f"{common.POST_FESTIVAL_DIP[0]} days after (they bought early); paid orders a day in "
        "those windows are under 0.9× the four weeks either side (target). Cannibalisation: "
        "festival hero deals ("
        + ", ".join(f"{sku} {d}" for d, _, sku, _ in HERO_DEALS)
        + ", flash sales) take units from the other SKUs: fewer of those per order than in the "
        "festival week before (target under 0.92×).",
        "Customers: 80后/90后 are the largest buyer groups; a minority of buyers buy "
        "again; each customer has a churn date after which they are dormant.",
        "The capstone's festival model (shoplab/shopgen/model.py): Double 11 "
        f"{model.FIRST_DAY} … {model.window()[-1]:%m-%d} as a deterministic expected-value "
        "model built from the generator's own constants (traffic, funnel, ad response "
        "spend^BETA, basket choice, 满减 top-ups and urgency, price-test elasticities, stock-outs "
        "with substitution); a plan (ad spend per campaign, stock of the top "
        f"{model.TOP_N} SKUs, 每满 threshold and reduction, a price) is run through it to its "
        "contribution after ad spend. Last year's plan reproduces the data's 2025 and 2024 "
        f"festivals within ±{model.TOLERANCE['totals']:.0%} on sessions, clicks, paid orders "
        f"and GMV before coupons and ±{model.TOLERANCE['top_sku']:.0%} on each top SKU's units "
        "(asserted by tests/topics/test_model.py); the data are one random draw around it.",
    ]


def dictionary_markdown() -> str:
    """Render the data dictionary (datasets/README.md) from the schema."""
    from shoplab.shopgen import books

    lines = [
        "# Sample shop data dictionary",
        "",
        "<!-- Generated by `python -m shoplab.datasets dictionary` from shoplab/shopgen/schema.py;"
        " do not edit by hand. -->",
        "",
        "Hearth & Wok (炉火与锅), a fictional home & kitchen brand, trading 2024-01-01 … "
        "2025-12-31 on a "
        "Tmall/JD-like platform, a Douyin-style livestream channel and a WeChat mini-program. "
        "Prices in CNY (¥). The CSVs are generated deterministically by "
        "`python -m shoplab.datasets build` (and on first `load_table()`); they are not committed.",
        "",
        "Booleans are written `True`/`False`; empty cells are missing values; dates are ISO "
        "`YYYY-MM-DD`, datetimes `YYYY-MM-DD HH:MM:SS` local time.",
        "",
        "## Tables",
        "",
    ]
    for t in TABLES:
        lines.append(f"- [`{t.name}`](#{t.name}) — {t.grain}")
    lines += ["", "## What the data is built to show", ""] + [f"- {f}" for f in _facts()]
    lines += [""] + books.dictionary_section()
    for t in TABLES:
        lines += [
            "",
            f"## {t.name}",
            "",
            f"*{t.grain}.* {t.description}",
            "",
            "| column | type | unit | description |",
            "|---|---|---|---|",
        ]
        for c in t.columns:
            lines.append(f"| `{c.name}` | {c.dtype} | {c.unit} | {c.description} |")
    return "\n".join(lines) + "\n"
