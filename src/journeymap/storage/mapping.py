"""Domain Journey <-> stored rows: the header as JSON, each entity flattened to one row.

An entity's row data is its fields less the bookkeeping the row holds in columns (`order_key`,
`deleted`) and less its children (a stage's steps and a section's lanes are rows of their own,
naming their parent). Lists are rebuilt in (order_key, id) order: the domain orders by key, so
list order is incidental, and `canonical` puts any Journey in that same order for comparisons.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter

from ..domain.cards import Card
from ..domain.document import LIST_FIELDS
from ..domain.entities import MODELS
from ..domain.model import Journey

_CARD: TypeAdapter[Card] = TypeAdapter(Card)
_TOP = {
    "personas": "persona",
    "channels": "channel",
    "stages": "stage",
    "sections": "section",
    "cards": "card",
    "emotions": "emotion",
}
_CHILDREN = {"stage": ("steps", "step"), "section": ("lanes", "lane")}
_ROW_FIELDS = {"order_key", "deleted", "steps", "lanes"}

Key = tuple[str, str]  # (kind, entity id)


@dataclass(frozen=True)
class Flat:
    """One entity as a row holds it."""

    kind: str
    entity_id: str
    parent_id: str | None
    order_key: str
    deleted: bool
    data: dict[str, Any]


def header_of(journey: Journey) -> dict[str, Any]:
    return journey.model_dump(mode="json", exclude=set(LIST_FIELDS))


def flatten(journey: Journey) -> dict[Key, Flat]:
    out: dict[Key, Flat] = {}

    def put(kind: str, item: BaseModel, parent: str | None) -> None:
        data = item.model_dump(mode="json", exclude=_ROW_FIELDS)
        ident = str(data["id"])
        key: str = getattr(item, "order_key", "")
        out[(kind, ident)] = Flat(
            kind, ident, parent, key, bool(getattr(item, "deleted", False)), data
        )

    for field, kind in _TOP.items():
        for item in getattr(journey, field):
            put(kind, item, None)
            if kind in _CHILDREN:
                children, child_kind = _CHILDREN[kind]
                for child in getattr(item, children):
                    put(child_kind, child, item.id)
    return out


def _build(kind: str, flat: Flat, extra: dict[str, Any] | None = None) -> Any:
    data = {**flat.data, "order_key": flat.order_key, "deleted": flat.deleted, **(extra or {})}
    if kind == "card":
        return _CARD.validate_python(data)
    return MODELS[kind].model_validate(data)


def _sort_key(flat: Flat) -> tuple[str, str]:
    return (flat.order_key, flat.entity_id)


def assemble(header: dict[str, Any], flats: Iterable[Flat]) -> Journey:
    """The domain Journey from its header and its entities' rows."""
    by_kind: dict[str, list[Flat]] = defaultdict(list)
    for flat in flats:
        by_kind[flat.kind].append(flat)
    children: dict[tuple[str, str | None], list[Flat]] = defaultdict(list)
    for kind in ("step", "lane"):
        for flat in by_kind[kind]:
            children[(kind, flat.parent_id)].append(flat)
    lists: dict[str, list[Any]] = {}
    for field, kind in _TOP.items():
        items = []
        for flat in sorted(by_kind[kind], key=_sort_key):
            extra = None
            if kind in _CHILDREN:
                child_field, child_kind = _CHILDREN[kind]
                kids = sorted(children[(child_kind, flat.entity_id)], key=_sort_key)
                extra = {child_field: [_build(child_kind, k) for k in kids]}
            items.append(_build(kind, flat, extra))
        lists[field] = items
    return Journey.model_validate({**header, **lists})


def canonical(journey: Journey) -> Journey:
    """`journey` with every list in (order_key, id) order, as `assemble` builds it."""
    return assemble(header_of(journey), flatten(journey).values())


def journey_document(journey: Journey) -> dict[str, Any]:
    """The whole journey as JSON data, bookkeeping included (tombstones, order keys): what the
    op log keeps as a journey's creation."""
    return journey.model_dump(mode="json")


def journey_from_document(document: dict[str, Any]) -> Journey:
    return Journey.model_validate(document)
