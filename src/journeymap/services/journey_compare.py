"""Two journeys side by side: a current map and its future state (or any two the caller reads).

The comparison is the revision diff (domain/diff.py) applied to two journeys instead of two
revisions of one: a future-state map is a copy that keeps every entity's id, so a card the
team kept, moved or edited is recognised as the same card. On top of the diff, what a
future-state review asks first: the touchpoints added, removed and changed, and the pain
points resolved. A pain point counts as resolved in the newer map when it is gone from it, when
it is tagged `resolved` there, or when an opportunity there that lists it is `done`.

`counterparts` finds the other half of the pair: a future map names its current map
(`current_journey`); a current map is improved by the future maps that name it. Only the ones
the caller may read are told.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..domain.diff import JourneyDiff
from ..domain.diff import diff as journey_diff
from ..domain.snapshot import Item, Snapshot, snapshot
from .errors import NotFound
from .journeys import JourneySnapshot, get_journey
from .policy import Principal, journey_access

if TYPE_CHECKING:
    from ..storage.database import Database

RESOLVED_TAG = "resolved"
# Header fields that differ between any two journeys by design: not a change worth listing.
_SAME_BY_DESIGN = frozenset({"id", "title", "state", "current_journey", "status"})


@dataclass(frozen=True)
class JourneyRef:
    id: str
    title: str
    state: str
    rev: int


@dataclass(frozen=True)
class CardChange:
    id: str
    label: str
    stage: str  # the stage's name where the card is (or was, when removed)
    changes: list[str]  # added | removed | restored | moved | renamed | changed


@dataclass(frozen=True)
class ResolvedPain:
    id: str
    label: str
    stage: str
    how: str  # a phrase: "removed from the future state", "marked resolved", ...


@dataclass(frozen=True)
class CompareView:
    from_journey: JourneyRef
    to_journey: JourneyRef
    changed: bool
    diff: dict[str, Any]
    summary: list[str]
    touchpoints_added: list[CardChange]
    touchpoints_removed: list[CardChange]
    touchpoints_changed: list[CardChange]
    pain_points_resolved: list[ResolvedPain]


@dataclass(frozen=True)
class Counterparts:
    current: JourneyRef | None  # a future map's current map
    futures: list[JourneyRef]  # a current map's future states, the one changed last first


def compare(db: Database, who: Principal, from_id: str, to_id: str) -> CompareView:
    """What changed from journey `from_id` to journey `to_id`; the caller reads both (a
    journey they cannot read is a 404, as if it did not exist)."""
    journey_access(db, who, from_id, "viewer")
    journey_access(db, who, to_id, "viewer")
    before, after = get_journey(db, from_id), get_journey(db, to_id)
    return _compare(before, after)


def compare_pair(db: Database, who: Principal, journey_id: str) -> CompareView:
    """A future map against its current map, or a current map against its future state
    changed last: always from the current to the future."""
    pair = counterparts(db, who, journey_id)
    if pair.current is not None:
        return compare(db, who, pair.current.id, journey_id)
    if pair.futures:
        return compare(db, who, journey_id, pair.futures[0].id)
    raise NotFound(
        f"journey '{journey_id}' has no counterpart to compare with: create its future state "
        "(POST /api/journeys/{id}/future-state), or name the other journey "
        "(GET /api/journeys/{id}/compare/{other_id})",
        title="Nothing to compare with",
    )


def counterparts(db: Database, who: Principal, journey_id: str) -> Counterparts:
    """The other half of a current/future pair, as far as the caller may read it."""
    journey_access(db, who, journey_id, "viewer")
    found = get_journey(db, journey_id)
    journey = found.journey
    if journey.current_journey:
        current = _readable(db, who, journey.current_journey)
        return Counterparts(current, [])
    with db.read() as uow:
        rows = [
            r
            for r in uow.journeys.in_workspace(found.workspace_id)
            if r.deleted_at is None
            and r.state == "future"
            and (r.header or {}).get("current_journey") == journey_id
        ]
    rows.sort(key=lambda r: r.updated_at, reverse=True)
    refs = [_readable(db, who, r.id) for r in rows]
    return Counterparts(None, [r for r in refs if r is not None])


def _readable(db: Database, who: Principal, journey_id: str) -> JourneyRef | None:
    try:
        journey_access(db, who, journey_id, "viewer")
        found = get_journey(db, journey_id)
    except NotFound:
        return None
    return _ref(found)


def _ref(found: JourneySnapshot) -> JourneyRef:
    j = found.journey
    return JourneyRef(found.id, j.title, str(j.state.value), found.rev)


def _compare(first: JourneySnapshot, second: JourneySnapshot) -> CompareView:
    before, after = first.journey, second.journey
    raw = journey_diff(before, after)
    kept = tuple(f for f in raw.journey if f.field not in _SAME_BY_DESIGN)
    lines = [line for f, line in zip(raw.journey, raw.lines, strict=False) if f in kept]
    lines += raw.lines[len(raw.journey) :]
    changes = JourneyDiff(kept, raw.changes, tuple(lines))
    old, new = snapshot(before), snapshot(after)
    kinds: dict[str, list[str]] = {}
    for c in changes.of("card"):
        kinds.setdefault(c.id, []).append(c.change)
    added, removed, edited = [], [], []
    for ident, what in kinds.items():
        item = new.items["card"].get(ident) or old.items["card"][ident]
        if item.data.get("kind") != "touchpoint":
            continue
        snap = new if ident in new.items["card"] else old
        change = CardChange(ident, item.label, _stage(snap, item), what)
        if "removed" in what:
            removed.append(change)
        elif "added" in what or "restored" in what:
            added.append(change)
        else:
            edited.append(change)
    return CompareView(
        _ref(first),
        _ref(second),
        bool(changes),
        changes.to_json(),
        changes.summary(),
        added,
        removed,
        edited,
        resolved_pains(old, new),
    )


def resolved_pains(old: Snapshot, new: Snapshot) -> list[ResolvedPain]:
    """The pain points of `old` that `new` resolves: gone, tagged resolved, or eased by an
    opportunity that is done (and was not done, or not there, in `old`)."""
    done_by: dict[str, str] = {}
    for item in new.items["card"].values():
        if item.data.get("kind") != "opportunity" or item.data.get("status") != "done":
            continue
        was = old.items["card"].get(item.id)
        was_done = was is not None and was.data.get("status") == "done"
        for pain in item.data.get("pain_points") or []:
            if not (was_done and pain in (was.data.get("pain_points") or [] if was else [])):
                done_by.setdefault(pain, item.label)
    out: list[ResolvedPain] = []
    for ident, item in old.items["card"].items():
        if item.data.get("kind") != "pain_point":
            continue
        now = new.items["card"].get(ident)
        if now is None:
            how = "removed from the newer map"
        elif RESOLVED_TAG in (now.data.get("tags") or []) and RESOLVED_TAG not in (
            item.data.get("tags") or []
        ):
            how = "marked resolved"
        elif ident in done_by:
            how = f"eased by the done opportunity '{done_by[ident]}'"
        else:
            continue
        out.append(ResolvedPain(ident, item.label, _stage(old, item), how))
    return out


def _stage(snap: Snapshot, item: Item) -> str:
    stage = item.place[0] if item.place else None
    return str(snap.name("stage", stage) or "")
