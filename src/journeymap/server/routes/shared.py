"""What a share link opens, for the page at the link's address (`/shared/<token>`): the token
alone names no journey, so the page asks here first, sending it as `X-Share-Token`."""

from __future__ import annotations

from fastapi import APIRouter

from ...services import shares
from ..deps import DB, Who
from ..schemas.shares import SharedJourney

router = APIRouter(prefix="/api", tags=["share links"])


@router.get("/shared", response_model=SharedJourney)
def shared(caller: Who, db: DB) -> SharedJourney:
    """The journey the `X-Share-Token` header's link opens (404 when it is deleted)."""
    return SharedJourney(journey_id=shares.opened_journey(db, caller))
