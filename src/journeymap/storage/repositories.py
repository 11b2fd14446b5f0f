"""Repositories: all the SQL. A UnitOfWork bundles them over one Session (one transaction);
`Database.write()` and `Database.read()` hand one out and own the commit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, event, func, insert, select, update
from sqlalchemy.orm import Session

from ..domain.model import Journey
from .access import AccessRepo
from .accounts import AccountRepo, CommentRepo, EvidenceRepo
from .invitations import InvitationRepo
from .journey_cache import JourneyCache, Stamp, cache_for, stamp_of
from .mapping import Flat, Key, Stored, advance, flatten, header_of, stored
from .models import EntityRow, JourneyRow, OpRow, VersionRow
from .persona_library import PersonaLibraryRepo
from .saved_views import SavedViewRepo
from .search_index import term, terms_of
from .sources import SourceRepo

_PENDING = "journeymap.journeys_to_cache"  # session.info: states to cache once committed


class JourneyRepo:
    def __init__(self, session: Session, dialect: str) -> None:
        self.session = session
        self.dialect = dialect
        self._locked: set[str] = set()  # journeys this transaction holds the lock of
        self._written: set[str] = set()  # ... and has written (not committed yet)

    def insert(
        self,
        journey_id: str,
        workspace_id: str,
        journey: Journey,
        actor: str | None,
        ts: dt.datetime,
    ) -> JourneyRow:
        row = JourneyRow(
            id=journey_id,
            workspace_id=workspace_id,
            rev=1,
            header_rev=1,
            created_by=actor,
            created_at=ts,
            updated_at=ts,
        )
        self._set_header(row, journey)
        self._index(row, journey)
        self.session.add(row)
        self.session.flush()  # the row first: no relationship() tells the ORM the order
        self.session.add_all(_entity_row(journey_id, f, 1) for f in flatten(journey).values())
        self.session.flush()
        return row

    def get(self, journey_id: str) -> JourneyRow | None:
        return self.session.get(JourneyRow, journey_id)

    def revs(self, journey_ids: Iterable[str]) -> dict[str, int]:
        """The current revision of each of these journeys (those that exist)."""
        ids = list(journey_ids)
        if not ids:
            return {}
        query = select(JourneyRow.id, JourneyRow.rev).where(JourneyRow.id.in_(ids))
        return dict(self.session.execute(query).tuples().all())

    def lock(self, journey_id: str) -> JourneyRow | None:
        """The journey's row, locked until the transaction ends: `SELECT ... FOR UPDATE` on
        PostgreSQL; on SQLite the write transaction already holds the database's write lock."""
        query = select(JourneyRow).where(JourneyRow.id == journey_id)
        if self.dialect == "postgresql":
            query = query.with_for_update()
        row = self.session.scalars(query.execution_options(populate_existing=True)).first()
        self._locked.add(journey_id)
        return row

    @property
    def cache(self) -> JourneyCache:
        return cache_for(self.session.get_bind().engine.pool)

    def state(self, row: JourneyRow) -> Stored:
        """The journey at the row's revision with its rows: kept in process when this process
        wrote or loaded that very revision (see journey_cache), else loaded from its rows."""
        stamp = stamp_of(row)
        found = self.cache.get(row.id, stamp)
        if found is not None:
            return found
        written = self.session.info.get(_PENDING, {}).get(row.id)
        if written is not None and written[0] == stamp:  # saved in this very transaction
            kept: Stored = written[1]  # (a group commit's next operation starts from it)
            return kept
        query = select(
            EntityRow.kind,
            EntityRow.entity_id,
            EntityRow.parent_id,
            EntityRow.order_key,
            EntityRow.deleted_rev,
            EntityRow.data,
        ).where(EntityRow.journey_id == row.id)
        flats = (
            Flat(k, i, p, o, d is not None, data)
            for k, i, p, o, d, data in self.session.execute(query)
        )
        state = stored(dict(row.header), flats)
        # Only a committed state is kept. Under the lock no one else can write the journey
        # meanwhile, on either engine (an unlocked read on PostgreSQL may see the row and the
        # entities at two moments); what this transaction wrote waits for its commit.
        if row.id in self._locked and row.id not in self._written:
            self.cache.put(row.id, stamp, state)
        return state

    def load(self, row: JourneyRow) -> Journey:
        """The journey as a domain object (tombstones included)."""
        return self.state(row).journey

    def entity_revs(
        self, journey_id: str, keys: Iterable[Key] | None = None
    ) -> dict[Key, tuple[int, int | None]]:
        """(updated_rev, deleted_rev) of every entity (or of those of `keys` that exist): their
        ETags and tombstones."""
        query = select(
            EntityRow.kind, EntityRow.entity_id, EntityRow.updated_rev, EntityRow.deleted_rev
        ).where(EntityRow.journey_id == journey_id)
        wanted = None if keys is None else set(keys)
        if wanted is not None:
            query = query.where(EntityRow.entity_id.in_(sorted({i for _, i in wanted})))
        revs = {(k, i): (u, d) for k, i, u, d in self.session.execute(query)}
        return revs if wanted is None else {k: v for k, v in revs.items() if k in wanted}

    def save(
        self, row: JourneyRow, before: Stored, after: Journey, rev: int, ts: dt.datetime
    ) -> Stored:
        """Write what changed from `before` (the row's state) to `after` as revision `rev`:
        changed entity rows get `updated_rev = rev` (and `deleted_rev` when tombstoned), each
        addressed by its key; returns the new state (its rows' order keys), which is cached
        once committed."""
        change = advance(before, after)
        new, same, tombstone = [], [], []
        for flat, was_deleted in change.written:
            values = {
                "journey_id": row.id,
                "kind": flat.kind,
                "entity_id": flat.entity_id,
                "parent_id": flat.parent_id,
                "order_key": flat.order_key,
                "data": flat.data,
                "updated_rev": rev,
            }
            if was_deleted is None:
                new.append({**values, "deleted_rev": rev if flat.deleted else None})
            elif flat.deleted != was_deleted:
                tombstone.append({**values, "deleted_rev": rev if flat.deleted else None})
            else:
                same.append(values)
        if new:
            self.session.execute(insert(EntityRow), new)
        for params in (same, tombstone):  # bulk UPDATEs by primary key, one per column set
            if params:
                self.session.execute(update(EntityRow), params)
        for kind, ident in change.removed:  # the domain keeps tombstones; never expected
            self.session.execute(
                delete(EntityRow).where(
                    EntityRow.journey_id == row.id,
                    EntityRow.kind == kind,
                    EntityRow.entity_id == ident,
                )
            )
        if change.header is not None:
            self._set_header(row, after)
            row.header_rev = rev
        if change.written or change.removed or change.header is not None:
            self._index(row, after)
        row.rev = rev
        row.updated_at = ts
        self.session.flush()
        self._written.add(row.id)
        self._cache_when_committed(row.id, stamp_of(row), change.state)
        return change.state

    def _cache_when_committed(self, journey_id: str, stamp: Stamp, state: Stored) -> None:
        pending = self.session.info.get(_PENDING)
        if pending is None:
            pending = self.session.info[_PENDING] = {}
            cache = self.cache
            event.listen(self.session, "after_commit", lambda _s: _publish(cache, pending))
            event.listen(self.session, "after_rollback", lambda _s: pending.clear())
        pending[journey_id] = (stamp, state)

    def mark_deleted(self, row: JourneyRow, ts: dt.datetime) -> None:
        """A tombstone: the journey is gone from every read, its rows and history are kept."""
        row.deleted_at = ts
        self.session.flush()

    def in_workspace(self, workspace_id: str) -> list[JourneyRow]:
        """The workspace's live journeys, newest change first."""
        query = select(JourneyRow).where(*_live_in(workspace_id))
        return list(self.session.scalars(query.order_by(JourneyRow.updated_at.desc())))

    def persona_uses(self, workspace_id: str) -> list[tuple[str, str, str]]:
        """(id, title, persona_ids) of the workspace's live journeys: which have which persona,
        without reading their search text."""
        query = select(JourneyRow.id, JourneyRow.title, JourneyRow.persona_ids)
        query = query.where(*_live_in(workspace_id)).order_by(JourneyRow.updated_at.desc())
        return [(i, t, p) for i, t, p in self.session.execute(query)]

    def search(self, workspace_id: str, q: LibraryQuery) -> tuple[list[JourneyRow], int]:
        """A page of the workspace's live journeys that match, and how many match in all."""
        where = _live_in(workspace_id)
        where += [_like(JourneyRow.search_text, w.lower()) for w in q.words]
        if q.persona:
            where.append(_like(JourneyRow.persona_terms, f"\n{term(q.persona)}\n"))
        if q.stage:
            where.append(_like(JourneyRow.stage_terms, f"\n{term(q.stage)}\n"))
        if q.status:
            where.append(JourneyRow.status == q.status)
        if q.state:
            where.append(JourneyRow.state == q.state)
        if q.owner:
            where.append(JourneyRow.owner_key == term(q.owner))
        total = self.session.scalar(select(func.count()).select_from(JourneyRow).where(*where))
        column, descending = _SORTS[q.sort]
        order = (column.desc() if descending else column, JourneyRow.id)
        query = select(JourneyRow).where(*where).order_by(*order).offset(q.offset).limit(q.limit)
        return list(self.session.scalars(query)), int(total or 0)

    @staticmethod
    def _index(row: JourneyRow, journey: Journey) -> None:
        for column, value in terms_of(journey).columns().items():
            setattr(row, column, value)

    @staticmethod
    def _set_header(row: JourneyRow, journey: Journey) -> None:
        row.header = header_of(journey)
        row.slug = journey.id
        row.title = journey.title
        row.status = journey.status.value
        row.state = journey.state.value
        row.owner = journey.owner


@dataclass(frozen=True)
class LibraryQuery:
    """What the journey library asks for: every word in `words` somewhere on the live map, a
    persona or stage by id or name, a status, state and owner, sorted, a page at a time."""

    words: tuple[str, ...] = ()
    persona: str | None = None
    stage: str | None = None
    status: str | None = None
    state: str | None = None
    owner: str | None = None
    sort: str = "updated"
    offset: int = 0
    limit: int = 50


_SORTS = {
    "updated": (JourneyRow.updated_at, True),
    "created": (JourneyRow.created_at, True),
    "title": (JourneyRow.title_key, False),
}


def _live_in(workspace_id: str) -> list[Any]:
    return [JourneyRow.workspace_id == workspace_id, JourneyRow.deleted_at.is_(None)]


def _like(column: Any, text: str) -> Any:
    """`column` holds `text` anywhere; the text's own % and _ are taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return column.like(f"%{escaped}%", escape="\\")


def _entity_row(journey_id: str, flat: Flat, rev: int) -> EntityRow:
    return EntityRow(
        journey_id=journey_id,
        kind=flat.kind,
        entity_id=flat.entity_id,
        parent_id=flat.parent_id,
        order_key=flat.order_key,
        data=flat.data,
        updated_rev=rev,
        deleted_rev=rev if flat.deleted else None,
    )


def _publish(cache: JourneyCache, pending: dict[str, tuple[Stamp, Stored]]) -> None:
    for journey_id, (stamp, state) in pending.items():
        cache.put(journey_id, stamp, state)
    pending.clear()


class OpLogRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def revs_of(self, journey_id: str, op_ids: Iterable[str]) -> dict[str, int]:
        """The revision each of these op_ids was applied in, for those already in the log."""
        ids = list(op_ids)
        if not ids:
            return {}
        query = select(OpRow.op_id, OpRow.rev).where(
            OpRow.journey_id == journey_id, OpRow.op_id.in_(ids)
        )
        return dict(self.session.execute(query).tuples().all())

    def append(
        self,
        journey_id: str,
        rev: int,
        actor: str | None,
        ts: dt.datetime,
        entries: Sequence[tuple[str, dict[str, Any]]],
        note: str | None = None,
    ) -> None:
        self.session.add_all(
            OpRow(
                journey_id=journey_id,
                rev=rev,
                seq=seq,
                op_id=op_id,
                actor=actor,
                op=op,
                note=note,
                ts=ts,
            )
            for seq, (op_id, op) in enumerate(entries)
        )
        self.session.flush()

    def between(self, journey_id: str, after_rev: int, upto_rev: int | None = None) -> list[OpRow]:
        """Ops with after_rev < rev <= upto_rev, in the order they were applied."""
        query = select(OpRow).where(OpRow.journey_id == journey_id, OpRow.rev > after_rev)
        if upto_rev is not None:
            query = query.where(OpRow.rev <= upto_rev)
        return list(self.session.scalars(query.order_by(OpRow.rev, OpRow.seq)))

    def recent_revs(self, journey_id: str, before_rev: int | None, limit: int) -> list[int]:
        query = select(OpRow.rev).where(OpRow.journey_id == journey_id).distinct()
        if before_rev is not None:
            query = query.where(OpRow.rev < before_rev)
        return list(self.session.scalars(query.order_by(OpRow.rev.desc()).limit(limit)))

    def in_revs(self, journey_id: str, revs: Sequence[int]) -> list[OpRow]:
        query = select(OpRow).where(OpRow.journey_id == journey_id, OpRow.rev.in_(list(revs)))
        return list(self.session.scalars(query.order_by(OpRow.rev.desc(), OpRow.seq)))

    def count_revs(self, journey_id: str) -> int:
        query = select(func.count(func.distinct(OpRow.rev))).where(OpRow.journey_id == journey_id)
        return int(self.session.scalar(query) or 0)


class VersionRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self, journey_id: str, rev: int, name: str, actor: str | None, ts: dt.datetime
    ) -> VersionRow:
        row = VersionRow(journey_id=journey_id, rev=rev, name=name, actor=actor, ts=ts)
        self.session.add(row)
        self.session.flush()
        return row

    def by_name(self, journey_id: str, name: str) -> VersionRow | None:
        query = select(VersionRow).where(VersionRow.journey_id == journey_id)
        return self.session.scalars(query.where(VersionRow.name == name)).first()

    def of(self, journey_id: str) -> list[VersionRow]:
        query = select(VersionRow).where(VersionRow.journey_id == journey_id)
        return list(self.session.scalars(query.order_by(VersionRow.rev.desc(), VersionRow.id)))


class UnitOfWork:
    """The repositories over one session: everything in one `with db.write()` block commits
    together, or not at all."""

    def __init__(self, session: Session, dialect: str) -> None:
        self.session = session
        self.dialect = dialect
        self.journeys = JourneyRepo(session, dialect)
        self.ops = OpLogRepo(session)
        self.versions = VersionRepo(session)
        self.accounts = AccountRepo(session)
        self.comments = CommentRepo(session)
        self.evidence = EvidenceRepo(session)
        self.access = AccessRepo(session)
        self.personas = PersonaLibraryRepo(session)
        self.invitations = InvitationRepo(session)
        self.saved_views = SavedViewRepo(session)
        self.sources = SourceRepo(session)
