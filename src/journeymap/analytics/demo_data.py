"""Seeded demo events for the online-store template, with its problems planted in them.

Customers arrive from a social ad or a friend, look at products, fill a cart and check out, and
some come back for more visits. Two problems are planted so that the analytics have something
true to find:
- the shipping fee appears only at the delivery step, and customers who meet it there leave far
  more often than the others (the template's `shipping-fee-surprise`);
- on phones, an account wall in the cart loses a share of customers (`forced-account`);
- the seed plants a second pain (`planted`): a wall that loses many more phone customers, a
  confusing tracking step after the dispatch email that drives "where is my order?" chats, or
  customers looping from the cart back to the products; feedback's demo (demo_feedback.py)
  writes survey answers and verbatims to match, and a manifest of what was planted.

The generator is vectorised (NumPy, a chunk of customers at a time) and writes Parquet in chunks,
so 100 million events take minutes and the memory stays flat whatever the size. Each customer
also gets a row in `customers.parquet` (persona, country, plan) for persona rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

START = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
START_MS = int(START.timestamp() * 1000)
MINUTE_MS = 60_000
ARRIVALS_DAYS = 60  # first visits spread over this many days
RETURN_DAYS = 120  # later visits of the same customer spread over this many days after it
EVENTS_PER_VISIT = 7.1  # the mean of the visit model below, measured over 1M visits
CHUNK_CUSTOMERS = 20_000
PERSONAS = ("young-professional", "family-shopper")
COUNTRIES = ("GB", "DE", "FR", "NL", "IE")
PLANS = ("guest", "member", "plus")

SOURCE_YAML = """\
# Demo events for the online-store-checkout template (made by `journeymap demo-data`).
source: {path: events.parquet}
columns:
  customer: customer_id
  timestamp: ts
  event: event
  channel: channel
  properties: [device, persona, basket_value]
customers: {path: customers.parquet, customer: customer_id, attributes: [country, plan]}
"""

EVENTS = (
    "social_ad_click",
    "referral_visit",
    "product_view",
    "review_site_visit",
    "cart_view",
    "account_wall",
    "checkout_delivery",
    "delivery_fee_shown",
    "payment_page",
    "order_confirmation_email",
    "dispatch_email",
    "wismo_chat",
    "parcel_delivered",
    "review_request_email",
    "review_posted",
)
CHANNELS = ("social", "referral", "web", "reviews", "email", "chat", "delivery")
DEVICES = ("phone", "desktop")


@dataclass(frozen=True)
class _Slot:
    event: str
    channel: str
    minutes: float  # the typical gap since the event before; each visit scales it by 0.5-1.5


# The seed decides where a second pain sits (besides the late shipping fee) and which
# touchpoint is clean on every signal; feedback.py's demo writes both into its manifest.
SECOND_PAINS = ("dispatch-email", "account-wall", "cart-page")
CLEAN_TOUCHPOINTS = ("payment-page", "confirmation-email", "friend-recommendation")


def planted(seed: int) -> tuple[str, str]:
    """(the second pain's touchpoint, the clean touchpoint) that `seed` plants."""
    return SECOND_PAINS[seed % 3], CLEAN_TOUCHPOINTS[(seed // 3) % 3]


def _visits(rng: Any, n: int, second: str = "account-wall") -> tuple[Any, Any, Any]:
    """For `n` visits: which slots happen (a boolean matrix, visits x slots), the slots, and
    whether each visit is on a phone. A row is one visit's story, told in the module docstring;
    all visits are drawn at once. `second` is where the second pain is planted: the account
    wall loses more phone customers, a confusing tracking step after the dispatch email
    drives "where is my order?" chats, or customers loop from the cart back to products."""
    import numpy as np

    phone = rng.random(n) < 0.6
    u = rng.random((n, 12))
    views = rng.integers(1, 5, n)
    social = u[:, 0] < 0.7
    browsing_only = u[:, 2] < 0.35
    cart = ~browsing_only
    walled = cart & phone & (u[:, 3] < 0.5)
    wall_loss = 0.55 if second == "account-wall" else 0.12
    delivery = cart & ~(walled & (u[:, 4] < wall_loss))  # the second, smaller problem
    loops = cart & (u[:, 10] < (0.18 if second == "cart-page" else 0.02))
    surprised = delivery & (u[:, 5] < 0.55)  # the fee is news to them at the delivery step
    paid = delivery & (u[:, 6] >= np.where(surprised, 0.68, 0.15))  # the planted problem
    reviewed = paid & (u[:, 8] < 0.6)
    columns = [
        (_Slot("social_ad_click", "social", 0), social),
        (_Slot("referral_visit", "referral", 0), ~social),
        *((_Slot("product_view", "web", 2), views > k) for k in range(4)),
        (_Slot("review_site_visit", "reviews", 5), u[:, 1] < 0.25),
        (_Slot("cart_view", "web", 3), cart),
        (_Slot("product_view", "web", 2), loops),  # back from the cart to the products
        (_Slot("cart_view", "web", 2), loops),
        (_Slot("account_wall", "web", 1), walled),
        (_Slot("checkout_delivery", "web", 2), delivery),
        (_Slot("delivery_fee_shown", "web", 0.2), surprised),
        (_Slot("payment_page", "web", 2), paid),
        (_Slot("order_confirmation_email", "email", 0.5), paid),
        (_Slot("dispatch_email", "email", 60 * 20), paid),
        (
            _Slot("wismo_chat", "chat", 60 * 24),
            paid & (u[:, 7] < (0.35 if second == "dispatch-email" else 0.03)),
        ),
        (_Slot("parcel_delivered", "delivery", 60 * 30), paid),
        (_Slot("review_request_email", "email", 60 * 24 * 7), reviewed),
        (_Slot("review_posted", "reviews", 60 * 24), reviewed & (u[:, 9] < 0.35)),
    ]
    happens = np.column_stack([m for _, m in columns])
    return happens, [s for s, _ in columns], phone


def _chunk(rng: Any, first: int, customers: int, visits_each: float, second: str) -> dict[str, Any]:
    """The events of customers `first` .. `first + customers - 1`, grouped by customer, each
    customer's events in time order, as Arrow arrays."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    persona_of = (rng.random(customers) >= 0.55).astype(np.int8)
    count = 1 + rng.poisson(max(visits_each - 1, 0), customers)
    owner = np.repeat(np.arange(customers), count)  # visit -> customer (0-based in chunk)
    n = len(owner)
    # The first visit arrives in the first days, later ones follow within months.
    arrival = rng.integers(0, ARRIVALS_DAYS * 24 * 60, customers) * MINUTE_MS
    later = rng.integers(0, RETURN_DAYS * 24 * 60, n) * MINUTE_MS
    first_visit = np.r_[True, owner[1:] != owner[:-1]]
    offset = np.where(first_visit, 0, later)
    # Visits of one customer may overlap, as real ones do; events are sorted below.
    start = START_MS + arrival[owner] + offset
    happens, slots, phone = _visits(rng, n, second)
    gaps = np.array([s.minutes for s in slots]) * MINUTE_MS
    scale = 0.5 + rng.random(happens.shape)
    times = start[:, None] + np.cumsum(np.where(happens, gaps * scale, 0), axis=1).astype(np.int64)
    visit, slot = np.nonzero(happens)  # row-major: by visit, then slot, in time order
    ts = times[visit, slot]
    who = owner[visit]
    order = np.lexsort((ts, who))  # by customer, then time
    visit, slot, ts, who = visit[order], slot[order], ts[order], who[order]
    event_index = np.array([EVENTS.index(s.event) for s in slots], dtype=np.int8)[slot]
    channel_index = np.array([CHANNELS.index(s.channel) for s in slots], dtype=np.int8)[slot]
    personas = persona_of[who]
    basket = np.round(rng.uniform(8, 60, n) * np.where(persona_of[owner] == 1, 1.6, 1.0), 2)
    ids = pc.binary_join_element_wise(
        "c", pc.utf8_lpad(pc.cast(pa.array(first + who + 1), pa.string()), 7, "0"), ""
    )
    return {
        "customer_id": ids,
        "ts": pa.array(ts, pa.timestamp("ms", tz="UTC")),
        "event": pa.DictionaryArray.from_arrays(event_index, list(EVENTS)),
        "channel": pa.DictionaryArray.from_arrays(channel_index, list(CHANNELS)),
        "device": pa.DictionaryArray.from_arrays(
            np.where(phone[visit], 0, 1).astype(np.int8), list(DEVICES)
        ),
        "persona": pa.DictionaryArray.from_arrays(personas, list(PERSONAS)),
        "basket_value": pa.array(basket[visit]),
        "_customers": {
            "customer_id": pc.binary_join_element_wise(
                "c",
                pc.utf8_lpad(
                    pc.cast(pa.array(first + np.arange(customers) + 1), pa.string()), 7, "0"
                ),
                "",
            ),
            "persona": pa.DictionaryArray.from_arrays(persona_of, list(PERSONAS)),
            "country": pa.DictionaryArray.from_arrays(
                rng.choice(len(COUNTRIES), customers, p=[0.4, 0.25, 0.15, 0.1, 0.1]).astype(
                    np.int8
                ),
                list(COUNTRIES),
            ),
            "plan": pa.DictionaryArray.from_arrays(
                rng.choice(len(PLANS), customers, p=[0.5, 0.35, 0.15]).astype(np.int8),
                list(PLANS),
            ),
        },
    }


def generate(
    folder: Path,
    events: int = 20_000,
    seed: int = 7,
    customers: int | None = None,
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Write about `events` events to `folder` (whole customers; by default about 7 events,
    one visit, a customer; give `customers` for longer histories) and the customer table;
    returns the source definition file. Same seed, same events."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder.mkdir(parents=True, exist_ok=True)
    visits_each = max(1.0, events / customers / EVENTS_PER_VISIT) if customers else 1.0
    written = first = index = 0
    writer = people = None
    try:
        # A fixed number of customers, or else customers until there are `events` events.
        while (first < customers) if customers else (written < events):
            left = customers - first if customers else -(-(events - written) // 7)
            size = min(CHUNK_CUSTOMERS, left)
            rng = np.random.default_rng([seed, index])
            columns = _chunk(rng, first, size, visits_each, planted(seed)[0])
            table = pa.table({k: v for k, v in columns.items() if k != "_customers"})
            who = pa.table(columns["_customers"])
            if writer is None:
                writer = pq.ParquetWriter(
                    folder / "events.parquet", table.schema, compression="zstd"
                )
                people = pq.ParquetWriter(
                    folder / "customers.parquet", who.schema, compression="zstd"
                )
            writer.write_table(table)
            assert people is not None
            people.write_table(who)
            written += table.num_rows
            if progress is not None:
                progress(written)
            first += size
            index += 1
    finally:
        for w in (writer, people):
            if w is not None:
                w.close()
    source = folder / "online-store.source.yaml"
    source.write_text(SOURCE_YAML)
    return source
