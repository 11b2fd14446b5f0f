"""The edit operations that turn one state of a journey into another (to restore a revision
through the one write path: nothing is overwritten, the restore is a new revision).

`ops_to(now, then)` returns operations that, applied to `now` with `apply_all`, give a journey
with the same header, the same entities with the same fields, placement, sibling order and
tombstones as `then`. Order keys may differ (moves make fresh keys); the order they give is
the same. Entities that are deleted in both keep their fields as they are in `now`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .apply import _FIXED, _apply, _items
from .document import LIST_FIELDS
from .model import Journey
from .operations import AddOp, DeleteOp, MoveOp, Operation, RestoreOp, SetOp

PARENTS_FIRST = ("channel", "persona", "stage", "step", "section", "lane", "card", "emotion")
_PARENT_FIELD = {"step": "stage", "lane": "section"}
_CARD_PLACE = ("stage", "step", "lane")

Key = tuple[str, str]


def _index(j: Journey) -> dict[Key, tuple[str | None, Any]]:
    return {
        (kind, item.id): (parent, item)
        for kind in PARENTS_FIRST
        for parent, item in _items(j, kind)
    }


def _fields(item: Any) -> dict[str, Any]:
    data: dict[str, Any] = item.model_dump(mode="json", exclude=set(_FIXED))
    return data


class _Builder:
    def __init__(self, journey: Journey) -> None:
        self.journey = journey
        self.ops: list[Operation] = []

    def emit(self, op: Operation) -> None:
        self.journey = _apply(self.journey, op)  # checked as a whole batch by the caller
        self.ops.append(op)

    def item(self, key: Key) -> tuple[str | None, Any] | None:
        return _index(self.journey).get(key)


def ops_to(now: Journey, then: Journey) -> list[Operation]:
    """Operations turning `now` into `then` (see the module docstring)."""
    b = _Builder(now)
    target = _index(then)
    _revive(b, target)
    _header(b, then)
    _set_fields(b, target)
    _place(b, then, target)
    for kind in reversed(PARENTS_FIRST):
        for (k, ident), (_, item) in _index(b.journey).items():
            gone = (k, ident) not in target or target[(k, ident)][1].deleted
            if k == kind and gone and not item.deleted:
                b.emit(DeleteOp(entity=kind, id=ident))
    return b.ops


def _revive(b: _Builder, target: dict[Key, tuple[str | None, Any]]) -> None:
    """Restore what `then` has live and `now` deleted; add what `now` lacks, parents first."""
    for kind in PARENTS_FIRST:
        for (k, ident), (parent, item) in target.items():
            if k != kind:
                continue
            found = b.item((k, ident))
            if found is None:
                value = _fields(item)
                if kind in _PARENT_FIELD:
                    value[_PARENT_FIELD[kind]] = parent
                b.emit(AddOp(entity=kind, id=ident, value=value))
            elif found[1].deleted and not item.deleted:
                b.emit(RestoreOp(entity=kind, id=ident))


def _header(b: _Builder, then: Journey) -> None:
    exclude = {*LIST_FIELDS, "id"}
    old = b.journey.model_dump(mode="json", exclude=exclude)
    new = then.model_dump(mode="json", exclude=exclude)
    for field, value in new.items():
        if old.get(field) != value:
            b.emit(SetOp(entity="journey", field=field, value=value))


def _set_fields(b: _Builder, target: dict[Key, tuple[str | None, Any]]) -> None:
    for (kind, ident), (_, item) in _index(b.journey).items():
        if item.deleted or (kind, ident) not in target:
            continue
        want = _fields(target[(kind, ident)][1])
        have = _fields(item)
        for field, value in want.items():
            if kind == "card" and field in _CARD_PLACE:
                continue
            if have.get(field) != value:
                b.emit(SetOp(entity=kind, id=ident, field=field, value=value))


def _place(b: _Builder, then: Journey, target: dict[Key, tuple[str | None, Any]]) -> None:
    """Parents and cells first, then the order among siblings."""
    for (kind, ident), (parent, item) in _index(b.journey).items():
        if item.deleted or (kind, ident) not in target:
            continue
        want_parent, want = target[(kind, ident)]
        if kind in _PARENT_FIELD and parent != want_parent:
            move = MoveOp(entity=kind, id=ident, **{_PARENT_FIELD[kind]: want_parent})
            b.emit(move)
        elif kind == "card" and _cell(item) != _cell(want):
            b.emit(
                MoveOp(entity="card", id=ident, stage=want.stage, step=want.step, lane=want.lane)
            )
    for kind, group in _groups(then):
        _order(b, kind, [it.id for it in sorted(group, key=lambda it: it.order_key)])


def _cell(card: Any) -> tuple[str, str | None, str]:
    return (card.stage, card.step, card.lane)


def _groups(j: Journey) -> Iterable[tuple[str, list[Any]]]:
    """Each set of live siblings ordered among themselves."""
    groups: dict[tuple[str, Any], list[Any]] = {}
    for kind in PARENTS_FIRST:
        for parent, item in _items(j, kind):
            if item.deleted:
                continue
            scope = _cell(item) if kind == "card" else parent
            groups.setdefault((kind, scope), []).append(item)
    return ((kind, items) for (kind, _), items in groups.items())


def _order(b: _Builder, kind: str, wanted: list[str]) -> None:
    """Move the fewest items so that `wanted` is their order (the rest stay put: a longest
    run already in order)."""
    index = _index(b.journey)
    current = sorted(wanted, key=lambda i: index[(kind, i)][1].order_key)
    if current == wanted:
        return
    rank = {ident: n for n, ident in enumerate(current)}
    keep = set(_longest_increasing([rank[i] for i in wanted], wanted))
    for n, ident in enumerate(wanted):
        if ident in keep:
            continue
        if n == 0:
            first_kept = next(i for i in wanted if i in keep)
            b.emit(MoveOp(entity=kind, id=ident, before=first_kept))
        else:
            b.emit(MoveOp(entity=kind, id=ident, after=wanted[n - 1]))


def _longest_increasing(values: list[int], labels: list[str]) -> list[str]:
    """The labels of a longest strictly increasing subsequence of `values` (O(n log n))."""
    from bisect import bisect_left

    tails: list[int] = []  # value of the smallest tail of each length
    tail_at: list[int] = []  # index in `values` of that tail
    previous = [-1] * len(values)
    for i, v in enumerate(values):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[k] = v
            tail_at[k] = i
        previous[i] = tail_at[k - 1] if k > 0 else -1
    out: list[str] = []
    i = tail_at[-1] if tail_at else -1
    while i != -1:
        out.append(labels[i])
        i = previous[i]
    return out[::-1]
