"""History of a journey: the op log as pages of revisions, the journey at any revision, restoring
a revision as a new one, and named versions.

The op log is the history and is kept for good. Rev 1 holds the journey as created (the whole
document); every later revision is the batch of operations applied in it. The journey at rev N
is rev 1's document with the batches 2..N replayed through the domain's `apply_all`, which is
deterministic (generated ids and order keys depend only on the journey they are applied to), so
the replay gives back exactly what was stored. Restoring rev N computes the operations that
turn the current journey into the journey at N (`domain.diff.ops_to`) and applies them through
the one write path, as a new revision: nothing is lost, and the restore can itself be undone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.apply import apply_all
from ..domain.diff import diff as journey_diff
from ..domain.diff import ops_to
from ..domain.document import journey_to_data
from ..domain.limits import DEFAULT_LIMITS, JourneyLimits
from ..domain.model import Journey
from ..domain.wire import journey_document
from ..storage.mapping import journey_from_document
from . import preconditions
from .batches import (
    ApplyResult,
    BadBatch,
    JourneyNotFound,
    OpAck,
    OpIn,
    StaleRevision,
    load_op,
    new_op_id,
)
from .errors import Conflict, NotFound
from .journeys import announce, apply_locked, locked, now
from .policy import Principal, journey_access, sees_member_names, signed_in
from .preconditions import IfMatch
from .revision_summary import summarise

if TYPE_CHECKING:
    from ..storage.database import Database
    from ..storage.models import OpRow
    from ..storage.repositories import UnitOfWork


@dataclass(frozen=True)
class Revision:
    """One revision: who, when, and what (the operations, as logged)."""

    rev: int
    actor: str | None
    ts: dt.datetime
    note: str | None
    op_ids: list[str]
    ops: list[dict[str, Any]]


@dataclass(frozen=True)
class HistoryPage:
    revisions: list[Revision]  # newest first
    next_before: int | None  # pass as `before` for the next (older) page; None at the end


@dataclass(frozen=True)
class NamedVersion:
    name: str
    rev: int
    actor: str | None
    ts: dt.datetime


class VersionExists(Conflict):
    default_title = "Name in use"


def list_history(
    db: Database, journey_id: str, *, before: int | None = None, limit: int = 50
) -> HistoryPage:
    """Revisions newest first, `limit` a page, older than `before` when given."""
    limit = max(1, min(limit, 500))
    with db.read() as uow:
        _require(uow, journey_id)
        revs = uow.ops.recent_revs(journey_id, before, limit + 1)
        page, more = revs[:limit], len(revs) > limit
        rows = uow.ops.in_revs(journey_id, page)
    grouped: dict[int, list[OpRow]] = {}
    for r in rows:
        grouped.setdefault(r.rev, []).append(r)
    out = [
        Revision(
            rev,
            grouped[rev][0].actor,
            grouped[rev][0].ts,
            grouped[rev][0].note,
            [r.op_id for r in grouped[rev]],
            [r.op for r in grouped[rev]],
        )
        for rev in page
    ]
    return HistoryPage(out, page[-1] if more and page else None)


def journey_at(db: Database, journey_id: str, rev: int) -> Journey:
    """The journey as it was right after revision `rev`."""
    with db.read() as uow:
        return _replay(uow, journey_id, rev)


def _replay(uow: UnitOfWork, journey_id: str, rev: int) -> Journey:
    row = _require(uow, journey_id)
    if not 1 <= rev <= row.rev:
        raise BadBatch(f"revision {rev} does not exist (this journey has 1 to {row.rev})")
    rows = uow.ops.between(journey_id, 0, rev)
    first = rows[0].op
    if rows[0].rev != 1 or first.get("kind") != "create":
        raise RuntimeError(f"journey {journey_id}: the op log does not start with its creation")
    journey = journey_from_document(first["journey"])
    batch: list[Any] = []
    for n, r in enumerate(rows[1:], 1):
        batch.append(load_op(r.op))
        if n == len(rows) - 1 or rows[n + 1].rev != r.rev:
            journey = apply_all(journey, batch)
            batch = []
    return journey


def restore_revision(
    db: Database,
    journey_id: str,
    rev: int,
    actor: str | None,
    *,
    op_id: str | None = None,
    if_rev_in: Collection[int] | None = None,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> ApplyResult:
    """Make the journey as it was at `rev`, as a new revision (through the one write path). With
    nothing to change it writes nothing and answers the current revision. `op_id` (for the
    first operation; the others get `op_id.2`, ...) makes a retried restore idempotent.
    `if_rev_in` (the revisions an If-Match names): StaleRevision unless the journey is at one
    of them, checked under the lock so of two restores from the same revision one wins."""
    base = op_id or new_op_id("restore")
    with locked(db, journey_id) as (uow, row):
        done = uow.ops.revs_of(journey_id, [base])
        if done:  # a retry of a restore that was applied: its original answer
            return ApplyResult(row.rev, "duplicate", [OpAck(base, done[base], "duplicate")])
        if if_rev_in is not None and row.rev not in if_rev_in:
            raise StaleRevision(row.rev, [("journey", "")])
        then = _replay(uow, journey_id, rev)
        ops = ops_to(uow.journeys.load(row), then)
        if not ops:
            return ApplyResult(row.rev, "unchanged", [])
        batch = [OpIn(base if n == 0 else f"{base}.{n + 1}", op) for n, op in enumerate(ops)]
        note = f"restore rev {rev}"
        result = apply_locked(uow, row, actor, batch, row.rev, note=note, limits=limits)
    announce(db, journey_id, actor, result)
    return result


def name_version(
    db: Database, journey_id: str, name: str, actor: str | None, rev: int | None = None
) -> NamedVersion:
    """Name a revision (the current one by default), e.g. "Workshop March"."""
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise BadBatch("a version name is 1 to 200 characters")
    with db.write() as uow:
        row = _require(uow, journey_id)
        at = row.rev if rev is None else rev
        if not 1 <= at <= row.rev:
            raise BadBatch(f"revision {at} does not exist (this journey has 1 to {row.rev})")
        if uow.versions.by_name(journey_id, name) is not None:
            raise VersionExists(f"a version named '{name}' exists; choose another name")
        v = uow.versions.add(journey_id, at, name, actor, now())
        return NamedVersion(v.name, v.rev, v.actor, v.ts)


def list_versions(db: Database, journey_id: str) -> list[NamedVersion]:
    with db.read() as uow:
        _require(uow, journey_id)
        return [NamedVersion(v.name, v.rev, v.actor, v.ts) for v in uow.versions.of(journey_id)]


def _require(uow: UnitOfWork, journey_id: str) -> Any:
    row = uow.journeys.get(journey_id)
    if row is None or row.deleted_at is not None:
        raise JourneyNotFound(journey_id)
    return row


# ---------------------------------------------------------------- as a caller asks for it


@dataclass(frozen=True)
class RevisionView:
    rev: int
    actor: str | None
    actor_name: str | None  # None once deleted, and for a caller who may not see names
    ts: dt.datetime
    note: str | None
    op_ids: list[str]
    ops: list[dict[str, Any]]
    summary: str = ""  # one line a person can read (services/revision_summary.py)


@dataclass(frozen=True)
class HistoryView:
    items: list[RevisionView]
    next_before: int | None


@dataclass(frozen=True)
class RevisionDocumentView:
    id: str
    rev: int
    current_rev: int
    document: dict[str, Any]


@dataclass(frozen=True)
class DiffView:
    from_rev: int
    to_rev: int
    changed: bool
    diff: dict[str, Any]
    summary: list[str]


@dataclass(frozen=True)
class RestoreView:
    rev: int
    restored: int
    status: str


def history(
    db: Database, who: Principal, journey_id: str, before: int | None = None, limit: int = 50
) -> HistoryView:
    """Who changed the journey, when, and what (viewers and its share link; a share link is
    not told who: no member's id or name)."""
    journey_access(db, who, journey_id, "viewer")
    page = list_history(db, journey_id, before=before, limit=limit)
    members = sees_member_names(who)
    names = _names(db, {r.actor for r in page.revisions if r.actor}) if members else {}
    items = [
        RevisionView(
            r.rev,
            r.actor if members else None,
            names.get(r.actor or ""),
            r.ts,
            r.note,
            r.op_ids,
            r.ops,
            summarise(r.ops, r.note),
        )
        for r in page.revisions
    ]
    return HistoryView(items, page.next_before)


def revision(db: Database, who: Principal, journey_id: str, rev: int) -> RevisionDocumentView:
    """The journey as it was right after revision `rev`."""
    current = _check_rev(journey_access(db, who, journey_id, "viewer").rev, rev)
    document = journey_to_data(journey_at(db, journey_id, rev))
    return RevisionDocumentView(journey_id, rev, current, document)


def revision_map(db: Database, who: Principal, journey_id: str, rev: int) -> RevisionDocumentView:
    """The journey at `rev` as the map is drawn from it (the API's journey document, every
    field filled in), for the web app to show a past revision on its grid."""
    current = _check_rev(journey_access(db, who, journey_id, "viewer").rev, rev)
    document = journey_document(journey_at(db, journey_id, rev), lambda kind, ident: rev)
    return RevisionDocumentView(journey_id, rev, current, document)


def diff(
    db: Database, who: Principal, journey_id: str, from_rev: int, to_rev: int | None = None
) -> DiffView:
    """What changed from one revision to another (the current one by default)."""
    current = _check_rev(journey_access(db, who, journey_id, "viewer").rev, from_rev)
    to = current if to_rev is None else to_rev
    _check_rev(current, to)
    changes = journey_diff(journey_at(db, journey_id, from_rev), journey_at(db, journey_id, to))
    return DiffView(from_rev, to, bool(changes), changes.to_json(), changes.summary())


def restore(
    db: Database,
    who: Principal,
    journey_id: str,
    rev: int,
    if_match: IfMatch | None,
    op_id: str | None = None,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> RestoreView:
    """Bring back revision `rev` as a new one (editors, If-Match the journey's ETag). A retry
    with the same `op_id` answers `duplicate`, even with the ETag the restore made stale."""
    current = _check_rev(journey_access(db, who, journey_id, "editor").rev, rev)
    accepted = preconditions.required(if_match, current)
    try:
        done = restore_revision(
            db,
            journey_id,
            rev,
            signed_in(who),
            op_id=op_id,
            if_rev_in=accepted.revs,
            limits=limits,
        )
    except StaleRevision as stale:
        raise preconditions.changed_since(accepted, stale.rev, {"rev": stale.rev}) from None
    return RestoreView(done.rev, rev, done.status)


def versions(db: Database, who: Principal, journey_id: str) -> list[NamedVersion]:
    """The journey's named versions (a share link is not told who named them)."""
    journey_access(db, who, journey_id, "viewer")
    found = list_versions(db, journey_id)
    if sees_member_names(who):
        return found
    return [NamedVersion(v.name, v.rev, None, v.ts) for v in found]


def add_version(
    db: Database, who: Principal, journey_id: str, name: str, rev: int | None = None
) -> NamedVersion:
    """Name a revision (the current one by default); editors."""
    current = journey_access(db, who, journey_id, "editor").rev
    if rev is not None:
        _check_rev(current, rev)
    return name_version(db, journey_id, name, signed_in(who), rev)


def _check_rev(current: int, rev: int) -> int:
    """`current`, the journey's revision (as the role check read it); 404 naming the range when
    `rev` is outside it. (Revisions only grow, so a revision found here still exists when it
    is read.)"""
    if not 1 <= rev <= current:
        raise NotFound(
            f"revision {rev} does not exist: this journey has revisions 1 to {current}",
            title="No such revision",
            revisions={"first": 1, "last": current},
        )
    return current


def _names(db: Database, user_ids: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    with db.read() as uow:
        for user_id in user_ids:
            user = uow.accounts.user(user_id)
            if user is not None:
                names[user_id] = user.display_name
    return names
