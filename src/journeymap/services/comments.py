"""Comments on a card or a stage, in threads (a reply names its parent), with @mentions.

- Reading needs a viewer, commenting a commenter; a share link opens none of it
  (services/policy.py): threads are the team's own discussion, with members' names.
- A comment's target must be a live card or stage of the current journey.
- `@email` or `@display name` of a workspace member is a mention (the longest name wins, so
  "@Ann Lee" is Ann Lee and not Ann); anything else after an @ stays plain text.
- Only the author edits (text, or resolved); the author or a workspace owner deletes (the
  comment is hidden; its replies stay).
- A comment's ETag is its `updated_at`, which every change moves; changing or deleting one
  names it (If-Match).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.snapshot import snapshot
from . import preconditions
from .errors import NotFound, invalid_field
from .journey_changes import JourneyChanged, publish
from .policy import (
    Principal,
    journey_access,
    may_change_comment,
    may_delete_comment,
    signed_in,
)
from .preconditions import IfMatch, time_etag

if TYPE_CHECKING:
    from ..storage import Database, UnitOfWork
    from ..storage.models import CommentRow

TEAM_ONLY = "comments"


@dataclass(frozen=True)
class MentionView:
    user_id: str
    display_name: str | None


@dataclass(frozen=True)
class CommentView:
    id: int
    target_kind: str
    target_id: str
    parent_id: int | None
    author_id: str | None
    author_name: str | None
    text: str
    mentions: list[MentionView]
    created_at: dt.datetime
    updated_at: dt.datetime
    resolved_at: dt.datetime | None
    etag: str


def comments(
    db: Database,
    who: Principal,
    journey_id: str,
    target_kind: str | None = None,
    target_id: str | None = None,
) -> list[CommentView]:
    """The journey's comments, oldest first, optionally those on one card or stage."""
    journey_access(db, who, journey_id, "viewer", team_only=TEAM_ONLY)
    with db.read() as uow:
        return _views(uow, uow.comments.of_journey(journey_id, target_kind, target_id))


def add_comment(
    db: Database,
    who: Principal,
    journey_id: str,
    text: str,
    target_kind: str | None = None,
    target_id: str | None = None,
    parent_id: int | None = None,
) -> CommentView:
    """A comment on a card or stage, or a reply to one (a reply is on its parent's target)."""
    access = journey_access(db, who, journey_id, "commenter", team_only=TEAM_ONLY)
    workspace = access.workspace
    author = signed_in(who)
    with db.write() as uow:
        kind, target = target_kind, target_id
        if parent_id is not None:
            parent = _comment(uow, journey_id, parent_id)
            if (kind or parent.target_kind) != parent.target_kind or (
                target or parent.target_id
            ) != parent.target_id:
                raise invalid_field(
                    "target",
                    f"a reply is on its parent's {parent.target_kind} '{parent.target_id}'; "
                    "leave target_kind and target_id out",
                )
            kind, target = parent.target_kind, parent.target_id
        if kind is None or target is None:
            raise invalid_field("target_id", "give target_kind (card or stage) and target_id")
        _check_target(uow, journey_id, kind, target)
        mentioned = find_mentions(text, _members(uow, workspace))
        row = uow.comments.add(journey_id, kind, target, text, author, parent_id, mentioned)
        view = _views(uow, [row])[0]
    publish(db, JourneyChanged(journey_id, access.rev, author, "comments"))
    return view


def edit_comment(
    db: Database,
    who: Principal,
    journey_id: str,
    comment_id: int,
    if_match: IfMatch | None,
    *,
    text: str | None = None,
    resolved: bool | None = None,
) -> CommentView:
    """Change your comment's text, or mark it resolved (or not)."""
    if text is None and resolved is None:
        raise invalid_field(
            "text", "send `text` (the new text), `resolved` (true or false), or both"
        )
    access = journey_access(db, who, journey_id, "commenter", team_only=TEAM_ONLY)
    workspace = access.workspace
    with db.write() as uow:
        row = _comment(uow, journey_id, comment_id, lock=True)
        may_change_comment(who, row.author_id)
        preconditions.check_at(if_match, row.updated_at, _views(uow, [row])[0])
        if text is not None and text != row.body:
            mentioned = find_mentions(text, _members(uow, workspace))
            uow.comments.edit(row.id, text, mentioned)
        if resolved is not None and resolved != (row.resolved_at is not None):
            uow.comments.resolve(row.id, resolved)
        view = _views(uow, [row])[0]
    publish(db, JourneyChanged(journey_id, access.rev, who.user_id, "comments"))
    return view


def delete_comment(
    db: Database, who: Principal, journey_id: str, comment_id: int, if_match: IfMatch | None
) -> None:
    """Delete a comment (its author, or an owner of the workspace); its replies are kept."""
    access = journey_access(db, who, journey_id, "commenter", team_only=TEAM_ONLY)
    with db.write() as uow:
        row = _comment(uow, journey_id, comment_id, lock=True)
        may_delete_comment(who, access.role, row.author_id)
        preconditions.check_at(if_match, row.updated_at, _views(uow, [row])[0])
        uow.comments.soft_delete(row.id)
    publish(db, JourneyChanged(journey_id, access.rev, who.user_id, "comments"))


def find_mentions(text: str, members: Iterable[tuple[str, str, str]]) -> list[str]:
    """The user ids mentioned in `text`, in order, once each. `members` are (user id, email,
    display name). An @ that starts a mention follows the start or a non-word character (so
    the @ inside an email address is not one); the longest matching email or name wins, and it
    must end at a non-word character."""
    # Longest first; of two alike, the email (a name cannot take someone's mentions).
    ranked = sorted(
        (
            (-len(label), kind, label.lower(), uid)
            for uid, email, name in members
            for kind, label in ((0, email), (1, name))
            if label
        ),
    )
    labels = [(label, uid) for _, _, label, uid in ranked]
    found: list[str] = []
    low = text.lower()
    for at, char in enumerate(low):
        if char != "@" or (at > 0 and (low[at - 1].isalnum() or low[at - 1] in "_.@")):
            continue
        rest = low[at + 1 :]
        for label, uid in labels:
            after = rest[len(label) : len(label) + 1]
            if rest.startswith(label) and not (after.isalnum() or after == "_"):
                if uid not in found:
                    found.append(uid)
                break
    return found


def _members(uow: UnitOfWork, workspace: str) -> list[tuple[str, str, str]]:
    return [(u.id, u.email, u.display_name) for _, u in uow.accounts.members(workspace)]


def _comment(
    uow: UnitOfWork, journey_id: str, comment_id: int, *, lock: bool = False
) -> CommentRow:
    row = uow.comments.get(comment_id, lock=lock)
    if row is None or row.journey_id != journey_id or row.deleted_at is not None:
        raise NotFound(
            f"this journey has no comment {comment_id} (it may have been deleted); "
            f"GET /api/journeys/{journey_id}/comments lists them"
        )
    return row


def _check_target(uow: UnitOfWork, journey_id: str, kind: str, target: str) -> None:
    row = uow.journeys.get(journey_id)
    if row is None:  # deleted since the role check
        raise NotFound(f"there is no journey '{journey_id}' of yours")
    live = snapshot(uow.journeys.load(row)).items[kind]
    if target not in live:
        raise invalid_field(
            "target_id",
            f"this journey has no {kind} '{target}' (it may have been deleted); "
            f"comment on one of its {kind}s, as listed in GET /api/journeys/{journey_id}",
        )


def _views(uow: UnitOfWork, rows: list[CommentRow]) -> list[CommentView]:
    mentions = uow.comments.mentions([r.id for r in rows])
    ids = {r.author_id for r in rows if r.author_id} | {u for m in mentions.values() for u in m}
    users = {i: uow.accounts.user(i) for i in ids}
    name = {i: u.display_name for i, u in users.items() if u is not None}
    return [
        CommentView(
            id=r.id,
            target_kind=r.target_kind,
            target_id=r.target_id,
            parent_id=r.parent_id,
            author_id=r.author_id,
            author_name=name.get(r.author_id or ""),
            text=r.body,
            mentions=[MentionView(user_id=u, display_name=name.get(u)) for u in mentions[r.id]],
            created_at=r.created_at,
            updated_at=r.updated_at,
            resolved_at=r.resolved_at,
            etag=time_etag(r.updated_at),
        )
        for r in rows
    ]
