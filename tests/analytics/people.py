"""A small hand-written world for the customer table and persona tests: five customers' events,
a customer table, a source definition, and the small journey bound and given persona rules.

    customer  events (hours after 2024-01-01, device)                 table row
    u1        visit 0 phone, cart 1 phone, pay 2 phone                smb, DE, 12
    u2        visit 0 phone, cart 1 desktop                           smb, FR, 8
    u3        visit 0, support_call 0.5, cart 1, pay 3 (desktop)      enterprise, DE, 5000
    u4        visit 0 desktop                                         mid, DE, 200
    u5        visit 0 desktop, cart 2 phone, pay 4 phone              (no row)
    u9        (no events)                                             smb, DE, 3

The table also repeats u1's row exactly and has a row without an id.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from journeymap.domain.model import Journey
from journeymap.files.journey_file import journey_from_text

from ..samples import SMALL

EVENTS = [
    ("u1", 0, "visit", "phone"),
    ("u1", 1, "cart", "phone"),
    ("u1", 2, "pay", "phone"),
    ("u2", 0, "visit", "phone"),
    ("u2", 1, "cart", "desktop"),
    ("u3", 0, "visit", "desktop"),
    ("u3", 0.5, "support_call", "desktop"),
    ("u3", 1, "cart", "desktop"),
    ("u3", 3, "pay", "desktop"),
    ("u4", 0, "visit", "desktop"),
    ("u5", 0, "visit", "desktop"),
    ("u5", 2, "cart", "phone"),
    ("u5", 4, "pay", "phone"),
]

CUSTOMERS = """\
id,segment,country,employees
u1,smb,DE,12
u2,smb,FR,8
u3,enterprise,DE,5000
u4,mid,DE,200
u9,smb,DE,3
u1,smb,DE,12
,smb,DE,1
"""

SOURCE = """\
source: {path: events.csv}
columns: {customer: who, timestamp: at, event: what, properties: [device]}
customers: {path: customers.csv, customer: id, attributes: [segment, country, employees]}
"""

# First match wins: u1 matches smb-buyer and self-serve, and is an smb-buyer.
PERSONAS = """\
personas:
  - id: smb-buyer
    name: Small business buyer
    match: {where: {segment: [smb, mid], country: DE}, did: [pay]}
  - id: self-serve
    name: Self-serve
    match: {where: {country: DE}, did_not: [support_*]}
  - id: explorer
    match: {where: {device: phone}}
  - id: alex
"""

BINDINGS = """\
    channel: social
    events: {names: [visit]}
  - id: checkout
    kind: touchpoint
    stage: decision
    step: cart
    lane: touchpoints
    text: Checkout
    channel: web
    events: {names: [cart, pay]}
"""


def write_world(folder: Path, customers: str = CUSTOMERS, source: str = SOURCE) -> Path:
    """The events, customer table and source definition in `folder`; the source file."""
    start = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    lines = ["who,at,what,device"] + [
        f"{who},{(start + dt.timedelta(hours=h)).isoformat()},{what},{device}"
        for who, h, what, device in EVENTS
    ]
    (folder / "events.csv").write_text("\n".join(lines) + "\n")
    (folder / "customers.csv").write_text(customers)
    (folder / "world.source.yaml").write_text(source)
    return folder / "world.source.yaml"


def journey_text(personas: str = PERSONAS) -> str:
    """The small journey, its ad bound to `visit` and a checkout bound to `cart` and `pay`."""
    text = SMALL.replace("personas: [alex]\n", personas)
    return text.replace("    channel: social\n", BINDINGS, 1)


def journey(personas: str = PERSONAS) -> Journey:
    return journey_from_text(journey_text(personas), "world.yaml")
