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

Size: the journey after the batch must be within the journey limits (domain/limits.py, the
process's own, passed in as `limits`), checked before anything is written, at the batch's cost
(services/journey_size.py); past one, JourneyTooLarge names it and nothing is written.

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

Every change, also one that is no batch (a journey made, deleted, or given new evidence), is
announced once it is committed: a `JourneyChanged` to the database's subscribers
(services/journey_changes.py), which the live editor's rooms hear. Never before the commit,
and never for a write that was refused or rolled back.

These functions take a `Database` and own their transaction (`with db.write()`); the code
inside never commits: the unit of work does, when the block ends.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.apply import apply_all
from ..domain.errors import OperationError
from ..domain.limits import DEFAULT_LIMITS, JourneyLimits
from ..domain.model import Journey
from ..storage.accounts import new_key
from ..storage.journey_cache import stamp_of
from ..storage.mapping import journey_document
from . import journey_size, preconditions
from .batches import (
    ApplyResult,
    BadBatch,
    JourneyNotFound,
    OpAck,
    OpIn,
    OpsRejected,
    StaleRevision,
    applied_places,
    dump_op,
    overwrites,
    parse_batch,
)
from .journey_changes import JourneyChanged, publish
from .persona_library import fill_from_library, named_only
from .preconditions import IfMatch
from .write_queue import write_turn

if TYPE_CHECKING:
    from ..storage.database import Database
    from ..storage.models import JourneyRow
    from ..storage.repositories import UnitOfWork


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
    ts = now()
    ident = journey_id or new_key()
    with db.write() as uow:
        if any(named_only(p) for p in journey.personas):  # `personas: [hannah]`
            library = ((r.persona_id, r.data) for r in uow.personas.of(workspace_id))
            journey = fill_from_library(journey, library)
        row = uow.journeys.insert(ident, workspace_id, journey, actor, ts)
        op = {"kind": "create", "journey": journey_document(journey)}
        uow.ops.append(ident, 1, actor, ts, [(op_id or f"create-{ident}", op)], note)
        made = _snapshot(row, journey)
    publish(db, JourneyChanged(ident, made.rev, actor, "created"))
    return made


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
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> ApplyResult:
    """Apply a batch through the one write path (see the module docstring); returns after the
    commit. Raises JourneyNotFound, BadBatch, OpsRejected, StaleRevision or JourneyTooLarge,
    writing nothing."""
    batch = parse_batch(ops)
    if not batch:
        raise BadBatch("the batch is empty")
    with locked(db, journey_id) as (uow, row):
        done = apply_locked(
            uow, row, actor, batch, base_rev, if_unchanged=if_unchanged, note=note, limits=limits
        )
    announce(db, journey_id, actor, done)
    return done


@contextmanager
def locked(db: Database, journey_id: str) -> Iterator[tuple[UnitOfWork, JourneyRow]]:
    """A write transaction holding the journey's lock (this process's writers of it queue
    first), with its row; JourneyNotFound when there is none or it is deleted. Commits when
    the block ends; whoever wrote then announces the change (`announce`, `publish`)."""
    with write_turn(db, journey_id), db.write() as uow:
        row = uow.journeys.lock(journey_id)
        if row is None or row.deleted_at is not None:
            raise JourneyNotFound(journey_id)
        yield uow, row


def announce(db: Database, journey_id: str, actor: str | None, done: ApplyResult) -> None:
    """After the commit: a batch that changed the journey is published, once."""
    if done.status == "applied":
        publish(db, JourneyChanged(journey_id, done.rev, actor, "ops", done.logged))


def delete_journey(
    db: Database, journey_id: str, actor: str | None, if_match: IfMatch | None
) -> None:
    """Delete the journey (a tombstone: its history is kept), If-Match its ETag."""
    with locked(db, journey_id) as (uow, row):
        rev = row.rev
        preconditions.check(if_match, rev, {"rev": rev})
        uow.journeys.mark_deleted(row, now())
    publish(db, JourneyChanged(journey_id, rev, actor, "deleted"))


def apply_locked(
    uow: UnitOfWork,
    row: JourneyRow,
    actor: str | None,
    batch: list[OpIn],
    base_rev: int,
    *,
    if_unchanged: bool = False,
    note: str | None = None,
    limits: JourneyLimits = DEFAULT_LIMITS,
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
        refused = fresh[error.index].op_id if error.index is not None else None
        raise OpsRejected(error.message, error.hint, refused) from None
    cache, stamp = uow.journeys.cache, stamp_of(row)
    ops = [o.op for o in fresh]
    size = journey_size.check_batch(
        cache, row.id, stamp, before.journey, after, ops, dumped, limits
    )
    rev, ts = row.rev + 1, now()
    state = uow.journeys.save(row, before, after, rev, ts)
    journey_size.remember(cache, row.id, stamp_of(row), size)
    entries = [(o.op_id, op) for o, op in zip(fresh, dumped, strict=True)]
    uow.ops.append(row.id, rev, actor, ts, entries, note)
    acks |= {o.op_id: OpAck(o.op_id, rev, "applied") for o in fresh}
    placed = applied_places(dumped, before.flats, state.flats)
    logged = tuple(
        {"op_id": op_id, "op": op, "applied": where}
        for (op_id, op), where in zip(entries, placed, strict=True)
    )
    return ApplyResult(
        rev, "applied", [acks[o.op_id] for o in batch], overwrites(fresh, dumped, later), logged
    )


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
