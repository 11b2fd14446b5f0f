"""Read-only share links to one journey: made by an editor, shown once, revocable, may expire.

Whoever holds one sends `X-Share-Token: <token>` and may read that journey (the journey, its
entities, export, history, evidence and posters) and nothing else, not even its comments (the
team's own discussion, with members' names): services/policy.py sees to that, on every route.
"""

from __future__ import annotations

from fastapi import APIRouter

from ...services import shares
from ...services.shares import ShareLinkMade, ShareLinkView
from ..deps import DB, Who
from ..schemas.shares import ShareLinkCreate, ShareLinkCreated, ShareLinkPublic

router = APIRouter(prefix="/api/journeys/{journey_id}/share-links", tags=["share links"])


@router.post("", status_code=201, response_model=ShareLinkCreated)
def make_link(journey_id: str, body: ShareLinkCreate, caller: Who, db: DB) -> ShareLinkMade:
    """A new read-only link to this journey (editors and owners). The token is in this answer
    only: it is stored as a digest and cannot be shown again."""
    return shares.make_link(db, caller, journey_id, body.expires_in_days)


@router.get("", response_model=list[ShareLinkPublic])
def links(journey_id: str, caller: Who, db: DB) -> list[ShareLinkView]:
    """The journey's share links, oldest first, revoked ones included (never the tokens).
    Editors and owners."""
    return shares.links(db, caller, journey_id)


@router.delete("/{link_id}", status_code=204)
def revoke(journey_id: str, link_id: str, caller: Who, db: DB) -> None:
    """Revoke a link: it stops working at once (editors and owners)."""
    shares.revoke_link(db, caller, journey_id, link_id)
