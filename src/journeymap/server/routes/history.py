"""A journey's history: who changed what and when, the journey at any revision, the diff of
two revisions, restoring a revision as a new one (nothing is lost), and named versions.

Anyone who may read the journey (viewers, and a share link to it) may read its history;
restoring and naming versions need an editor, and restoring needs `If-Match` (it changes the
journey, as every other such write does). A revision outside the journey's range is a 404
that names the range, so the client can correct it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from ..access import Caller, identify, journey_role, signed_in
from ..http import ProblemError, changed_since, etag, if_match_revs
from ..schemas.common import MAX_INT
from ..schemas.history import (
    DiffPublic,
    HistoryPublic,
    RestoreIn,
    RestoreResult,
    RevisionDocument,
    RevisionPublic,
    VersionIn,
    VersionPublic,
)
from .journeys import service_errors

router = APIRouter(prefix="/api/journeys/{journey_id}", tags=["history"])
Who = Annotated[Caller, Depends(identify)]
Rev = Annotated[
    int, Query(ge=1, le=MAX_INT, description="a revision, 1 (as created) to the current one")
]


@router.get("/history", response_model=HistoryPublic)
def history(
    journey_id: str,
    caller: Who,
    request: Request,
    before: Annotated[
        int | None, Query(ge=1, le=MAX_INT, description="only revisions older than this")
    ] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> HistoryPublic:
    """Who changed the journey, when, and what: its revisions, newest first, a page at a time."""
    from ...services.history import list_history

    journey_role(request, caller, journey_id, "viewer")
    db = request.app.state.db
    with service_errors():
        page = list_history(db, journey_id, before=before, limit=limit)
    names = _names(request, {r.actor for r in page.revisions if r.actor})
    items = [
        RevisionPublic(
            rev=r.rev,
            actor=r.actor,
            actor_name=names.get(r.actor or ""),
            ts=r.ts,
            note=r.note,
            op_ids=r.op_ids,
            ops=r.ops,
        )
        for r in page.revisions
    ]
    return HistoryPublic(items=items, next_before=page.next_before)


@router.get("/revisions/{rev}", response_model=RevisionDocument)
def revision(
    journey_id: str,
    rev: Annotated[int, Path(le=MAX_INT)],  # 0 or past the newest: 404, no such revision
    caller: Who,
    request: Request,
    response: Response,
) -> RevisionDocument:
    """The journey as it was right after revision `rev`."""
    from ...domain.document import journey_to_data
    from ...services.history import journey_at

    current = _check_rev(journey_role(request, caller, journey_id, "viewer").rev, rev)
    with service_errors():
        journey = journey_at(request.app.state.db, journey_id, rev)
    response.headers["ETag"] = etag(rev)  # a past revision never changes
    return RevisionDocument(
        id=journey_id, rev=rev, current_rev=current, document=journey_to_data(journey)
    )


@router.get("/diff", response_model=DiffPublic)
def diff(
    journey_id: str,
    caller: Who,
    request: Request,
    from_rev: Annotated[
        int, Query(alias="from", ge=1, le=MAX_INT, description="the older revision")
    ],
    to_rev: Annotated[
        int | None,
        Query(alias="to", ge=1, le=MAX_INT, description="the newer one; the current by default"),
    ] = None,
) -> DiffPublic:
    """What changed from one revision to another: stages, lanes, cards, ... added, removed,
    moved, renamed or changed, with each field before and after, and a readable summary."""
    from ...domain.diff import diff as journey_diff
    from ...services.history import journey_at

    current = _check_rev(journey_role(request, caller, journey_id, "viewer").rev, from_rev)
    to = current if to_rev is None else to_rev
    _check_rev(current, to)
    db = request.app.state.db
    with service_errors():
        changes = journey_diff(journey_at(db, journey_id, from_rev), journey_at(db, journey_id, to))
    return DiffPublic(
        from_rev=from_rev,
        to_rev=to,
        changed=bool(changes),
        diff=changes.to_json(),
        summary=changes.summary(),
    )


@router.post("/restore", response_model=RestoreResult)
def restore(journey_id: str, body: RestoreIn, caller: Who, request: Request) -> RestoreResult:
    """Bring back the journey as it was at `rev`, as a new revision: nothing is lost, and the
    restore can itself be undone. Editors and owners; needs `If-Match` with the journey's ETag
    (428 without, 412 when stale). An `op_id` makes a retried restore apply once: a retry
    answers `duplicate`, even with the ETag that is stale now because the restore was made."""
    from ...services.history import restore_revision
    from ...services.journeys import StaleRevision

    current = _check_rev(journey_role(request, caller, journey_id, "editor").rev, body.rev)
    header = request.headers.get("if-match")
    accepted = if_match_revs(header, current)
    with service_errors():
        try:
            done = restore_revision(
                request.app.state.db,
                journey_id,
                body.rev,
                signed_in(caller),
                op_id=body.op_id,
                if_rev_in=accepted,
            )
        except StaleRevision as stale:
            raise changed_since(header, stale.rev, {"rev": stale.rev}) from None
    return RestoreResult(rev=done.rev, restored=body.rev, status=done.status)


@router.get("/versions", response_model=list[VersionPublic])
def versions(journey_id: str, caller: Who, request: Request) -> list[VersionPublic]:
    """The journey's named versions, e.g. "Workshop March", oldest first."""
    from ...services.history import list_versions

    journey_role(request, caller, journey_id, "viewer")
    with service_errors():
        found = list_versions(request.app.state.db, journey_id)
    return [VersionPublic(name=v.name, rev=v.rev, actor=v.actor, ts=v.ts) for v in found]


@router.post("/versions", status_code=201, response_model=VersionPublic)
def name_version(journey_id: str, body: VersionIn, caller: Who, request: Request) -> VersionPublic:
    """Name a revision (the current one when `rev` is left out); names are unique per journey
    (409 for one in use). Editors and owners."""
    from ...services.history import VersionExists
    from ...services.history import name_version as name_it

    current = journey_role(request, caller, journey_id, "editor").rev
    if body.rev is not None:
        _check_rev(current, body.rev)
    try:
        with service_errors():
            v = name_it(request.app.state.db, journey_id, body.name, signed_in(caller), body.rev)
    except VersionExists as error:
        raise ProblemError(409, "Name in use", str(error)) from None
    return VersionPublic(name=v.name, rev=v.rev, actor=v.actor, ts=v.ts)


def _check_rev(current: int, rev: int) -> int:
    """`current`, the journey's revision (as the role check read it); 404 naming the range when
    `rev` is outside it. (Revisions only grow, so a revision found here still exists when the
    service reads it.)"""
    if not 1 <= rev <= current:
        raise ProblemError(
            404,
            "No such revision",
            f"revision {rev} does not exist: this journey has revisions 1 to {current}",
            revisions={"first": 1, "last": current},
        )
    return current


def _names(request: Request, user_ids: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    with request.app.state.db.read() as uow:
        for user_id in user_ids:
            user = uow.accounts.user(user_id)
            if user is not None:
                names[user_id] = user.display_name
    return names
