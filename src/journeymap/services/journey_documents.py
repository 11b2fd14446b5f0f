"""One journey as a whole: reading it (its JSON, kept encoded per revision), exporting its file,
editing it with a batch of operations or by its own fields, and deleting it.

Reading needs a viewer (or the journey's share link); writing an editor. Every write goes
through the one write path (services/journeys.py) and is announced once committed. Changing
the journey's own fields names an ETag the caller read (If-Match, or `*`): refused (412, with
the journey now) when any of the journey's own fields changed since; edits to its stages and
cards in between do not stand in the way.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from pydantic_core import to_jsonable_python

from ..domain.limits import DEFAULT_LIMITS, JourneyLimits
from ..files.journey_file import render_text
from ..per_pool import PerPool
from . import preconditions
from .batches import ApplyResult, StaleRevision, new_op_id
from .entities import read_state
from .journey_library import journey_view
from .journeys import apply_ops, delete_journey, get_journey
from .policy import Principal, journey_access, signed_in
from .preconditions import IfMatch

if TYPE_CHECKING:
    from ..storage import Database

KEPT = 64  # journeys whose current JSON is kept encoded, per database


@dataclass(frozen=True)
class Encoded:
    rev: int
    body: bytes  # the journey's JSON at `rev`


class _EncodedJourneys:
    """A revision never changes, and loading and encoding 300 cards is most of a read's time:
    each journey's JSON is encoded once per revision."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.kept: dict[str, Encoded] = {}


_encoded_for = PerPool(_EncodedJourneys)


@dataclass(frozen=True)
class ExportedFile:
    rev: int
    name: str  # e.g. online-store-checkout.yaml
    text: str


def read_journey(db: Database, who: Principal, journey_id: str) -> Encoded:
    """The journey's JSON and its revision."""
    return encoded(db, journey_id, journey_access(db, who, journey_id, "viewer").rev)


def export_journey(
    db: Database, who: Principal, journey_id: str, as_json: bool = False
) -> ExportedFile:
    """The journey in the file format, ready to commit to git."""
    journey_access(db, who, journey_id, "viewer")
    snap = get_journey(db, journey_id)
    name = f"{snap.journey.id}.{'json' if as_json else 'yaml'}"
    return ExportedFile(snap.rev, name, render_text(snap.journey, as_json=as_json))


def edit_journey(
    db: Database,
    who: Principal,
    journey_id: str,
    ops: Sequence[Mapping[str, Any]],
    base_rev: int,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> ApplyResult:
    """Apply a batch of operations, all or none, as one new revision (editors), leaving the
    journey within `limits` (JourneyTooLarge otherwise)."""
    journey_access(db, who, journey_id, "editor")
    return apply_ops(db, journey_id, signed_in(who), ops, base_rev, limits=limits)


def update_journey(
    db: Database,
    who: Principal,
    journey_id: str,
    fields: Mapping[str, Any],
    if_match: IfMatch | None,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> Encoded:
    """Change the journey's own fields (a None clears one) as one new revision (editors)."""
    access = journey_access(db, who, journey_id, "editor")
    accepted = preconditions.required(if_match, access.rev).revs  # None: `*`

    def stale(rev: int) -> Exception:
        return preconditions.changed_since(
            if_match, rev, json.loads(encoded(db, journey_id, rev).body)
        )

    known = sorted(r for r in accepted or () if 1 <= r <= access.rev)
    if accepted is not None and not known:  # no ETag this journey ever had
        raise stale(access.rev)
    base = known[-1] if known else access.rev
    have = get_journey(db, journey_id).journey.model_dump(mode="json", include=set(fields))
    ops = [
        {"op_id": new_op_id(), "op": {"kind": "set", "entity": "journey", "field": k, "value": v}}
        for k, v in fields.items()
        if have.get(k) != v
    ]
    rev = access.rev
    if ops:
        try:
            actor = signed_in(who)
            guarded = accepted is not None
            rev = apply_ops(
                db, journey_id, actor, ops, base, if_unchanged=guarded, limits=limits
            ).rev
        except StaleRevision as error:
            raise stale(error.rev) from None
    return encoded(db, journey_id, rev)


def remove_journey(db: Database, who: Principal, journey_id: str, if_match: IfMatch | None) -> None:
    """Delete the journey (editors, If-Match its ETag); its history is kept."""
    journey_access(db, who, journey_id, "editor")
    delete_journey(db, journey_id, signed_in(who), if_match)


def encoded(db: Database, journey_id: str, rev: int) -> Encoded:
    """The journey's JSON at `rev`, or newer when it changed since the caller read `rev`."""
    cache = _encoded_for(db.engine.pool)
    with cache.lock:
        found = cache.kept.get(journey_id)
    if found is not None and found.rev == rev:
        return found
    state = read_state(db, journey_id)  # the journey and its items' revisions, read at once
    snap = state.snapshot
    view = to_jsonable_python(journey_view(snap, state.revs))
    made = Encoded(snap.rev, json.dumps(view, separators=(",", ":")).encode())
    with cache.lock:
        if len(cache.kept) >= KEPT:
            cache.kept.pop(next(iter(cache.kept)))
        cache.kept[journey_id] = made
    return made
