"""Saved views of a journey: a person's own, or shared with the journey's team. Who may save,
share, change and delete them is services/saved_views.py's; a share link opens none (404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from ...services import saved_views
from ...services.saved_views import SavedView
from ..deps import DB, Expect, Who
from ..schemas.saved_views import SavedViewPublic, SavedViewWrite

router = APIRouter(prefix="/api/journeys/{journey_id}/views", tags=["saved views"])
ViewId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("", response_model=list[SavedViewPublic])
def views(journey_id: str, caller: Who, db: DB) -> list[SavedView]:
    """Your views of the journey and those shared with its team: shared first, then by name."""
    return saved_views.views(db, caller, journey_id)


@router.post("", status_code=201, response_model=SavedViewPublic)
def save(
    journey_id: str, body: SavedViewWrite, caller: Who, response: Response, db: DB
) -> SavedView:
    """Save a view: yours (any member), or shared with the team (`shared`: editors)."""
    made = saved_views.save_view(
        db, caller, journey_id, body.name, body.settings.model_dump(), shared=body.shared
    )
    response.headers["ETag"] = made.etag
    return made


@router.put("/{view_id}", response_model=SavedViewPublic)
def change(
    journey_id: str,
    view_id: ViewId,
    body: SavedViewWrite,
    caller: Who,
    response: Response,
    db: DB,
    if_match: Expect,
) -> SavedView:
    """Replace your view's name, sharing and settings; needs `If-Match`. Sharing one, or
    changing a shared one, needs an editor."""
    done = saved_views.change_view(
        db,
        caller,
        journey_id,
        view_id,
        if_match,
        body.name,
        body.settings.model_dump(),
        shared=body.shared,
    )
    response.headers["ETag"] = done.etag
    return done


@router.delete("/{view_id}", status_code=204)
def delete(journey_id: str, view_id: ViewId, caller: Who, db: DB, if_match: Expect) -> None:
    """Delete a view: yours, or (a shared one) as an owner of the workspace; needs `If-Match`."""
    saved_views.delete_view(db, caller, journey_id, view_id, if_match)
