"""What changed between two versions of a journey, entity by entity and field by field.

`diff(before, after)` compares what the two journeys show (their canonical documents, see
`snapshot.py`), so it is empty exactly when both save to the same file. For each entity kind it
lists, in map order:

- `added`: live in `after`, unknown to `before`; `restored`: live in `after` and held by `before`
  only as a tombstone (deleted, or inside a deleted stage, step, section or lane);
- `removed`: live in `before`, not in `after` (deleted, hidden by a deleted parent, or gone);
- `moved`: a step to another stage, a lane to another section, a card to another stage, step or
  lane, an emotion point to another stage or step (fields `stage`, `step`, `lane`, `section`),
  or a change of order among the items of the same parent or cell (field `position`, 1-based).
  Order keys are internal and never compared: positions are counted in the parent or cell, and
  only the items that left a longest common run of unchanged order are reported as moved;
- `renamed`: the name changed (a card's text, which is what RenameOp sets);
- `changed`: any other field, as `(field, before, after)`.

Ids never change: no operation changes one, and RenameOp sets a name. So a rename is always
detectable (same id, new name) and an id edited by hand in a file reads as removed plus added.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from .model import Journey
from .patch import ops_to
from .snapshot import KINDS, NAME_FIELD, PLACE_FIELDS, PLURAL, Item, Snapshot, kept_in_order
from .snapshot import snapshot as take_snapshot

__all__ = ["Change", "ChangeKind", "FieldChange", "JourneyDiff", "diff", "ops_to"]

ChangeKind = Literal["added", "removed", "restored", "moved", "renamed", "changed"]


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class Change:
    """One change to one entity. An entity that was moved and edited has one of each."""

    entity: str  # persona, channel, stage, step, section, lane, card, emotion
    id: str
    change: ChangeKind
    label: str  # its name (a card's text) in `after`, or in `before` if it was removed
    fields: tuple[FieldChange, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "id": self.id,
            "change": self.change,
            "label": self.label,
            "fields": [f.to_json() for f in self.fields],
        }


@dataclass(frozen=True)
class JourneyDiff:
    journey: tuple[FieldChange, ...]  # the journey's own fields: title, status, tags, ...
    changes: tuple[Change, ...]  # kind by kind in map order; see the module docstring
    lines: tuple[str, ...] = ()  # the summary, one line per change

    def __bool__(self) -> bool:
        return bool(self.journey or self.changes)

    def of(self, entity: str) -> list[Change]:
        return [c for c in self.changes if c.entity == entity]

    def to_json(self) -> dict[str, Any]:
        """Plain dicts and lists: `{"journey": [...], "personas": [...], ..., "emotions": [...]}`
        with every kind present, so a client can read the same shape each time."""
        out: dict[str, Any] = {"journey": [f.to_json() for f in self.journey]}
        for kind in KINDS:
            out[PLURAL[kind]] = [c.to_json() for c in self.changes if c.entity == kind]
        return out

    def summary(self) -> list[str]:
        """One line a person can read per change: "card 'fee' moved from Cart to Delivery"."""
        return list(self.lines)


def diff(before: Journey, after: Journey) -> JourneyDiff:
    old, new = take_snapshot(before), take_snapshot(after)
    header = tuple(
        FieldChange(name, old.header[name], new.header[name])
        for name in new.header
        if old.header[name] != new.header[name]
    )
    changes = tuple(c for kind in KINDS for c in _changes(kind, old, new))
    lines = [f"journey {f.field}: {_show(f.before)} -> {_show(f.after)}" for f in header]
    lines += [_line(c, old, new) for c in changes]
    return JourneyDiff(header, changes, tuple(lines))


def _changes(kind: str, old: Snapshot, new: Snapshot) -> Iterator[Change]:
    was, now = old.items[kind], new.items[kind]
    reordered = _reordered(was, now)
    name = NAME_FIELD.get(kind)
    for ident, item in now.items():
        prior = was.get(ident)
        if prior is None:
            yield Change(
                kind, ident, "restored" if ident in old.known[kind] else "added", item.label
            )
            continue
        places = PLACE_FIELDS.get(kind, ())
        moves = [
            FieldChange(f, b, a)
            for f, b, a in zip(places, prior.place, item.place, strict=False)
            if b != a
        ]
        if ident in reordered:
            moves.append(FieldChange("position", prior.position + 1, item.position + 1))
        if moves:
            yield Change(kind, ident, "moved", item.label, tuple(moves))
        if name is not None and prior.data.get(name) != item.data.get(name):
            renamed = FieldChange(name, prior.data.get(name), item.data.get(name))
            yield Change(kind, ident, "renamed", item.label, (renamed,))
        edits = tuple(
            FieldChange(f, prior.data.get(f), item.data.get(f))
            for f in _union(prior.data, item.data)
            if f != name and prior.data.get(f) != item.data.get(f)
        )
        if edits:
            yield Change(kind, ident, "changed", item.label, edits)
    for ident, item in was.items():
        if ident not in now:
            yield Change(kind, ident, "removed", item.label)


def _reordered(was: dict[str, Item], now: dict[str, Item]) -> set[str]:
    """Items that stayed in their parent or cell but changed order there."""
    places: dict[tuple[str | None, ...], list[str]] = {}
    for ident, item in now.items():
        if ident in was and was[ident].place == item.place:
            places.setdefault(item.place, []).append(ident)
    moved: set[str] = set()
    for members in places.values():
        current = sorted(members, key=lambda i: was[i].position)
        moved |= set(members) - kept_in_order(current, members)
    return moved


def _union(a: dict[str, Any], b: dict[str, Any]) -> list[str]:
    return [*a, *(k for k in b if k not in a)]


# ---------------------------------------------------------------- summary lines


def _line(c: Change, old: Snapshot, new: Snapshot) -> str:
    word = "emotion point" if c.entity == "emotion" else c.entity
    head = f"{word} '{c.id}'"
    if c.change == "added":
        return f"{head} added" + _where(c.entity, new, new.items[c.entity][c.id].place)
    if c.change == "restored":
        return f"{head} restored" + _where(c.entity, new, new.items[c.entity][c.id].place)
    if c.change == "removed":
        return f"{head} removed"
    if c.change == "renamed":
        return f"{head} renamed {_show(c.fields[0].after)}"
    if c.change == "changed":
        parts = [f"{f.field} {_show(f.before)} -> {_show(f.after)}" for f in c.fields]
        return f"{head} changed: " + "; ".join(parts)
    b_place, a_place = old.items[c.entity][c.id].place, new.items[c.entity][c.id].place
    if b_place != a_place:
        changed = [i for i, (b, a) in enumerate(zip(b_place, a_place, strict=True)) if b != a]
        return (
            f"{head} moved from {_place(c.entity, old, b_place, changed)}"
            f" to {_place(c.entity, new, a_place, changed)}"
        )
    pos = c.fields[-1]
    return f"{head} moved from position {pos.before} to {pos.after}" + _where(
        c.entity, new, a_place
    )


def _where(kind: str, snap: Snapshot, place: tuple[str | None, ...]) -> str:
    return f" in {_place(kind, snap, place, range(len(place)))}" if place else ""


def _place(kind: str, snap: Snapshot, place: tuple[str | None, ...], parts: Any) -> str:
    """Names of the parts of a place: the column (step, else stage) and a card's lane."""
    wanted = set(parts)
    if kind == "step":
        return str(snap.name("stage", place[0]))
    if kind == "lane":
        return str(snap.name("section", place[0]))
    names: list[str] = []
    if wanted & {0, 1}:
        step = snap.name("step", place[1])
        names.append(step if step is not None else str(snap.name("stage", place[0])))
    if kind == "card" and 2 in wanted:
        names.append(str(snap.name("lane", place[2])))
    return " / ".join(names)


def _show(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= limit else text[: limit - 3] + "..."
