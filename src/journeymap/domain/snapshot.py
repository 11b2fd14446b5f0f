"""What a journey shows, entity by entity: the ground that `diff` and `ops_to` compare.

A snapshot is read from the canonical document (`document.journey_to_data`), so two journeys
have equal snapshots exactly when they save to the same file. Each live entity gets its place
(its parent, or a card's cell) and its fields, with every field the document leaves out filled
with its default, so that "left out" and "default" compare equal. Order keys never appear: order
is the order of the document, i.e. the order within each parent or cell.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from functools import cache
from typing import Any

from pydantic import BaseModel

from .document import journey_to_data
from .entities import CHILD, INTERNAL, KIND, LIST_FIELDS, TOP_LEVEL, EntityKind
from .entities import KINDS as _KINDS
from .entities import items as all_items
from .model import Journey

# The entity kinds in map order: the order diffs list them and `ops_to` builds them.
KINDS: tuple[EntityKind, ...] = tuple(k.name for k in _KINDS)
PLURAL: dict[str, str] = {k.name: k.collection for k in _KINDS}
# Which field holds an entity's name (what RenameOp sets); emotion points have none.
NAME_FIELD: dict[str, str] = {k.name: k.name_field for k in _KINDS if k.name_field}
# The fields that say where an entity sits: a change there is a move, not an edit.
PLACE_FIELDS: dict[str, tuple[str, ...]] = {k.name: k.place for k in _KINDS if k.place}
_SKIP = frozenset({"id", *INTERNAL, *(k.children for k in _KINDS if k.children)})

Place = tuple[str | None, ...]


@dataclass(frozen=True)
class Item:
    """One live entity as the document shows it."""

    kind: EntityKind
    id: str
    place: Place  # the parent (step, lane), the cell (card), the column (emotion), else ()
    data: dict[str, Any] = field(hash=False)  # its fields, defaults filled in, without place
    position: int = 0  # 0-based, among the items of its place

    @property
    def label(self) -> str:
        name = self.data.get(NAME_FIELD.get(self.kind, ""))
        return name if isinstance(name, str) else self.id


@dataclass(frozen=True)
class Snapshot:
    header: dict[str, Any]
    items: dict[str, dict[str, Item]]  # kind -> id -> item, in document order
    known: dict[str, frozenset[str]]  # kind -> every id the journey holds, tombstones included

    def name(self, kind: str, ident: str | None) -> str | None:
        """The label of a live entity, its id if it is not live, None for None."""
        if ident is None:
            return None
        item = self.items[kind].get(ident)
        return item.label if item else ident


def snapshot(journey: Journey) -> Snapshot:
    doc = journey_to_data(journey)
    header = {
        name: _json(doc[name]) if name in doc else default
        for name, default in _defaults(Journey, LIST_FIELDS).items()
    }
    adder = _Adder()
    for kind in TOP_LEVEL:
        for raw in doc.get(kind.collection, []):
            if kind.name == "persona" and isinstance(raw, str):
                raw = {"id": raw}  # `personas: [alex]`
            adder.add(kind.name, raw, tuple(raw.get(f) for f in kind.place))
            child = CHILD.get(kind.name)
            if child is not None:
                for item in raw.get(child.collection, []):
                    adder.add(child.name, item, (raw["id"],))
    return Snapshot(header, adder.items, _known(journey))


def entity_data(kind: str, raw: dict[str, Any]) -> dict[str, Any]:
    """An entity's document fields without id, children or place, defaults filled in."""
    model = KIND[kind].model_for(raw)
    assert model is not None, f"no model for {kind} {raw.get('kind')!r}"
    return {
        name: _json(raw[name]) if name in raw else default
        for name, default in _defaults(model, PLACE_FIELDS.get(kind, ())).items()
    }


class _Adder:
    def __init__(self) -> None:
        self.items: dict[str, dict[str, Item]] = {k: {} for k in KINDS}
        self.counts: Counter[tuple[str, Place]] = Counter()

    def add(self, kind: EntityKind, raw: dict[str, Any], place: Place) -> None:
        position = self.counts[(kind, place)]
        self.counts[(kind, place)] += 1
        self.items[kind][raw["id"]] = Item(kind, raw["id"], place, entity_data(kind, raw), position)


def _known(journey: Journey) -> dict[str, frozenset[str]]:
    return {k: frozenset(item.id for _, item in all_items(journey, k)) for k in KINDS}


@cache
def _defaults(model: type[BaseModel], place: tuple[str, ...]) -> dict[str, Any]:
    """The fields compared for a model, in its order, with their defaults as plain data."""
    out: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in _SKIP and name not in place:
            value = info.get_default(call_default_factory=True)
            out[name] = value.value if isinstance(value, Enum) else value
    return out


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def kept_in_order(current: Sequence[str], target: Sequence[str]) -> set[str]:
    """The ids of a longest run of `target` that `current` already holds in the same order
    (both list the same ids): every other id has to move to match `target`."""
    rank = {ident: i for i, ident in enumerate(target)}
    seq = [rank[ident] for ident in current if ident in rank]
    tails: list[int] = []  # tails[n]: smallest last value of a run of length n + 1
    tail_at: list[int] = []  # index in seq of that last value
    back: list[int] = [-1] * len(seq)
    for i, value in enumerate(seq):
        n = bisect_left(tails, value)
        back[i] = tail_at[n - 1] if n > 0 else -1
        if n == len(tails):
            tails.append(value)
            tail_at.append(i)
        else:
            tails[n], tail_at[n] = value, i
    kept: set[str] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        kept.add(target[seq[i]])
        i = back[i]
    return kept
