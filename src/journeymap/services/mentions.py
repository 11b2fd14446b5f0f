"""Mentions of me: the comments that @mention the caller, across the journeys they can read.

- Only a signed-in person has mentions (a share link or nobody gets 401).
- A comment counts while the caller is a member of its journey's workspace and the journey and
  the comment are not deleted: someone who left a workspace reads none of its threads.
- Newest first, a page at a time; `open_only` leaves out resolved threads' comments. The
  answer says how many are open, which the app's header shows.
- Each names its journey and target (a card's title, a stage's name) so a reader knows where
  to go, and its author by display name (the caller is a member: names are theirs to see).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.snapshot import Snapshot, snapshot
from .errors import NotFound
from .policy import Principal, signed_in

if TYPE_CHECKING:
    from ..storage import Database, UnitOfWork
    from ..storage.models import CommentRow, JourneyRow

MAX_PAGE = 100


@dataclass(frozen=True)
class MentionOfMe:
    comment_id: int
    parent_id: int | None
    journey_id: str
    journey_title: str
    workspace_id: str
    target_kind: str
    target_id: str
    target_name: str  # the card's title or the stage's name; its id when it is gone
    target_live: bool
    author_name: str | None
    text: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None  # its thread's: a reply's is its parent's


@dataclass(frozen=True)
class MentionsPage:
    items: list[MentionOfMe]
    total: int  # of what the filter asks (all, or open only)
    open: int  # unresolved mentions of the caller, whatever the filter
    limit: int
    offset: int


def mentions_of_me(
    db: Database,
    who: Principal,
    *,
    workspace_id: str | None = None,
    open_only: bool = False,
    limit: int = 20,
    offset: int = 0,
) -> MentionsPage:
    """One page of the comments mentioning the caller, newest first."""
    me = signed_in(who)
    limit = max(1, min(limit, MAX_PAGE))
    with db.read() as uow:
        if workspace_id is not None and uow.accounts.role(workspace_id, me) is None:
            raise NotFound(f"there is no workspace '{workspace_id}' of yours")
        rows, every, unresolved = uow.comments.mentions_page(
            me, workspace_id, open_only, limit, max(0, offset)
        )
        snaps: dict[str, Snapshot] = {}
        items = [_item(uow, c, j, r, snaps) for c, j, r in rows]
    return MentionsPage(items, unresolved if open_only else every, unresolved, limit, offset)


def _item(
    uow: UnitOfWork,
    c: CommentRow,
    j: JourneyRow,
    resolved_at: dt.datetime | None,
    snaps: dict[str, Snapshot],
) -> MentionOfMe:
    if j.id not in snaps:  # a journey read once per page, however many mentions it holds
        snaps[j.id] = snapshot(uow.journeys.load(j))
    item = snaps[j.id].items[c.target_kind].get(c.target_id)
    author = uow.accounts.user(c.author_id) if c.author_id else None
    return MentionOfMe(
        comment_id=c.id,
        parent_id=c.parent_id,
        journey_id=j.id,
        journey_title=j.title,
        workspace_id=j.workspace_id,
        target_kind=c.target_kind,
        target_id=c.target_id,
        target_name=item.label if item else c.target_id,
        target_live=item is not None,
        author_name=author.display_name if author else None,
        text=c.body,
        created_at=c.created_at,
        resolved_at=resolved_at,
    )
