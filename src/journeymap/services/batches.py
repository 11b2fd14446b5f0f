"""A batch of edit operations as clients send it (`[{op_id, op}]`) and as the write path
answers it (an acknowledgement per op_id, the fields it overwrote), with the refusals that
name the item at fault. The write path itself is services/journeys.py."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import TypeAdapter, ValidationError

from ..domain.operations import (
    AddOp,
    DeleteOp,
    MoveOp,
    Operation,
    RenameOp,
    RestoreOp,
    SetOp,
)
from .errors import Invalid, NotFound, Stale
from .preconditions import etag

_OP: TypeAdapter[Operation] = TypeAdapter(Operation)
_OP_TYPES = (AddOp, SetOp, RenameOp, MoveOp, DeleteOp, RestoreOp)


class JourneyNotFound(NotFound):
    def __init__(self, journey_id: str) -> None:
        self.journey_id = journey_id
        super().__init__(f"no journey '{journey_id}'")


class BadBatch(Invalid):
    """The batch itself is malformed (missing or repeated op_id, an unreadable operation, a
    base_rev the journey never had). Nothing was written."""

    default_title = "Invalid operations"


class OpsRejected(Invalid):
    """The domain refused the batch (OperationError): nothing was written. `op_id` names the
    operation refused (None when the batch as a whole broke a rule)."""

    default_title = "Operations refused"

    def __init__(self, message: str, hint: str | None = None, op_id: str | None = None) -> None:
        self.message = message
        self.hint = hint
        self.op_id = op_id
        super().__init__(f"{message} ({hint})" if hint else message, op_id=op_id, hint=hint)


class StaleRevision(Stale):
    """`if_unchanged` and something the batch touches changed after `base_rev`."""

    rev: int

    def __init__(self, rev: int, changed: list[tuple[str, str]]) -> None:
        self.changed = changed
        names = ", ".join(f"{k} {i}" if i else k for k, i in changed)
        super().__init__(
            f"changed since your revision: {names} (the journey is at rev {rev})",
            rev=rev,
            with_current=False,
            headers={"ETag": etag(rev)},
        )


@dataclass(frozen=True)
class OpIn:
    op_id: str
    op: Operation


@dataclass(frozen=True)
class OpAck:
    op_id: str
    rev: int
    status: Literal["applied", "duplicate"]


@dataclass(frozen=True)
class Overwrite:
    """An operation of this batch wrote a field that `by_op_id` (by `actor`, in `rev`) wrote
    after the batch's base_rev: this batch's value won (server order)."""

    op_id: str
    entity: str
    id: str | None
    field: str
    rev: int
    actor: str | None
    by_op_id: str


@dataclass(frozen=True)
class ApplyResult:
    rev: int  # the journey's revision after the call
    status: Literal["applied", "duplicate", "unchanged"]
    acks: list[OpAck]
    overwrites: list[Overwrite] = field(default_factory=list)
    # what was applied: `{op_id, op}` as logged, and `applied`: where an add or a move put its
    # item (`{id, order_key}`, see `applied_places`; None for other operations)
    logged: tuple[dict[str, Any], ...] = ()


def dump_op(op: Operation) -> dict[str, Any]:
    data: dict[str, Any] = _OP.dump_python(op, mode="json", exclude_none=True)
    return data


def load_op(data: Any) -> Operation:
    return _OP.validate_python(data)


def new_op_id(prefix: str = "srv") -> str:
    return f"{prefix}-{uuid.uuid4().hex}"


def parse_batch(ops: Sequence[OpIn | Mapping[str, Any]]) -> list[OpIn]:
    """`[{op_id, op}]` (or `{op_id, kind, entity, ...}` flat, as the live protocol sends them)
    to checked operations; BadBatch naming the item otherwise."""
    out: list[OpIn] = []
    for n, item in enumerate(ops, 1):
        if isinstance(item, OpIn):
            out.append(item)
            continue
        op_id = item.get("op_id")
        if not isinstance(op_id, str) or not 1 <= len(op_id) <= 100:
            raise BadBatch(f"operation {n}: give an `op_id` (text, 1-100 characters)")
        raw = item.get("op", {k: v for k, v in item.items() if k not in ("op_id", "base_rev")})
        try:
            out.append(OpIn(op_id, raw if isinstance(raw, _OP_TYPES) else load_op(raw)))
        except ValidationError as error:
            first = error.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise BadBatch(f"operation {n} ({op_id}): {where}: {first['msg']}") from None
    seen: set[str] = set()
    for item in out:
        if item.op_id in seen:
            raise BadBatch(f"op_id '{item.op_id}' appears twice in the batch")
        seen.add(item.op_id)
    return out


def written_fields(op: Mapping[str, Any]) -> list[tuple[str, str | None, str]]:
    """(entity, id, field) an operation (as logged) writes; adds write nothing anyone else
    could have written, a creation everything (it is never after a base_rev)."""
    kind, entity, ident = op.get("kind"), op.get("entity"), op.get("id")
    if kind == "set":
        return [(str(entity), ident, str(op.get("field")))]
    if kind == "rename":
        return [(str(entity), ident, "text" if entity == "card" else "name")]
    if kind == "move":
        return [(str(entity), ident, "position")]
    if kind in ("delete", "restore"):
        return [(str(entity), ident, "deleted")]
    return []


def overwrites(
    fresh: list[OpIn], dumped: list[dict[str, Any]], later: list[Any]
) -> list[Overwrite]:
    """The fields of `fresh` (dumped as `dumped`) that the logged ops `later` wrote too."""
    last: dict[tuple[str, str | None, str], Any] = {}
    for logged in later:
        for key in written_fields(logged.op):
            last[key] = logged
    out = []
    for o, op in zip(fresh, dumped, strict=True):
        for key in written_fields(op):
            if key in last:
                prev = last[key]
                out.append(Overwrite(o.op_id, *key, prev.rev, prev.actor, prev.op_id))
    return out


def applied_places(
    dumped: list[dict[str, Any]], before: Mapping[Any, Any], after: Mapping[Any, Any]
) -> list[dict[str, Any] | None]:
    """Where each add and move of a batch put its item, from the rows before and after it
    (`Stored.flats`: (kind, id) -> row): `{id, order_key}`; an add that named no id gets the
    id the journey gave it (the new ids of its kind, in turn). None for other operations, and
    for an add or move of an item the batch moves again later: the rows say only where its
    last move put it (the simulated live fuzz found the first move sent with the last key)."""
    named = {(op.get("entity"), op.get("id")) for op in dumped if op.get("id")}
    fresh: dict[Any, list[Any]] = {}
    for key in after:
        if key not in before and key not in named:
            fresh.setdefault(key[0], []).append(key)
    out: list[dict[str, Any] | None] = []
    for op in dumped:
        if op.get("kind") not in ("add", "move"):
            out.append(None)
            continue
        key = (op.get("entity"), op.get("id"))
        if op.get("id") is None:
            spare = fresh.get(op.get("entity"), [])
            key = spare.pop(0) if spare else key
        flat = after.get(key)
        out.append({"id": key[1], "order_key": flat.order_key} if flat is not None else None)
    last: dict[Any, int] = {}
    for n, where in enumerate(out):
        if where is not None:
            key = (dumped[n].get("entity"), where["id"])
            if key in last:  # placed again later in the batch: only that one is known
                out[last[key]] = {"id": where["id"], "order_key": None}
            last[key] = n
    return out
