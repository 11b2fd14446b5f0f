"""Seeded demo events for the online-store template, with its problems planted in them.

Customers arrive from a social ad or a friend, look at products, fill a cart and check out.
Two problems are planted so that the analytics have something true to find:
- the shipping fee appears only at the delivery step, and customers who meet it there leave far
  more often than the others (the template's `shipping-fee-surprise`);
- on phones, an account wall in the cart loses a share of customers (`forced-account`).
Events are written to Parquet in chunks, so the size is bounded by disk, not memory.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

CHUNK = 100_000
START = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
PERSONAS = ("young-professional", "family-shopper")

SOURCE_YAML = """\
# Demo events for the online-store-checkout template (made by `journeymap demo-data`).
source: {path: events.parquet}
columns:
  customer: customer_id
  timestamp: ts
  event: event
  channel: channel
  properties: [device, persona, basket_value]
"""


def _customer(rng: random.Random) -> Iterator[tuple[str, dt.datetime, str, str]]:
    """(event, time, channel, device) of one customer's journey, in order."""
    t = START + dt.timedelta(minutes=rng.randrange(60 * 24 * 60))
    device = "phone" if rng.random() < 0.6 else "desktop"

    def at(minutes: float) -> dt.datetime:
        nonlocal t
        t += dt.timedelta(minutes=minutes * (0.5 + rng.random()))
        return t

    if rng.random() < 0.7:
        yield "social_ad_click", at(0), "social", device
    else:
        yield "referral_visit", at(0), "referral", device
    for _ in range(rng.randint(1, 4)):
        yield "product_view", at(2), "web", device
    if rng.random() < 0.25:
        yield "review_site_visit", at(5), "reviews", device
    if rng.random() < 0.35:
        return  # just browsing
    yield "cart_view", at(3), "web", device
    if device == "phone" and rng.random() < 0.5:
        yield "account_wall", at(1), "web", device
        if rng.random() < 0.3:
            return  # the second, smaller problem
    yield "checkout_delivery", at(2), "web", device
    surprised = rng.random() < 0.55  # the fee is news to them at the delivery step
    if surprised:
        yield "delivery_fee_shown", at(0.2), "web", device
    if rng.random() < (0.68 if surprised else 0.15):
        return  # the planted problem: the late shipping fee
    yield "payment_page", at(2), "web", device
    yield "order_confirmation_email", at(0.5), "email", device
    yield "dispatch_email", at(60 * 20), "email", device
    if rng.random() < 0.2:
        yield "wismo_chat", at(60 * 24), "chat", device
    yield "parcel_delivered", at(60 * 30), "delivery", device
    if rng.random() < 0.6:
        yield "review_request_email", at(60 * 24 * 7), "email", device
        if rng.random() < 0.35:
            yield "review_posted", at(60 * 24), "reviews", device


def generate(folder: Path, events: int = 20_000, seed: int = 7) -> Path:
    """Write about `events` events (whole customers) to `folder`; returns the source file."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    schema = pa.schema(
        [
            ("customer_id", pa.string()),
            ("ts", pa.timestamp("ms", tz="UTC")),
            ("event", pa.string()),
            ("channel", pa.string()),
            ("device", pa.string()),
            ("persona", pa.string()),
            ("basket_value", pa.float64()),
        ]
    )
    rows: dict[str, list[object]] = {name: [] for name in schema.names}
    written = customer = 0
    with pq.ParquetWriter(folder / "events.parquet", schema, compression="zstd") as writer:
        while written < events:
            customer += 1
            persona = PERSONAS[0] if rng.random() < 0.55 else PERSONAS[1]
            basket = round(rng.uniform(8, 60) * (1.6 if persona == PERSONAS[1] else 1), 2)
            for name, when, channel, device in _customer(rng):
                for key, value in (
                    ("customer_id", f"c{customer:07d}"),
                    ("ts", when),
                    ("event", name),
                    ("channel", channel),
                    ("device", device),
                    ("persona", persona),
                    ("basket_value", basket),
                ):
                    rows[key].append(value)
                written += 1
            if len(rows["event"]) >= CHUNK:
                writer.write_table(pa.table(rows, schema=schema))
                rows = {name: [] for name in schema.names}
        if rows["event"]:
            writer.write_table(pa.table(rows, schema=schema))
    source = folder / "online-store.source.yaml"
    source.write_text(SOURCE_YAML)
    return source
