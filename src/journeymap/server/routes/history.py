"""A journey's history: who changed what and when, the journey at any revision, the diff of
two revisions, restoring a revision as a new one (nothing is lost), and named versions.

Anyone who may read the journey (viewers, and a share link to it) may read its history;
restoring and naming versions need an editor, and restoring needs `If-Match` (it changes the
journey, as every other such write does). A revision outside the journey's range is a 404
that names the range, so the client can correct it (services/history.py).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from ...services import history as history_service
from ...services.history import (
    DiffView,
    HistoryView,
    NamedVersion,
    RestoreView,
    RevisionDocumentView,
)
from ...services.preconditions import etag
from ..deps import DB, Bounds, Expect, Who
from ..schemas.common import MAX_INT
from ..schemas.history import (
    DiffPublic,
    HistoryPublic,
    RestoreIn,
    RestoreResult,
    RevisionDocument,
    RevisionMap,
    VersionIn,
    VersionPublic,
)

router = APIRouter(prefix="/api/journeys/{journey_id}", tags=["history"])
Rev = Annotated[
    int, Query(ge=1, le=MAX_INT, description="a revision, 1 (as created) to the current one")
]


@router.get("/history", response_model=HistoryPublic)
def history(
    journey_id: str,
    caller: Who,
    db: DB,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_INT, description="only revisions older than this")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> HistoryView:
    """Who changed the journey, when, and what: its revisions, newest first, a page at a time."""
    return history_service.history(db, caller, journey_id, before=before, limit=limit)


@router.get("/revisions/{rev}", response_model=RevisionDocument)
def revision(
    journey_id: str,
    rev: Annotated[int, Path(le=MAX_INT)],  # 0 or past the newest: 404, no such revision
    caller: Who,
    response: Response,
    db: DB,
) -> RevisionDocumentView:
    """The journey as it was right after revision `rev`."""
    found = history_service.revision(db, caller, journey_id, rev)
    response.headers["ETag"] = etag(rev)  # a past revision never changes
    return found


@router.get("/revisions/{rev}/map", response_model=RevisionMap)
def revision_map(
    journey_id: str,
    rev: Annotated[int, Path(le=MAX_INT)],
    caller: Who,
    response: Response,
    db: DB,
) -> RevisionDocumentView:
    """The journey as it was right after revision `rev`, in the shape of the journey document
    the map is drawn from (the web app's history view)."""
    found = history_service.revision_map(db, caller, journey_id, rev)
    response.headers["ETag"] = etag(rev)
    return found


@router.get("/diff", response_model=DiffPublic)
def diff(
    journey_id: str,
    caller: Who,
    db: DB,
    from_rev: Annotated[
        int, Query(alias="from", ge=1, le=MAX_INT, description="the older revision")
    ],
    to_rev: Annotated[
        int | None,
        Query(alias="to", ge=1, le=MAX_INT, description="the newer one; the current by default"),
    ] = None,
) -> DiffView:
    """What changed from one revision to another: stages, lanes, cards, ... added, removed,
    moved, renamed or changed, with each field before and after, and a readable summary."""
    return history_service.diff(db, caller, journey_id, from_rev, to_rev)


@router.post("/restore", response_model=RestoreResult)
def restore(
    journey_id: str, body: RestoreIn, caller: Who, db: DB, if_match: Expect, bounds: Bounds
) -> RestoreView:
    """Bring back the journey as it was at `rev`, as a new revision: nothing is lost, and the
    restore can itself be undone. Editors and owners; needs `If-Match` with the journey's ETag
    (428 without, 412 when stale). An `op_id` makes a retried restore apply once: a retry
    answers `duplicate`, even with the ETag that is stale now because the restore was made."""
    limits = bounds.limits.journey
    return history_service.restore(db, caller, journey_id, body.rev, if_match, body.op_id, limits)


@router.get("/versions", response_model=list[VersionPublic])
def versions(journey_id: str, caller: Who, db: DB) -> list[NamedVersion]:
    """The journey's named versions, e.g. "Workshop March", oldest first."""
    return history_service.versions(db, caller, journey_id)


@router.post("/versions", status_code=201, response_model=VersionPublic)
def name_version(journey_id: str, body: VersionIn, caller: Who, db: DB) -> NamedVersion:
    """Name a revision (the current one when `rev` is left out); names are unique per journey
    (409 for one in use). Editors and owners."""
    return history_service.add_version(db, caller, journey_id, body.name, body.rev)
