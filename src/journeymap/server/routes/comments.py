"""Comments on a card or a stage, in threads (a reply names its `parent_id`), with @mentions.
Who may read, write, change and delete them, and how mentions are found, is
services/comments.py's: a share link opens none of it (404)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Response

from ...services import comments as comments_service
from ...services.comments import CommentView
from ..deps import DB, Expect, Who
from ..schemas.comments import CommentCreate, CommentPublic, CommentUpdate, Kind
from ..schemas.common import MAX_INT

router = APIRouter(prefix="/api/journeys/{journey_id}/comments", tags=["comments"])
CommentId = Annotated[int, Path(ge=1, le=MAX_INT)]


@router.get("", response_model=list[CommentPublic])
def comments(
    journey_id: str,
    caller: Who,
    db: DB,
    target_kind: Annotated[Kind | None, Query()] = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
) -> list[CommentView]:
    """The journey's comments, oldest first (replies after their parent), optionally those on
    one card or stage."""
    return comments_service.comments(db, caller, journey_id, target_kind, target_id)


@router.post("", status_code=201, response_model=CommentPublic)
def add(
    journey_id: str, body: CommentCreate, caller: Who, response: Response, db: DB
) -> CommentView:
    """A comment on a card or stage, or a reply to one (commenters, editors and owners)."""
    made = comments_service.add_comment(
        db, caller, journey_id, body.text, body.target_kind, body.target_id, body.parent_id
    )
    response.headers["ETag"] = made.etag
    return made


@router.patch("/{comment_id}", response_model=CommentPublic)
def edit(
    journey_id: str,
    comment_id: CommentId,
    body: CommentUpdate,
    caller: Who,
    response: Response,
    db: DB,
    if_match: Expect,
) -> CommentView:
    """Change your comment's text, or mark it resolved (or not); needs `If-Match`."""
    done = comments_service.edit_comment(
        db, caller, journey_id, comment_id, if_match, text=body.text, resolved=body.resolved
    )
    response.headers["ETag"] = done.etag
    return done


@router.delete("/{comment_id}", status_code=204)
def delete(journey_id: str, comment_id: CommentId, caller: Who, db: DB, if_match: Expect) -> None:
    """Delete a comment: its author, or an owner of the workspace; needs `If-Match`. Replies
    to it are kept."""
    comments_service.delete_comment(db, caller, journey_id, comment_id, if_match)
