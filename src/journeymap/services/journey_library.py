"""A workspace's journeys: finding them (the library), and making new ones from a template, a
stage framework or a journey file, or as a copy of another: a duplicate, or a future-state map
of a current one.

Finding needs a member; making needs an editor of the workspace the journey goes to (a copy
needs only to read the journey it copies). Every new journey goes through the write path's
`create_journey`, and so is announced once it is committed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..domain.document import journey_from_data, journey_to_data
from ..domain.errors import JourneyInvalid
from ..domain.limits import DEFAULT_LIMITS, JourneyLimits, check_size
from ..domain.model import Journey, State, Status
from ..domain.wire import journey_document
from ..storage.library_details import Details, library_details
from ..storage.repositories import LibraryQuery
from .documents import read_document
from .errors import Invalid
from .journeys import JourneySnapshot, create_journey, get_journey
from .limits import Slots
from .policy import Principal, journey_access, signed_in, workspace_role
from .templates import NewJourneyError, new_journey

if TYPE_CHECKING:
    from ..storage import Database
    from ..storage.models import JourneyRow


Revs = Mapping[tuple[str, str], tuple[int, int | None]]


@dataclass(frozen=True)
class JourneyView:
    id: str
    workspace_id: str
    rev: int
    document: dict[str, Any]  # the journey as the API sends it (domain/wire.py)


@dataclass(frozen=True)
class JourneySummary:
    id: str
    workspace_id: str
    slug: str
    title: str
    status: str
    state: str
    owner: str | None
    rev: int
    updated_at: dt.datetime
    personas: list[str] = field(default_factory=list)  # the live personas' names, in order
    review_by: dt.date | None = None
    last_editor: str | None = None  # who made the last change (None: the CLI, or gone)


@dataclass(frozen=True)
class LibraryPage:
    items: list[JourneySummary]
    total: int  # every match, not only this page's
    offset: int
    limit: int


def journey_view(snap: JourneySnapshot, revs: Revs | None = None) -> JourneyView:
    """The journey as the API sends it: each item with its order key and `updated_rev` from
    `revs` ((kind, id) -> (updated_rev, deleted_rev), read with `snap`); a journey just made
    has every item at its first revision."""

    def rev_of(kind: str, ident: str) -> int:
        if kind == "journey":
            return snap.header_rev
        return (revs or {}).get((kind, ident), (snap.rev, None))[0]

    return JourneyView(snap.id, snap.workspace_id, snap.rev, journey_document(snap.journey, rev_of))


def search(db: Database, who: Principal, workspace_id: str, **asked: Any) -> LibraryPage:
    """The workspace's journeys with every word of `words` somewhere on the live map, and the
    persona, stage, status, state and owner asked for, sorted, a page at a time (members; the
    fields are `LibraryQuery`'s)."""
    workspace_role(db, who, workspace_id, "viewer")
    query = LibraryQuery(**asked)
    with db.read() as uow:
        rows, total = uow.journeys.search(workspace_id, query)
        details = library_details(uow.session, [r.id for r in rows])
        items = [_summary(r, details[r.id]) for r in rows]
    return LibraryPage(items, total, query.offset, query.limit)


def make_journey(
    db: Database,
    who: Principal,
    workspace_id: str,
    *,
    template: str | None = None,
    framework: str | None = None,
    document: str | None = None,
    title: str | None = None,
    slots: Slots | None = None,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> JourneyView:
    """A new journey from a template, a framework, or a journey file's text (editors): a text
    is parsed in one of `slots` (Busy when none comes free in time) and held to `limits`."""
    workspace_role(db, who, workspace_id, "editor")
    try:
        if document is not None:
            journey = read_document(document, "document", None, slots, limits)
        else:
            journey = new_journey(template=template, framework=framework)
    except NewJourneyError as error:
        raise Invalid(str(error), title="Cannot make the journey") from None
    if title:
        journey = journey.model_copy(update={"title": title})
    return journey_view(create_journey(db, workspace_id, journey, signed_in(who)))


def import_file(
    db: Database,
    who: Principal,
    workspace_id: str,
    upload: Callable[[], tuple[str, bytes]],
    title: str | None = None,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> JourneyView:
    """A journey file (YAML or JSON) as a new journey (editors): `upload()` gives its name and
    bytes, read once the caller may import (the caller holds a parse slot). Every problem in it
    is listed with its line and column; past `limits` it is JourneyTooLarge."""
    workspace_role(db, who, workspace_id, "editor")
    name, data = upload()
    journey = read_document(data, name, None, None, limits)
    if title:
        journey = journey.model_copy(update={"title": title})
    made = create_journey(db, workspace_id, journey, signed_in(who), note="import")
    return journey_view(made)


def copy_journey(
    db: Database,
    who: Principal,
    journey_id: str,
    *,
    future: bool = False,
    title: str | None = None,
    workspace_id: str | None = None,
    limits: JourneyLimits = DEFAULT_LIMITS,
) -> JourneyView:
    """A duplicate titled '... (copy)', or (`future`) a draft future-state map whose
    `current_journey` is this one: to design the improved experience beside it. The caller
    reads the journey and edits the workspace it goes to (its own by default)."""
    source_ws = journey_access(db, who, journey_id, "viewer").workspace
    target_ws = workspace_id or source_ws
    workspace_role(db, who, target_ws, "editor")
    source = get_journey(db, journey_id).journey
    if future and source.state is State.future:
        hint = f", or make one from its current map '{source.current_journey}'"
        raise Invalid(
            f"journey '{journey_id}' is a future-state map; duplicate it instead" + hint,
            title="Already a future state",
        )
    suffix = " (future state)" if future else " (copy)"
    update: dict[str, Any] = {
        "id": _id_with(source.id, "future" if future else "copy"),
        "title": title or (source.title[: 200 - len(suffix)] + suffix),
    }
    if future:
        update |= {"state": State.future, "current_journey": journey_id, "status": Status.draft}
    journey = _live_copy(source).model_copy(update=update)
    check_size(journey, limits)
    note = f"{'future state' if future else 'copy'} of {journey_id}"
    return journey_view(create_journey(db, target_ws, journey, signed_in(who), note=note))


def _live_copy(journey: Journey) -> Journey:
    """The journey as its file holds it: deleted items are left behind, order keys fresh
    (as it is, tombstones and all, should its file not load back)."""
    try:
        return journey_from_data(journey_to_data(journey))
    except JourneyInvalid:  # pragma: no cover - a saved journey always loads back
        return journey


def _id_with(ident: str, word: str) -> str:
    return f"{ident[: 63 - len(word)]}-{word}"


def _summary(row: JourneyRow, details: Details | None = None) -> JourneySummary:
    review_by = (row.header or {}).get("review_by")
    return JourneySummary(
        row.id,
        row.workspace_id,
        row.slug,
        row.title,
        row.status,
        row.state,
        row.owner,
        row.rev,
        row.updated_at,
        details.personas if details else [],
        dt.date.fromisoformat(review_by) if isinstance(review_by, str) else None,
        details.last_editor if details else None,
    )
