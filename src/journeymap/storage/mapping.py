"""Domain Journey <-> stored rows: the header as JSON, each entity flattened to one row.

An entity's row data is its fields less the bookkeeping the row holds in columns (`order_key`,
`deleted`) and less its children (a stage's steps and a section's lanes are rows of their own,
naming their parent). Lists are rebuilt in (order_key, id) order: the domain orders by key, so
list order is incidental, and `canonical` puts any Journey in that same order for comparisons.

`Stored` is a journey as `assemble` builds it together with its rows; `advance` gives the next
`Stored` from the journey an edit produced, flattening only the entities the edit replaced
(the domain's models are frozen: an edit builds new objects for what it changes and keeps the
others) and rebuilding those from their rows, so the result equals a reload from the database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, TypeAdapter

from ..domain.cards import Card
from ..domain.entities import CHILD, INTERNAL, KINDS, LIST_FIELDS, MODELS, TOP_LEVEL
from ..domain.model import Journey

_CARD: TypeAdapter[Card] = TypeAdapter(Card)
_TOP = {k.collection: k.name for k in TOP_LEVEL}
_CHILDREN = {parent: (child.collection, child.name) for parent, child in CHILD.items()}
# Kept in columns of the row (order_key, deleted), or in rows of their own (steps, lanes).
_ROW_FIELDS = {*INTERNAL, *(k.children for k in KINDS if k.children)}

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
    return {key: _flat_of(key[0], obj, parent) for key, (obj, parent) in _objects(journey)}


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
    for kind in (child.name for child in CHILD.values()):
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


@dataclass(frozen=True)
class Stored:
    """A journey exactly as `assemble` builds it from its rows, with what the write path
    compares and writes: `header` (the journeys row's JSON), `flats` (`flatten(journey)`), the
    object of `journey` each flat was dumped from, and every row in the table (its key and
    whether it is a tombstone). Read-only: it may be shared between threads."""

    journey: Journey
    header: dict[str, Any]
    flats: dict[Key, Flat]
    objects: dict[Key, Any]
    rows: dict[Key, bool]


@dataclass(frozen=True)
class Change:
    """What an edit changed: the rows to write, each with whether the row it replaces is a
    tombstone (None: there is no row yet), the keys of rows that went away, the header if it
    changed, and the Stored after it."""

    state: Stored
    written: list[tuple[Flat, bool | None]]
    removed: list[Key]
    header: dict[str, Any] | None


def stored(header: dict[str, Any], flats: Iterable[Flat]) -> Stored:
    """The journey assembled from its header and rows, kept with them."""
    table = list(flats)
    journey = assemble(header, table)
    return Stored(
        journey,
        header,
        flatten(journey),
        {key: obj for key, (obj, _) in _objects(journey)},
        {(f.kind, f.entity_id): f.deleted for f in table},
    )


def _objects(journey: Journey) -> Iterable[tuple[Key, tuple[Any, str | None]]]:
    for field, kind in _TOP.items():
        for item in getattr(journey, field):
            yield (kind, item.id), (item, None)
            if kind in _CHILDREN:
                children, child_kind = _CHILDREN[kind]
                for child in getattr(item, children):
                    yield (child_kind, child.id), (child, item.id)


def _flat_of(kind: str, item: BaseModel, parent: str | None) -> Flat:
    data = item.model_dump(mode="json", exclude=_ROW_FIELDS)
    key: str = getattr(item, "order_key", "")
    return Flat(kind, str(data["id"]), parent, key, bool(getattr(item, "deleted", False)), data)


def advance(before: Stored, after: Journey) -> Change:
    """`after`, an edit of `before.journey`, as stored rows: the rows whose flattening differs
    (as `flatten(before) != flatten(after)` would find), and the Stored a reload would build
    once they are written. Only the objects the edit replaced are flattened and rebuilt."""
    flats: dict[Key, Flat] = {}
    objects: dict[Key, Any] = {}
    written: list[tuple[Flat, bool | None]] = []

    def place(kind: str, item: Any, parent: str | None, kids: dict[str, list[Any]]) -> Any:
        """The object a reload would build for `item`, noting its row if it is to be written."""
        key = (kind, item.id)
        old = before.flats.get(key)
        if old is not None and before.objects[key] is item and old.parent_id == parent:
            flat = old  # the very object the stored flat was dumped from
        else:
            flat = _flat_of(kind, item, parent)
        if flat == old and key in before.rows:
            obj = before.objects[key]
            for field, new_kids in kids.items():
                if not _same_list(getattr(obj, field), new_kids):
                    obj = obj.model_copy(update={field: new_kids})  # its row stays the same
            flats[key], objects[key] = flat, obj
            return obj
        written.append((flat, before.rows.get(key)))
        obj = _build(kind, flat, kids or None)
        flats[key], objects[key] = _flat_of(kind, obj, parent), obj
        return obj

    lists: dict[str, list[Any]] = {}
    for field, kind in _TOP.items():
        items = []
        for item in sorted(getattr(after, field), key=_item_order):
            kids: dict[str, list[Any]] = {}
            if kind in _CHILDREN:
                child_field, child_kind = _CHILDREN[kind]
                children = sorted(getattr(item, child_field), key=_item_order)
                kids[child_field] = [place(child_kind, c, item.id, {}) for c in children]
            items.append(place(kind, item, None, kids))
        lists[field] = items
    header = header_of(after)
    changed = header if header != header_of(before.journey) else None
    raw = before.header if changed is None else header
    journey = Journey.model_validate({**raw, **lists})
    removed = [key for key in before.flats if key not in flats]
    rows = {**before.rows, **{(f.kind, f.entity_id): f.deleted for f, _ in written}}
    for key in removed:
        rows.pop(key, None)
    return Change(Stored(journey, raw, flats, objects, rows), written, removed, changed)


def _item_order(item: Any) -> tuple[str, str]:
    return (item.order_key, item.id)


def _same_list(a: list[Any], b: list[Any]) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


def canonical(journey: Journey) -> Journey:
    """`journey` with every list in (order_key, id) order, as `assemble` builds it."""
    return assemble(header_of(journey), flatten(journey).values())


def journey_document(journey: Journey) -> dict[str, Any]:
    """The whole journey as JSON data, bookkeeping included (tombstones, order keys): what the
    op log keeps as a journey's creation."""
    return journey.model_dump(mode="json")


def journey_from_document(document: dict[str, Any]) -> Journey:
    return Journey.model_validate(document)
