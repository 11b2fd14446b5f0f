"""What a share link opens, for the page at the link's address (`/shared/<token>`): the token
alone names no journey, so the page asks here first, sending it as `X-Share-Token`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request

from ..access import Caller, identify, journey_role
from ..http import ProblemError
from ..schemas.shares import SharedJourney

router = APIRouter(prefix="/api", tags=["share links"])
Who = Annotated[Caller, Depends(identify)]


@router.get("/shared", response_model=SharedJourney)
def shared(caller: Who, request: Request) -> SharedJourney:
    """The journey the `X-Share-Token` header's link opens (404 when it is deleted)."""
    if caller.via != "share" or caller.shared_journey is None:
        raise ProblemError(
            404,
            "Not found",
            "send a share link's token as X-Share-Token; signed-in members open journeys "
            "from their workspace's library",
        )
    journey_role(request, caller, caller.shared_journey, "viewer")  # 404 once it is deleted
    return SharedJourney(journey_id=caller.shared_journey)
