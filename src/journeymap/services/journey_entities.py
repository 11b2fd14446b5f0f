"""A journey's entities one at a time, as the REST API asks for them: read them with their
revisions (viewers and the journey's share link), add, change and delete them (editors).

Every write is a batch of domain operations through the one write path (services/entities.py
builds them). An entity's ETag is its `updated_rev`; changing or deleting one names it
(If-Match): 428 without, 412 with a stale one, with the entity as it is now. Two writers
holding the same ETag: the first wins, the second gets 412 (the check is made again under the
journey's lock, so it holds between the read and the write).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.limits import DEFAULT_LIMITS, JourneyLimits
from . import entities, preconditions
from .batches import OpIn, StaleRevision
from .entities import WORD, EntityView, JourneyState
from .errors import NotFound, Stale
from .policy import Principal, journey_access, signed_in
from .preconditions import IfMatch, etag

if TYPE_CHECKING:
    from ..storage import Database


@dataclass(frozen=True)
class EntityListView:
    rev: int  # the journey's
    items: list[EntityView]


def entity_list(db: Database, who: Principal, journey_id: str, kind: str) -> EntityListView:
    """The journey's entities of a kind, in map order."""
    journey_access(db, who, journey_id, "viewer")
    state = entities.read_state(db, journey_id)
    return EntityListView(state.snapshot.rev, entities.views(state, kind))


def entity(db: Database, who: Principal, journey_id: str, kind: str, ident: str) -> EntityView:
    journey_access(db, who, journey_id, "viewer")
    return found(entities.read_state(db, journey_id), kind, ident)


def add_entity(
    db: Database,
    who: Principal,
    journey_id: str,
    kind: str,
    body: Mapping[str, Any],
    before: str | None = None,
    after: str | None = None,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> EntityView:
    """Add one (editors); its id is the client's, or one made from its name or text."""
    journey_access(db, who, journey_id, "editor")
    return entities.create_entity(
        db, journey_id, signed_in(who), kind, body, before, after, limits=limits
    )


def change_entity(
    db: Database,
    who: Principal,
    journey_id: str,
    kind: str,
    ident: str,
    body: Mapping[str, Any],
    if_match: IfMatch | None,
    before: str | None = None,
    after: str | None = None,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> EntityView:
    """Change its fields, or move it (editors)."""
    journey_access(db, who, journey_id, "editor")
    state = _guarded_write(
        db,
        who,
        journey_id,
        kind,
        ident,
        if_match,
        lambda current: entities.patch_ops(current, body, before, after),
        limits,
    )
    return found(state, kind, ident)


def delete_entity(
    db: Database,
    who: Principal,
    journey_id: str,
    kind: str,
    ident: str,
    if_match: IfMatch | None,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> None:
    """Delete it (editors); its history is kept."""
    journey_access(db, who, journey_id, "editor")
    _guarded_write(db, who, journey_id, kind, ident, if_match, entities.delete_ops, limits)


def found(state: JourneyState, kind: str, ident: str) -> EntityView:
    view = entities.find(state, kind, ident)
    if view is None:
        raise NotFound(f"this journey has no {WORD.get(kind, kind)} '{ident}'")
    return view


def _guarded_write(
    db: Database,
    who: Principal,
    journey_id: str,
    kind: str,
    ident: str,
    if_match: IfMatch | None,
    build: Callable[[EntityView], list[OpIn]],
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> JourneyState:
    """Read, check If-Match against the entity's ETag, build the operations, write them (the
    check repeated under the lock); the journey's state afterwards."""
    state = entities.read_state(db, journey_id)
    current = found(state, kind, ident)
    preconditions.check(if_match, current.rev, current)
    ops = build(current)
    try:
        return entities.write(db, journey_id, signed_in(who), state, ops, limits)
    except StaleRevision:
        raise _lost(db, journey_id, kind, ident) from None


def _lost(db: Database, journey_id: str, kind: str, ident: str) -> Stale:
    """412 for a write that lost the race after its If-Match check, with what won."""
    view = entities.find(entities.read_state(db, journey_id), kind, ident)
    if view is None:
        return Stale(f"someone deleted {WORD.get(kind, kind)} '{ident}' since you read it")
    return Stale(
        f"someone changed it since you read it; it is now {etag(view.rev)}: merge your change "
        "into the current version below and send it again with the new ETag",
        rev=view.rev,
        current=view,
        headers={"ETag": etag(view.rev)},
    )
