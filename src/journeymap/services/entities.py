"""The entities of a journey one at a time (personas, channels, stages, steps, sections, lanes,
cards, emotion points), for the REST routes: read them with their revisions, and turn a
create, a patch or a delete into the domain operations of the one write path.

An entity's representation is its fields as a journey file holds them, less its children (a
stage's steps and a section's lanes are entities of their own), plus its parent for a step
(`stage`) and a lane (`section`): the same shape a create takes, so a client can read, change
and send back. Its revision is its row's `updated_rev`, which changes exactly when that
representation does.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.entities import BY_COLLECTION, CHILD, KIND, items, live_items, same_ids
from ..domain.errors import Problem
from ..domain.ids import new_id
from ..domain.limits import DEFAULT_LIMITS, JourneyLimits
from ..domain.model import Journey
from ..domain.operations import AddOp, DeleteOp, MoveOp, Operation, RenameOp, SetOp
from .batches import JourneyNotFound, OpIn, OpsRejected, new_op_id
from .entity_fields import EntityExists, FieldProblems, check_fields
from .journeys import JourneySnapshot, apply_ops
from .persona_library import library_fields

if TYPE_CHECKING:
    from ..storage.database import Database

# URL segment -> entity kind, in the order the API lists them.
COLLECTIONS: dict[str, str] = {segment: kind.name for segment, kind in BY_COLLECTION.items()}
PARENT: dict[str, str] = {kind.name: kind.parent for kind in KIND.values() if kind.parent}
CHILDREN: dict[str, str] = {parent: child.collection for parent, child in CHILD.items()}
_HIDDEN = {"order_key", "deleted", *CHILDREN.values()}
WORD: dict[str, str] = {kind.name: kind.word for kind in KIND.values() if kind.word != kind.name}


@dataclass(frozen=True)
class EntityView:
    entity: str
    id: str
    rev: int  # the entity's updated_rev: its ETag
    value: dict[str, Any]


@dataclass(frozen=True)
class JourneyState:
    """A journey and every entity's (updated_rev, deleted_rev), read in one transaction."""

    snapshot: JourneySnapshot
    revs: dict[tuple[str, str], tuple[int, int | None]]

    @property
    def journey(self) -> Journey:
        return self.snapshot.journey


def read_state(db: Database, journey_id: str) -> JourneyState:
    with db.read() as uow:
        row = uow.journeys.get(journey_id)
        if row is None or row.deleted_at is not None:
            raise JourneyNotFound(journey_id)
        snap = JourneySnapshot(
            row.id,
            row.workspace_id,
            row.rev,
            row.header_rev,
            uow.journeys.load(row),
            row.created_at,
            row.updated_at,
        )
        return JourneyState(snap, uow.journeys.entity_revs(journey_id))


# ---------------------------------------------------------------- reading


def all_items(journey: Journey, kind: str) -> list[tuple[str | None, Any]]:
    """(parent id, item) of every item of a kind, tombstones included."""
    return items(journey, kind)


def represent(kind: str, item: Any, parent: str | None) -> dict[str, Any]:
    value: dict[str, Any] = item.model_dump(mode="json", exclude=_HIDDEN)
    if kind in PARENT:
        value[PARENT[kind]] = parent
    return value


def view_of(state: JourneyState, kind: str, parent: str | None, item: Any) -> EntityView:
    rev = state.revs.get((kind, item.id), (state.snapshot.rev, None))[0]
    return EntityView(kind, item.id, rev, represent(kind, item, parent))


def views(state: JourneyState, kind: str) -> list[EntityView]:
    return [view_of(state, kind, p, it) for p, it in live_items(state.journey, kind)]


def find(state: JourneyState, kind: str, ident: str) -> EntityView | None:
    """The entity, unless there is none or it is deleted (a tombstone)."""
    for parent, item in all_items(state.journey, kind):
        if item.id == ident and not item.deleted:
            return view_of(state, kind, parent, item)
    return None


# ---------------------------------------------------------------- writing


def taken_ids(journey: Journey, kind: str) -> set[str]:
    """The ids a new entity of `kind` may not use (stages and steps share theirs)."""
    return {it.id for k in same_ids(kind) for _, it in all_items(journey, k)}


def add_ops(
    state: JourneyState,
    kind: str,
    body: Mapping[str, Any],
    before: str | None = None,
    after: str | None = None,
) -> tuple[str, list[OpIn]]:
    """(the new entity's id, the one operation that adds it); the id is the client's or a
    readable one made from the name or text. FieldProblems or EntityExists when refused."""
    value = dict(body)
    given = value.pop("id", None)
    if given is not None and not isinstance(given, str):
        raise FieldProblems([Problem(("id",), "expected text", "leave it out to get one made")])
    taken = taken_ids(state.journey, kind)
    if given is not None and given in taken:
        raise EntityExists(
            f"id '{given}' is taken in this journey; choose another id, or leave it out"
        )
    _refuse_children(kind, value)
    own = {k: v for k, v in value.items() if k != PARENT.get(kind)}
    _require_parent(kind, value)
    ident = given if given is not None else new_id(kind, own, taken)
    check_fields(kind, {**own, "id": ident})
    op = AddOp(entity=kind, id=ident, value=value, before=before, after=after)
    return ident, [OpIn(new_op_id(), op)]


def patch_ops(
    current: EntityView,
    body: Mapping[str, Any],
    before: str | None = None,
    after: str | None = None,
) -> list[OpIn]:
    """The operations that turn `current` into it with `body`'s fields: a rename for a name
    (a card's text), a move for a new place (a card's stage, step or lane, a step's stage, a
    lane's section, or `before`/`after`), a set for each other changed field. None when
    nothing changes."""
    kind, ident = current.entity, current.id
    changes = {k: v for k, v in body.items() if current.value.get(k, _ABSENT) != v}
    if "id" in changes:
        raise FieldProblems(
            [Problem(("id",), "an id cannot change", "add a new one and delete this one")]
        )
    if kind == "card" and "kind" in changes:
        raise FieldProblems(
            [Problem(("kind",), "a card's kind cannot change", "add a new card of that kind")]
        )
    _refuse_children(kind, changes)
    parent_word = PARENT.get(kind)
    if parent_word in changes:
        _require_parent(kind, changes)
    merged = {k: v for k, v in {**current.value, **changes}.items() if k != parent_word}
    check_fields(kind, merged)
    # A card's cell, a step's stage, a lane's section change by a move (an emotion point's
    # stage and step are fields it sets).
    place = set(KIND[kind].place) if kind == "card" or KIND[kind].parent else set()
    ops: list[Operation] = []
    for name, value in changes.items():
        if name in place:
            continue
        if name == KIND[kind].name_field and isinstance(value, str):
            ops.append(RenameOp(entity=kind, id=ident, name=value))
        else:
            ops.append(SetOp(entity=kind, id=ident, field=name, value=value))
    move = _move(current, changes, place)
    if move or before or after:
        ops.append(MoveOp(entity=kind, id=ident, before=before, after=after, **(move or {})))
    return [OpIn(new_op_id(), op) for op in ops]


def delete_ops(current: EntityView) -> list[OpIn]:
    op = DeleteOp(entity=current.entity, id=current.id)
    return [OpIn(new_op_id(), op)]


_ABSENT = object()


def _move(current: EntityView, changes: dict[str, Any], place: set[Any]) -> dict[str, Any]:
    """A move's new place, when `changes` names one."""
    moved = {k: changes[k] for k in place if k in changes}
    if not moved:
        return {}
    if current.entity != "card":
        return moved
    was = current.value
    stage = changes.get("stage", was["stage"])
    same_stage = stage == was["stage"]
    step = changes.get("step", was["step"] if same_stage else None)
    out = {"stage": stage, "step": step, "lane": changes.get("lane", was["lane"])}
    if "step" in changes and changes["step"] is not None and "stage" not in changes:
        out["stage"] = None  # the step says which stage
    return {k: v for k, v in out.items() if v is not None}


def _require_parent(kind: str, value: Mapping[str, Any]) -> None:
    word = PARENT.get(kind)
    if word is not None and not isinstance(value.get(word), str):
        raise FieldProblems(
            [Problem((word,), f"a {kind} needs its {word}", f"give `{word}`: the id of a {word}")]
        )


def _refuse_children(kind: str, value: Mapping[str, Any]) -> None:
    if kind in CHILDREN and CHILDREN[kind] in value:
        child = CHILDREN[kind]
        raise FieldProblems(
            [
                Problem(
                    (child,),
                    f"{child} are entities of their own",
                    f"add them with POST /api/journeys/{{id}}/{child}, naming this {kind}",
                )
            ]
        )


def create_entity(
    db: Database,
    journey_id: str,
    actor: str | None,
    kind: str,
    body: Mapping[str, Any],
    before: str | None = None,
    after: str | None = None,
    *,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> EntityView:
    """Add an entity through the one write path; the id made for it may be taken by someone
    else's add in the meantime, and then another one is made."""
    state = read_state(db, journey_id)
    if kind == "persona" and set(body) == {"id"}:
        body = library_fields(db, state.snapshot.workspace_id, str(body["id"])) or body
    for attempt in range(3):
        if attempt:
            state = read_state(db, journey_id)
        ident, ops = add_ops(state, kind, body, before, after)
        try:
            apply_ops(
                db, journey_id, actor, ops, state.snapshot.rev, if_unchanged=True, limits=limits
            )
        except OpsRejected:
            if "id" in body or attempt == 2:
                raise
            if ident not in taken_ids(read_state(db, journey_id).journey, kind):
                raise
            continue
        break
    made = find(read_state(db, journey_id), kind, ident)
    if made is None:  # pragma: no cover - deleted by someone else at once
        raise JourneyNotFound(journey_id)
    return made


def write(
    db: Database,
    journey_id: str,
    actor: str | None,
    state: JourneyState,
    ops: list[OpIn],
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> JourneyState:
    """Apply `ops`, refused with StaleRevision when an entity they touch changed after `state`
    was read (If-Match); the journey afterwards."""
    if ops:
        rev = state.snapshot.rev
        apply_ops(db, journey_id, actor, ops, rev, if_unchanged=True, limits=limits)
    return read_state(db, journey_id)
