"""Read-only share links to one journey: made by an editor, shown once, revocable, may expire.

The token is stored only as its digest (like personal API tokens); lists show its short prefix.
Whoever holds it sends `X-Share-Token: <token>` and may read that journey (the journey, its
entities, export, history, evidence and posters) and nothing else, not even its comments (the
team's own discussion, with members' names): `access.identify` and `access.journey_role` see
to that, on every route.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from ..access import Caller, identify, journey_role, signed_in
from ..http import ProblemError
from ..schemas.shares import ShareLinkCreate, ShareLinkCreated, ShareLinkPublic

router = APIRouter(prefix="/api/journeys/{journey_id}/share-links", tags=["share links"])
Who = Annotated[Caller, Depends(identify)]
SHARED_PATH = "/shared/"


@router.post("", status_code=201, response_model=ShareLinkCreated)
def make_link(
    journey_id: str, body: ShareLinkCreate, caller: Who, request: Request
) -> ShareLinkCreated:
    """A new read-only link to this journey (editors and owners). The token is in this answer
    only: it is stored as a digest and cannot be shown again."""
    from ..security import new_token

    journey_role(request, caller, journey_id, "editor")
    user = signed_in(caller)
    made = new_token()
    expires = None
    if body.expires_in_days is not None:
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=body.expires_in_days)
    with request.app.state.db.write() as uow:
        row = uow.access.add_share_link(journey_id, made.prefix, made.digest, user, expires)
        public = _public(row)
    return ShareLinkCreated(
        **public.model_dump(), token=made.plaintext, url=SHARED_PATH + made.plaintext
    )


@router.get("", response_model=list[ShareLinkPublic])
def links(journey_id: str, caller: Who, request: Request) -> list[ShareLinkPublic]:
    """The journey's share links, oldest first, revoked ones included (never the tokens).
    Editors and owners."""
    journey_role(request, caller, journey_id, "editor")
    with request.app.state.db.read() as uow:
        return [_public(r) for r in uow.access.share_links_of(journey_id)]


@router.delete("/{link_id}", status_code=204)
def revoke(journey_id: str, link_id: str, caller: Who, request: Request) -> None:
    """Revoke a link: it stops working at once (editors and owners)."""
    journey_role(request, caller, journey_id, "editor")
    with request.app.state.db.write() as uow:
        done = uow.access.revoke_share_link(journey_id, link_id)
    if not done:
        raise ProblemError(
            404,
            "Not found",
            f"this journey has no live share link '{link_id}' (it may be revoked already); "
            f"GET /api/journeys/{journey_id}/share-links lists them",
        )


def _public(row: Any) -> ShareLinkPublic:
    return ShareLinkPublic.model_validate(row, from_attributes=True)
