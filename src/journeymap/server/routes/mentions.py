"""Mentions of me: the comments that @mention the caller, on journeys they can read
(services/mentions.py decides which)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from ...services import mentions as mentions_service
from ...services.mentions import MAX_PAGE, MentionsPage
from ..deps import DB, Who
from ..schemas.common import MAX_INT
from ..schemas.mentions import MentionsPagePublic

router = APIRouter(prefix="/api/me", tags=["comments"])


@router.get("/mentions", response_model=MentionsPagePublic)
def my_mentions(
    caller: Who,
    db: DB,
    workspace_id: Annotated[str | None, Query(max_length=64)] = None,
    open_only: Annotated[bool, Query(alias="open")] = False,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0, le=MAX_INT)] = 0,
) -> MentionsPage:
    """Comments that mention you, newest first, with their journey, target and whether their
    thread is resolved; only journeys of workspaces you are a member of. `open=true` leaves
    resolved threads out; `workspace_id` keeps to one workspace."""
    return mentions_service.mentions_of_me(
        db, caller, workspace_id=workspace_id, open_only=open_only, limit=limit, offset=offset
    )
