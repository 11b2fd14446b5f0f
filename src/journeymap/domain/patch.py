"""The edit operations that turn one journey into another: "restore revision N as a new revision".

`ops_to(before, after)` plans with the existing operations only, and tries each on a working
copy as it goes (so every step is one `apply` accepts), in five passes:

1. the journey's own fields;
2. kind by kind, parents first (personas, channels, stages, steps, sections, lanes, cards,
   emotion points): add what `before` never held; restore what it holds as a tombstone (and, for
   a moment, a deleted parent the restore needs; the removal pass deletes it again); move what
   sits under another parent or in another cell;
3. fields, as `set` (`rename` for a name): first of the containers and channels, then of the
   cards and emotion points, whose file form depends on the channels;
4. delete what `after` does not show, parents first, so a deleted stage takes its cards along;
5. reorder each parent's or cell's items, moving only those outside a longest run already in
   order.

`apply_all(before, ops_to(before, after))` saves to the same document as `after`. Only what the
map shows is rebuilt: tombstones of `after` are not recreated, and ids are never renamed. One
hidden edit: apply keeps even deleted cards consistent, so a touchpoint the result leaves deleted
that names a channel the result removes is pointed at the built-in 'web' channel first. When no
operations can reach `after` (a card whose kind differs under the same id, an id used by a stage
in one journey and a step in the other), OperationError says which item stands in the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from .apply import _apply, _guard
from .entities import KIND, EntityKind, items, live_items
from .errors import OperationError
from .model import Journey
from .operations import AddOp, DeleteOp, MoveOp, Operation, RenameOp, RestoreOp, SetOp
from .snapshot import KINDS, NAME_FIELD, PLACE_FIELDS, Item, Place, kept_in_order, snapshot

_SPARE_CHANNEL = "web"  # built in, so always there
# Parents first: deleting a stage or section hides what it holds without more operations;
# then what sits in them; personas and channels, which nothing holds, last.
_REMOVE_ORDER: tuple[EntityKind, ...] = (
    *(k for k in KINDS if KIND[k].children or KIND[k].parent or KIND[k].place),
    *(k for k in KINDS if not (KIND[k].children or KIND[k].parent or KIND[k].place)),
)


def ops_to(before: Journey, after: Journey) -> list[Operation]:
    """Operations that, applied to `before` with `apply_all`, give a journey that saves to the
    same document as `after`; OperationError if there are none (see the module docstring)."""
    return _Planner(before, after).run()


class _Planner:
    def __init__(self, before: Journey, after: Journey) -> None:
        self.start = before
        self.work = before
        self.target = snapshot(after)
        self.ops: list[Operation] = []

    def do(self, op: Operation) -> None:
        self.work = _apply(self.work, op)
        self.ops.append(op)

    def run(self) -> list[Operation]:
        now = snapshot(self.work)
        for name, value in self.target.header.items():
            if now.header[name] != value:
                self.do(SetOp(entity="journey", field=name, value=value))
        for kind in KINDS:
            for item in self.target.items[kind].values():
                self._bring(item)
        self._fields(KINDS[:-2])
        self._fields(KINDS[-2:])
        self._remove()
        for kind in KINDS:
            self._reorder(kind)
        _guard(self.start, self.work)  # a tombstone left inconsistent: say so now
        return self.ops

    # ------------------------------------------------------------ pass 2: live, in place

    def _bring(self, item: Item) -> None:
        kind, ident = item.kind, item.id
        found = _entities(self.work, kind).get(ident)
        if found is None:
            value = {k: v for k, v in item.data.items() if v not in (None, [], {})}
            value.update(zip(PLACE_FIELDS.get(kind, ()), item.place, strict=True))
            self.do(AddOp(entity=kind, id=ident, value=value))
            return
        parent, entity = found
        if kind == "card" and entity.kind != item.data["kind"]:
            raise OperationError(
                f"card '{ident}' is {_a(entity.kind)} in one journey and {_a(item.data['kind'])} "
                "in the other; no operation changes a card's kind",
                "give one of them another id",
            )
        if entity.deleted:
            self._revive(kind, ident)
        if _place_of(kind, parent, entity) != item.place:
            where = dict(zip(PLACE_FIELDS[kind], item.place, strict=True))
            self.do(MoveOp(entity=kind, id=ident, **where))

    def _revive(self, kind: EntityKind, ident: str) -> None:
        """Restore a tombstone, and first any deleted parent the restore needs."""
        parent, entity = _entities(self.work, kind)[ident]
        for parent_kind, ref in _parents(kind, parent, entity):
            found = _entities(self.work, parent_kind).get(ref)
            if found is not None and found[1].deleted:
                self._revive(parent_kind, ref)
        self.do(RestoreOp(entity=kind, id=ident))

    # ------------------------------------------------------------ pass 3: fields

    def _fields(self, kinds: tuple[EntityKind, ...]) -> None:
        now = snapshot(self.work)
        for kind in kinds:
            name = NAME_FIELD.get(kind)
            for ident, item in self.target.items[kind].items():
                current = now.items[kind][ident].data
                for field, value in item.data.items():
                    if current.get(field) == value or field == "kind":
                        continue
                    if field == name and isinstance(value, str):
                        self.do(RenameOp(entity=kind, id=ident, name=value))
                    else:
                        self.do(SetOp(entity=kind, id=ident, field=field, value=value))

    # ------------------------------------------------------------ passes 4 and 5

    def _remove(self) -> None:
        self._free_channels()
        for kind in _REMOVE_ORDER:
            wanted = self.target.items[kind]
            for ident in _live_ids(self.work, kind):
                if ident not in wanted:
                    self.do(DeleteOp(entity=kind, id=ident))

    def _free_channels(self) -> None:
        """A deleted card still names its channel, and apply refuses to delete a channel a card
        names. A card this restore leaves deleted (or deletes) that names a channel it removes
        is first pointed at the built-in 'web' channel: the map does not show it, and the
        revision before holds it as it was."""
        gone = {c.id for c in self.work.channels if not c.deleted} - set(
            self.target.items["channel"]
        )
        for card in self.work.cards:
            if card.kind != "touchpoint" or card.channel not in gone:
                continue
            if card.id in self.target.items["card"]:
                continue  # shown by the target: pass 3 gave it the target's channel
            if card.deleted:
                self._revive("card", card.id)
            self.do(SetOp(entity="card", id=card.id, field="channel", value=_SPARE_CHANNEL))

    def _reorder(self, kind: EntityKind) -> None:
        groups: dict[Place, list[str]] = {}
        for ident, item in self.target.items[kind].items():
            groups.setdefault(item.place, []).append(ident)
        keys = {ident: e.order_key for ident, (_, e) in _entities(self.work, kind).items()}
        for members in groups.values():
            current = sorted(members, key=lambda i: keys[i])
            kept = kept_in_order(current, members)
            for at, ident in enumerate(members):
                if ident in kept:
                    continue
                if at > 0:
                    op = MoveOp(entity=kind, id=ident, after=members[at - 1])
                else:
                    first = next(i for i in current if i != ident)
                    op = MoveOp(entity=kind, id=ident, before=first)
                self.do(op)


def _entities(j: Journey, kind: str) -> dict[str, tuple[str | None, Any]]:
    """id -> (parent id, entity) for every entity of a kind, tombstones included."""
    return {e.id: (parent, e) for parent, e in items(j, kind)}


def _live_ids(j: Journey, kind: str) -> list[str]:
    """The ids of the items of a kind the map shows (as the document lists them)."""
    return [e.id for _, e in live_items(j, kind)]


def _place_of(kind: str, parent: str | None, entity: Any) -> Place:
    if KIND[kind].parent is not None:
        return (parent,)
    return tuple(getattr(entity, f) for f in PLACE_FIELDS.get(kind, ()))


def _parents(kind: str, parent: str | None, entity: Any) -> Iterator[tuple[EntityKind, str]]:
    """The entities whose tombstone would stop a restore of this one (as apply checks)."""
    parent_kind = KIND[kind].parent
    if parent_kind is not None and parent is not None:
        yield parent_kind, parent
    refs: dict[str, tuple[EntityKind, ...]] = {  # as apply checks a restore's
        "card": ("stage", "step", "lane"),
        "emotion": ("stage", "step", "card"),
    }
    for field in refs.get(kind, ()):
        ref = getattr(entity, field)
        if ref is not None:
            yield field, ref


def _a(word: str) -> str:
    return ("an " if word[0] in "aeiou" else "a ") + word
