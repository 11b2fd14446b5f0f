"""Journeys in the workspace database, and the ONE write path for every change to them.

Every change (REST, the live editor, the CLI, an import, a restore) is a batch of domain
operations given to `apply_ops`: under the journey's lock the batch is applied to the current
journey with the domain's `apply_all` (all or nothing), `rev` goes up by one, the changed entity
rows are written with `updated_rev = rev` (and `deleted_rev` for tombstones), each operation is
appended to the op log with its actor, time and client `op_id`, the transaction commits, and only
then does `apply_ops` return. Nothing is acknowledged before it is committed.

Idempotence: an `op_id` already in the journey's log is not applied again; it is answered
`duplicate` with the revision it was applied in. A batch whose every op_id is known changes
nothing.

Stale `base_rev` (DESIGN §4: last writer wins per field, in server order): the batch is applied
on top of whatever the server has now. Each operation of the batch that writes a field which an
operation applied after `base_rev` also wrote is reported in `ApplyResult.overwrites` (the
overwritten value stays in the op log). Fields: `set` writes its field, `rename` the name (a
card's text), `move` the entity's position, `delete`/`restore` its tombstone. Edits to deleted
entities are rejected by the domain, so the whole batch fails visibly. With `if_unchanged=True`
(REST writes carrying `If-Match`) the batch is refused with `StaleRevision` instead when any
entity it touches (or the journey header) changed after `base_rev`: exactly one of two writers
with the same ETag wins.

Speed (the lock is held for all of this, so it is what writers of one journey queue for): the
current journey is not loaded from its rows for every batch. The repository keeps it in process
with its rows, keyed by the revision's stamp, and uses it only when the row just locked carries
that stamp (storage/journey_cache.py: another process's write or a rolled-back transaction can
never be served from it); only the rows the batch changed are written, each by its key. Writers
of one journey in one process take turns before asking for the database's lock
(services/write_queue.py), so they do not poll SQLite's busy handler.

These functions take a `Database` and own their transaction (`with db.write()`); the code
inside never commits: the unit of work does, when the block ends.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from pydantic import TypeAdapter, ValidationError

from ..domain.apply import apply_all
from ..domain.errors import OperationError
from ..domain.model import Journey
from ..domain.operations import (
    AddOp,
    DeleteOp,
    MoveOp,
    Operation,
    RenameOp,
    RestoreOp,
    SetOp,
)
from .write_queue import write_turn

if TYPE_CHECKING:
    from ..storage.database import Database
    from ..storage.models import JourneyRow
    from ..storage.repositories import UnitOfWork

_OP: TypeAdapter[Operation] = TypeAdapter(Operation)
_OP_TYPES = (AddOp, SetOp, RenameOp, MoveOp, DeleteOp, RestoreOp)


class JourneyNotFound(LookupError):
    def __init__(self, journey_id: str) -> None:
        self.journey_id = journey_id
        super().__init__(f"no journey '{journey_id}'")


class BadBatch(ValueError):
    """The batch itself is malformed (missing or repeated op_id, an unreadable operation, a
    base_rev the journey never had). Nothing was written."""


class OpsRejected(ValueError):
    """The domain refused the batch (OperationError): nothing was written."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        self.message = message
        self.hint = hint
        super().__init__(f"{message} ({hint})" if hint else message)


class StaleRevision(Exception):
    """`if_unchanged` and something the batch touches changed after `base_rev`."""

    def __init__(self, rev: int, changed: list[tuple[str, str]]) -> None:
        self.rev = rev
        self.changed = changed
        names = ", ".join(f"{k} {i}" if i else k for k, i in changed)
        super().__init__(f"changed since your revision: {names} (the journey is at rev {rev})")


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


@dataclass(frozen=True)
class JourneySnapshot:
    id: str
    workspace_id: str
    rev: int
    header_rev: int
    journey: Journey
    created_at: dt.datetime
    updated_at: dt.datetime


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def dump_op(op: Operation) -> dict[str, Any]:
    data: dict[str, Any] = _OP.dump_python(op, mode="json", exclude_none=True)
    return data


def load_op(data: Any) -> Operation:
    return _OP.validate_python(data)


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


# ---------------------------------------------------------------- create and read


def create_journey(
    db: Database,
    workspace_id: str,
    journey: Journey,
    actor: str | None,
    *,
    journey_id: str | None = None,
    op_id: str | None = None,
    note: str = "create",
) -> JourneySnapshot:
    """Store a new journey (from a template, an import, a duplicate) as revision 1. The op log's
    rev 1 holds the whole document, tombstones and order keys included, so that any revision
    can be rebuilt by replaying the log from it. A persona named by its id alone takes the
    workspace library's fields (services/persona_library.py)."""
    from ..storage.accounts import new_key
    from ..storage.mapping import journey_document
    from .persona_library import fill_from_library, named_only

    ts = now()
    ident = journey_id or new_key()
    with db.write() as uow:
        if any(named_only(p) for p in journey.personas):  # `personas: [hannah]`
            library = ((r.persona_id, r.data) for r in uow.personas.of(workspace_id))
            journey = fill_from_library(journey, library)
        row = uow.journeys.insert(ident, workspace_id, journey, actor, ts)
        op = {"kind": "create", "journey": journey_document(journey)}
        uow.ops.append(ident, 1, actor, ts, [(op_id or f"create-{ident}", op)], note)
        return _snapshot(row, journey)


def get_journey(db: Database, journey_id: str) -> JourneySnapshot:
    """The current journey as a domain Journey, with its revision."""
    with db.read() as uow:
        row = uow.journeys.get(journey_id)
        if row is None or row.deleted_at is not None:
            raise JourneyNotFound(journey_id)
        return _snapshot(row, uow.journeys.load(row))


def entity_revs(db: Database, journey_id: str) -> dict[tuple[str, str], tuple[int, int | None]]:
    """(updated_rev, deleted_rev) of each entity, keyed (kind, id): the ETags the REST layer
    sends; ('journey', '') is the header's."""
    with db.read() as uow:
        row = uow.journeys.get(journey_id)
        if row is None:
            raise JourneyNotFound(journey_id)
        revs = uow.journeys.entity_revs(journey_id)
        revs[("journey", "")] = (row.header_rev, None)
        return revs


def _snapshot(row: JourneyRow, journey: Journey) -> JourneySnapshot:
    return JourneySnapshot(
        row.id, row.workspace_id, row.rev, row.header_rev, journey, row.created_at, row.updated_at
    )


# ---------------------------------------------------------------- the write path


def apply_ops(
    db: Database,
    journey_id: str,
    actor: str | None,
    ops: Sequence[OpIn | Mapping[str, Any]],
    base_rev: int,
    *,
    if_unchanged: bool = False,
    note: str | None = None,
) -> ApplyResult:
    """Apply a batch through the one write path (see the module docstring); returns after the
    commit. Raises JourneyNotFound, BadBatch, OpsRejected or StaleRevision, writing nothing."""
    batch = parse_batch(ops)
    if not batch:
        raise BadBatch("the batch is empty")
    with write_turn(db, journey_id), db.write() as uow:
        row = uow.journeys.lock(journey_id)
        if row is None or row.deleted_at is not None:
            raise JourneyNotFound(journey_id)
        return apply_locked(uow, row, actor, batch, base_rev, if_unchanged=if_unchanged, note=note)


def apply_locked(
    uow: UnitOfWork,
    row: JourneyRow,
    actor: str | None,
    batch: list[OpIn],
    base_rev: int,
    *,
    if_unchanged: bool = False,
    note: str | None = None,
) -> ApplyResult:
    """The write path inside a transaction that already holds the journey's lock."""
    if not 1 <= base_rev <= row.rev:
        raise BadBatch(f"base_rev {base_rev} is not a revision of this journey (1 to {row.rev})")
    known = uow.ops.revs_of(row.id, (o.op_id for o in batch))
    fresh = [o for o in batch if o.op_id not in known]
    acks = {o.op_id: OpAck(o.op_id, known[o.op_id], "duplicate") for o in batch if o.op_id in known}
    if not fresh:
        return ApplyResult(row.rev, "duplicate", [acks[o.op_id] for o in batch])
    later = uow.ops.between(row.id, base_rev) if base_rev < row.rev else []
    dumped = [dump_op(o.op) for o in fresh]
    if if_unchanged and later:
        changed = _touched_since(uow, row, dumped, base_rev)
        if changed:
            raise StaleRevision(row.rev, changed)
    before = uow.journeys.state(row)  # kept in process when it is this very revision
    try:
        after = apply_all(before.journey, [o.op for o in fresh])
    except OperationError as error:
        raise OpsRejected(error.message, error.hint) from None
    rev, ts = row.rev + 1, now()
    uow.journeys.save(row, before, after, rev, ts)
    entries = [(o.op_id, op) for o, op in zip(fresh, dumped, strict=True)]
    uow.ops.append(row.id, rev, actor, ts, entries, note)
    acks |= {o.op_id: OpAck(o.op_id, rev, "applied") for o in fresh}
    overwrites = _overwrites(fresh, dumped, later)
    return ApplyResult(rev, "applied", [acks[o.op_id] for o in batch], overwrites)


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


def _overwrites(
    fresh: list[OpIn], dumped: list[dict[str, Any]], later: list[Any]
) -> list[Overwrite]:
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


def _touched_since(
    uow: UnitOfWork, row: JourneyRow, dumped: list[dict[str, Any]], base_rev: int
) -> list[tuple[str, str]]:
    keys: list[tuple[str, str]] = []
    for op in dumped:
        if op.get("entity") == "journey":
            key = ("journey", "")
        elif op.get("id") is None:
            continue  # an add with a generated id touches nothing that exists
        else:
            key = (str(op["entity"]), str(op["id"]))
        if key not in keys:
            keys.append(key)
    revs = uow.journeys.entity_revs(row.id, [k for k in keys if k[0] != "journey"])
    revs[("journey", "")] = (row.header_rev, None)
    return [key for key in keys if revs.get(key, (0, None))[0] > base_rev]


def new_op_id(prefix: str = "srv") -> str:
    return f"{prefix}-{uuid.uuid4().hex}"
