"""Applying edit operations to a journey: pure functions, all-or-nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterable
from typing import Any

from fractional_indexing import FIError
from pydantic import ValidationError

from .base import Ordered
from .card_index import batch, index_for
from .checks import check_journey
from .entities import (
    INTERNAL,
    KIND,
    KINDS,
    LIST_FIELDS,
    canonical_card,
    same_ids,
    validate_entity,
)
from .entities import items as _items
from .entities import word as _word
from .errors import OperationError
from .ids import id_seed, new_id
from .messages import problems_from_error
from .model import Journey
from .operations import AddOp, DeleteOp, MoveOp, Operation, RenameOp, RestoreOp, SetOp
from .ordering import key_at, key_between
from .suggest import a_or_an, did_you_mean

_FIXED = frozenset({"id", "kind", *INTERNAL, *(k.children for k in KINDS if k.children)})
# A card's place is changed by a move only; an emotion point's may be set too.
_PLACEMENT = {"card": set(KIND["card"].place)}
# What a move may name, by entity: a new parent or cell, beside the position.
_MOVE_TARGETS = {k.name: set(k.place) for k in KINDS if k.place}


def apply(journey: Journey, op: Operation) -> Journey:
    """The journey after `op`; OperationError (and no change) if it cannot be applied."""
    result = _apply(journey, op)
    _guard(journey, result)
    return result


def apply_all(journey: Journey, ops: Iterable[Operation]) -> Journey:
    """Apply a batch in order, all or nothing. The batch as a whole must leave the journey
    consistent, so steps that only make sense together (state: future, then current_journey)
    can be sent together; OperationError says which operation failed, or what the batch broke."""
    with batch():  # a card index, so that each operation costs the same however many cards
        result = apply_unchecked(journey, list(ops))
    _guard(journey, result)
    return result


def apply_unchecked(journey: Journey, ops: list[Operation]) -> Journey:
    """`ops` applied in order, all or nothing, without the final consistency check (which
    the caller runs once, for a whole batch: see batch.py); OperationError names the one
    that failed."""
    result = journey
    for i, op in enumerate(ops):
        try:
            result = _apply(result, op)
        except OperationError as error:
            if len(ops) == 1:
                raise OperationError(error.message, error.hint, index=0) from None
            raise OperationError(
                f"operation {i + 1} ({op.kind} {op.entity}): {error.message}", error.hint, i
            ) from None
    return result


def _apply(journey: Journey, op: Operation) -> Journey:
    try:
        if isinstance(op, AddOp):
            return _add(journey, op)
        if isinstance(op, SetOp):
            return _set(journey, op.entity, op.id, op.field, op.value)
        if isinstance(op, RenameOp):
            field = "text" if op.entity == "card" else "name"
            return _set(journey, op.entity, op.id, field, op.name)
        if isinstance(op, MoveOp):
            return _move(journey, op)
        if isinstance(op, DeleteOp):
            return _tombstone(journey, op.entity, op.id, deleted=True)
        if isinstance(op, RestoreOp):
            return _tombstone(journey, op.entity, op.id, deleted=False)
    except FIError as error:  # order keys out of order: a bug, but never a crash
        raise OperationError(f"cannot place it: {error}", "reorder the items and retry") from None
    raise OperationError(f"unknown operation {op!r}")  # pragma: no cover - the union is closed


# ---------------------------------------------------------------- access


def _get(j: Journey, entity: str, ident: str | None) -> tuple[str | None, Any]:
    index = index_for(j.cards) if entity == "card" else None
    found = index.get(ident) if index is not None else None
    if found is not None:
        return None, found
    items = _items(j, entity)
    for parent, item in items:
        if item.id == ident:
            return parent, item
    hint = did_you_mean(ident or "", [it.id for _, it in items if not it.deleted])
    raise OperationError(f"no {_word(entity)} '{ident}'", hint)


def _called(entity: str, item: Any) -> str:
    """How a refusal names an item: its id, and the words people see on screen (an id alone
    means nothing to the person whose edit met someone else's delete)."""
    shown = getattr(item, "text", None) or getattr(item, "name", None) or ""
    shown = " ".join(str(shown).split())
    shown = f"{shown[:40]}…" if len(shown) > 41 else shown
    return f"{_word(entity)} '{item.id}'" + (f' ("{shown}")' if shown else "")


def _live(j: Journey, entity: str, ident: str) -> Any:
    _, item = _get(j, entity, ident)
    if item.deleted:
        raise OperationError(f"{_called(entity, item)} is deleted", f"restore {entity} {ident}")
    return item


def _put(j: Journey, entity: str, new: Any, parent: str | None = None) -> Journey:
    """`j` with `new` replacing the item of the same id, or appended (to `parent`) if new."""
    kind = KIND[entity]
    if kind.parent is None:
        field = kind.collection
        index = index_for(j.cards) if entity == "card" else None
        listed = list(getattr(j, field))
        if index is not None:
            at = index.at.get(new.id)
        else:
            at = next((i for i, it in enumerate(listed) if it.id == new.id), None)
        old = None if at is None else listed[at]
        if at is None:
            listed.append(new)
        else:
            listed[at] = new
        if index is not None:
            index.put(listed, len(listed) - 1 if at is None else at, old, new)
        return j.model_copy(update={field: listed})
    parents_field, children = KIND[kind.parent].collection, kind.collection
    parents = []
    for p in getattr(j, parents_field):
        kids = list(getattr(p, children))
        at = next((i for i, c in enumerate(kids) if c.id == new.id), None)
        if at is not None:
            kids[at] = new
        elif p.id == parent:
            kids.append(new)
        else:
            parents.append(p)
            continue
        parents.append(p.model_copy(update={children: kids}))
    return j.model_copy(update={parents_field: parents})


def _siblings(j: Journey, entity: str, item: Any, parent: str | None) -> list[Any]:
    """The live items `item` is ordered among, sorted, without `item` itself."""
    if entity == "card":
        cell = (item.stage, item.step, item.lane)
        pool = [c for c in j.cards if (c.stage, c.step, c.lane) == cell]
    elif KIND[entity].parent is None:
        pool = getattr(j, KIND[entity].collection)
    else:
        pool = [c for p, c in _items(j, entity) if p == parent]
    return sorted((s for s in pool if not s.deleted and s.id != item.id), key=lambda s: s.order_key)


def _place(siblings: list[Any], before: str | None, after: str | None, what: str) -> str:
    if before is not None and after is not None:
        raise OperationError("give `after` or `before`, not both")
    ids = [s.id for s in siblings]
    for anchor in (after, before):
        if anchor is not None and anchor not in ids:
            raise OperationError(
                f"'{anchor}' is not beside this {what}",
                did_you_mean(anchor, ids, f"choose one of: {', '.join(ids) or '(none)'}"),
            )
    index = ids.index(after) + 1 if after else ids.index(before) if before else len(ids)
    return key_at([s.order_key for s in siblings], index)


# ---------------------------------------------------------------- operations


def _namespace(j: Journey, entity: str) -> set[str]:
    return {it.id for kind in same_ids(entity) for _, it in _items(j, kind)}


def _validate(entity: str, data: dict[str, Any]) -> Any:
    try:
        return validate_entity(entity, data)
    except ValidationError as error:
        first = problems_from_error(error, (), [], strip_tag=entity == "card")[0]
        where = ".".join(str(p) for p in first.path)
        text = f"{where}: {first.message}" if where else first.message
        raise OperationError(text, first.hint) from None


def _add(j: Journey, op: AddOp) -> Journey:
    value = dict(op.value)
    parent: str | None = None
    parent_kind = KIND[op.entity].parent
    if parent_kind is not None:
        parent = value.pop(parent_kind, None)
        if not isinstance(parent, str):
            raise OperationError(f"a {op.entity} needs a {parent_kind}", f"give `{parent_kind}`")
        _live(j, parent_kind, parent)
    ident = op.id or value.pop("id", None)
    value.pop("id", None)
    index = index_for(j.cards) if op.entity == "card" else None
    names = None if index is not None else _namespace(j, op.entity)
    taken: Container[str] = index.at if index is not None else names or set()
    if ident is None:
        ident = (
            index.fresh_id(id_seed("card", value))
            if index
            else new_id(op.entity, value, names or set())
        )
    elif ident in taken:
        deleted = any(it.deleted for _, it in _items(j, op.entity) if it.id == ident)
        state = "a deleted" if deleted else "another"
        raise OperationError(
            f"id '{ident}' is taken by {state} {_word(op.entity)}",
            "choose another id" + (", or restore it" if deleted else ""),
        )
    item = _canonical(j, op.entity, _validate(op.entity, {**value, "id": ident}))
    _require_live_place(j, op.entity, item)
    key = _key(j, op.entity, item, parent, op.before, op.after)
    return _put(j, op.entity, item.model_copy(update={"order_key": key}), parent)


def _key(
    j: Journey, entity: str, item: Any, parent: str | None, before: str | None, after: str | None
) -> str:
    """The order key for `item` placed among its siblings (last, unless `before`/`after`)."""
    index = index_for(j.cards) if entity == "card" else None
    if index is not None and before is None and after is None:
        last = index.last_key((item.stage, item.step, item.lane), item.id)
        return key_between(last, None)
    return _place(_siblings(j, entity, item, parent), before, after, _word(entity))


def _canonical(j: Journey, entity: str, item: Any) -> Any:
    if entity != "card":
        return item
    index = index_for(j.cards)
    return canonical_card(item, index.registry(j) if index else j.channel_registry())


def _require_live_place(j: Journey, entity: str, item: Any) -> None:
    """A card or emotion point may only go where the map shows it."""
    if entity not in ("card", "emotion"):
        return
    _live(j, "stage", item.stage)
    if item.step is not None:
        _live(j, "step", item.step)
    if entity == "card":
        _live(j, "lane", item.lane)
    elif item.card is not None:
        _live(j, "card", item.card)


def _set(j: Journey, entity: str, ident: str | None, field: str, value: Any) -> Journey:
    if entity == "journey":
        header = j.model_dump(exclude=set(LIST_FIELDS))
        allowed = [f for f in header if f != "id"]
        if field not in allowed:
            raise OperationError(
                f"the journey has no field '{field}' to set",
                did_you_mean(field, allowed, f"fields: {', '.join(allowed)}"),
            )
        new_header = _validate_journey({**header, field: value})
        return new_header.model_copy(update={f: getattr(j, f) for f in LIST_FIELDS})
    parent, item = _get(j, entity, ident)
    if item.deleted:
        raise OperationError(f"{_called(entity, item)} is deleted", "restore it before editing")
    allowed = [
        f for f in type(item).model_fields if f not in _FIXED | _PLACEMENT.get(entity, set())
    ]
    if field not in allowed:
        hint = (
            "use a move operation"
            if field in _PLACEMENT.get(entity, set())
            else did_you_mean(field, allowed, f"fields: {', '.join(allowed)}")
        )
        raise OperationError(f"cannot set '{field}' on {a_or_an(_word(entity))}", hint)
    data = {k: v for k, v in item.model_dump().items() if k not in INTERNAL}
    new = _canonical(j, entity, _validate(entity, {**data, field: value}))
    new = new.model_copy(update={"order_key": item.order_key})
    if entity == "emotion":
        _require_live_place(j, entity, new)
    return _put(j, entity, new, parent)


def _validate_journey(data: dict[str, Any]) -> Journey:
    try:
        return Journey.model_validate(data)
    except ValidationError as error:
        first = problems_from_error(error, (), [])[0]
        raise OperationError(
            f"{'.'.join(map(str, first.path))}: {first.message}", first.hint
        ) from None


def _move(j: Journey, op: MoveOp) -> Journey:
    parent, item = _get(j, op.entity, op.id)
    if item.deleted:
        raise OperationError(f"{_word(op.entity)} '{op.id}' is deleted", "restore it first")
    named = {f for f in ("stage", "step", "lane", "section") if getattr(op, f) is not None}
    wrong = named - _MOVE_TARGETS.get(op.entity, set())
    if wrong:
        raise OperationError(f"{a_or_an(_word(op.entity))} cannot be moved to a {sorted(wrong)[0]}")
    if not named and op.before is None and op.after is None:
        raise OperationError("say where to: `after`, `before`, or a new place")
    target = parent
    if op.entity in ("card", "emotion"):
        stage = op.stage or item.stage
        if op.step is not None and op.stage is None:
            stage = _get(j, "step", op.step)[0] or stage  # a step implies its stage
        step = op.step if (op.step or op.stage) else item.step
        place = {"stage": stage, "step": step}
        if op.entity == "card":
            place["lane"] = op.lane or item.lane
        item = item.model_copy(update=place)
        _require_live_place(j, op.entity, item)
    elif (parent_kind := KIND[op.entity].parent) is not None:
        target = getattr(op, parent_kind) or parent
        _live(j, parent_kind, str(target))
    key = _key(j, op.entity, item, target, op.before, op.after)
    moved = item.model_copy(update={"order_key": key})
    if KIND[op.entity].parent is not None and target != parent:
        j = _detach(j, op.entity, item.id)
        if op.entity == "step":
            j = _follow_step(j, item.id, target)
    if op.entity == "card":
        j = _follow_card(j, moved)
    return _put(j, op.entity, moved, target)


def _follow_card(j: Journey, card: Any) -> Journey:
    """A touchpoint's emotion points go with it."""
    points = [
        e.model_copy(update={"stage": card.stage, "step": card.step}) if e.card == card.id else e
        for e in j.emotions
    ]
    return j.model_copy(update={"emotions": points})


def _detach(j: Journey, entity: str, ident: str) -> Journey:
    kind = KIND[entity]
    parents_field, children = KIND[str(kind.parent)].collection, kind.collection
    parents = [
        p.model_copy(update={children: [c for c in getattr(p, children) if c.id != ident]})
        for p in getattr(j, parents_field)
    ]
    return j.model_copy(update={parents_field: parents})


def _follow_step(j: Journey, step: str, stage: str | None) -> Journey:
    """Cards and emotion points in a step go with it to its new stage."""
    cards = [c.model_copy(update={"stage": stage}) if c.step == step else c for c in j.cards]
    moved = {c.id for c in cards if c.step == step}
    points = [
        e.model_copy(update={"stage": stage}) if e.step == step or e.card in moved else e
        for e in j.emotions
    ]
    return j.model_copy(update={"cards": cards, "emotions": points})


def _tombstone(j: Journey, entity: str, ident: str, deleted: bool) -> Journey:
    parent, item = _get(j, entity, ident)
    if item.deleted == deleted:
        state = "already deleted" if deleted else "not deleted"
        raise OperationError(f"{_word(entity)} '{ident}' is {state}")
    if not deleted:
        for kind, ref in _parents(entity, item, parent):
            if ref is not None and _get(j, kind, ref)[1].deleted:
                raise OperationError(
                    f"its {kind} '{ref}' is deleted", f"restore {kind} {ref} first"
                )
    update: dict[str, Any] = {"deleted": deleted}
    if not deleted:
        update["order_key"] = _free_key(_siblings(j, entity, item, parent), item.order_key)
    return _put(j, entity, item.model_copy(update=update), parent)


def _free_key(siblings: list[Any], key: str) -> str:
    """`key`, or, if an item added meanwhile holds it, a key just after that item."""
    keys = [s.order_key for s in siblings]
    if key not in keys:
        return key
    later = [k for k in keys if k > key]
    return key_between(key, min(later) if later else None)


def _parents(entity: str, item: Ordered, parent: str | None) -> list[tuple[str, str | None]]:
    parent_kind = KIND[entity].parent
    if parent_kind is not None:
        return [(parent_kind, parent)]
    if entity == "card":
        return [("stage", item.stage), ("step", item.step), ("lane", item.lane)]  # type: ignore[attr-defined]
    if entity == "emotion":
        return [("stage", item.stage), ("step", item.step), ("card", item.card)]  # type: ignore[attr-defined]
    return []


def guard(before: Journey, after: Journey) -> None:
    """OperationError if `after` has a broken reference or a clash `before` did not have."""
    _guard(before, after)


def _guard(before: Journey, after: Journey) -> None:
    """No operation may introduce a broken reference or a clash; say which if it would."""
    problems = check_journey(after)
    if not problems:
        return  # nothing to tell apart from what `before` already had: spare checking it
    known = Counter((p.code, p.message) for p in check_journey(before))
    for problem in problems:
        key = (problem.code, problem.message)
        if known[key] == 0:
            raise OperationError(problem.message, problem.hint)
        known[key] -= 1
