"""Comments on a card or a stage, in threads (a reply names its `parent_id`), with @mentions.

- Reading needs a viewer; commenting a commenter or more. A share link opens none of it (404):
  it is for people outside the team, and threads are the team's discussion, with members'
  names.
- A comment's target must be a live card or stage of the current journey (422 otherwise).
- `@email` or `@display name` of a workspace member is a mention (the longest name wins, so
  "@Ann Lee" is Ann Lee and not Ann); anything else after an @ stays plain text.
- Only the author edits (text, or resolved); the author or a workspace owner deletes (the
  comment is hidden; its replies stay).
- Comments carry no revision, but they carry `updated_at`, which every change moves: the ETag
  is made from it, and PATCH and DELETE need `If-Match` (428 without, 412 when stale, with the
  current comment in the body), as for every other write.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from ..access import RANK, Caller, identify, journey_role, signed_in
from ..http import ProblemError, check_if_match_at, time_etag
from ..schemas.comments import CommentCreate, CommentPublic, CommentUpdate, Kind, MentionPublic
from ..schemas.common import MAX_INT

router = APIRouter(prefix="/api/journeys/{journey_id}/comments", tags=["comments"])
Who = Annotated[Caller, Depends(identify)]
CommentId = Annotated[int, Path(ge=1, le=MAX_INT)]


@router.get("", response_model=list[CommentPublic])
def comments(
    journey_id: str,
    caller: Who,
    request: Request,
    target_kind: Annotated[Kind | None, Query()] = None,
    target_id: Annotated[str | None, Query(max_length=64)] = None,
) -> list[CommentPublic]:
    """The journey's comments, oldest first (replies after their parent), optionally those on
    one card or stage."""
    journey_role(request, caller, journey_id, "viewer", team_only="comments")
    with request.app.state.db.read() as uow:
        rows = uow.comments.of_journey(journey_id, target_kind, target_id)
        return _publics(uow, rows)


@router.post("", status_code=201, response_model=CommentPublic)
def add(
    journey_id: str, body: CommentCreate, caller: Who, request: Request, response: Response
) -> CommentPublic:
    """A comment on a card or stage, or a reply to one (commenters, editors and owners)."""
    workspace = journey_role(
        request, caller, journey_id, "commenter", team_only="comments"
    ).workspace
    author = signed_in(caller)
    with request.app.state.db.write() as uow:
        kind, target = body.target_kind, body.target_id
        if body.parent_id is not None:
            parent = _comment(uow, journey_id, body.parent_id)
            if (kind or parent.target_kind) != parent.target_kind or (
                target or parent.target_id
            ) != parent.target_id:
                raise _invalid(
                    "target",
                    f"a reply is on its parent's {parent.target_kind} '{parent.target_id}'; "
                    "leave target_kind and target_id out",
                )
            kind, target = parent.target_kind, parent.target_id
        if kind is None or target is None:
            raise _invalid("target_id", "give target_kind (card or stage) and target_id")
        _check_target(uow, journey_id, kind, target)
        mentioned = find_mentions(body.text, _members(uow, workspace))
        row = uow.comments.add(
            journey_id, kind, target, body.text, author, body.parent_id, mentioned
        )
        public = _publics(uow, [row])[0]
    response.headers["ETag"] = public.etag
    return public


@router.patch("/{comment_id}", response_model=CommentPublic)
def edit(
    journey_id: str,
    comment_id: CommentId,
    body: CommentUpdate,
    caller: Who,
    request: Request,
    response: Response,
) -> CommentPublic:
    """Change your comment's text, or mark it resolved (or not); needs `If-Match`."""
    if body.text is None and body.resolved is None:
        raise _invalid("text", "send `text` (the new text), `resolved` (true or false), or both")
    workspace = journey_role(
        request, caller, journey_id, "commenter", team_only="comments"
    ).workspace
    user = signed_in(caller)
    with request.app.state.db.write() as uow:
        row = _comment(uow, journey_id, comment_id, lock=True)
        if row.author_id != user:
            raise ProblemError(
                403, "Not allowed", "only the author of a comment may change it; reply instead"
            )
        _if_match(request, uow, row)
        if body.text is not None and body.text != row.body:
            mentioned = find_mentions(body.text, _members(uow, workspace))
            uow.comments.edit(row.id, body.text, mentioned)
        if body.resolved is not None and body.resolved != (row.resolved_at is not None):
            uow.comments.resolve(row.id, body.resolved)
        public = _publics(uow, [row])[0]
    response.headers["ETag"] = public.etag
    return public


@router.delete("/{comment_id}", status_code=204)
def delete(journey_id: str, comment_id: CommentId, caller: Who, request: Request) -> None:
    """Delete a comment: its author, or an owner of the workspace; needs `If-Match`. Replies
    to it are kept."""
    role = journey_role(request, caller, journey_id, "commenter", team_only="comments").role
    user = signed_in(caller)
    with request.app.state.db.write() as uow:
        row = _comment(uow, journey_id, comment_id, lock=True)
        if row.author_id != user and RANK[role] < RANK["owner"]:
            raise ProblemError(
                403,
                "Not allowed",
                "only the author of a comment or an owner of the workspace may delete it",
            )
        _if_match(request, uow, row)
        uow.comments.soft_delete(row.id)


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


def comment_etag(row: Any) -> str:
    """The comment's ETag: its `updated_at` in microseconds, which every change moves."""
    return time_etag(row.updated_at)


def _if_match(request: Request, uow: Any, row: Any) -> None:
    check_if_match_at(request.headers.get("if-match"), row.updated_at, _publics(uow, [row])[0])


def _members(uow: Any, workspace: str) -> list[tuple[str, str, str]]:
    return [(u.id, u.email, u.display_name) for _, u in uow.accounts.members(workspace)]


def _comment(uow: Any, journey_id: str, comment_id: int, *, lock: bool = False) -> Any:
    row = uow.comments.get(comment_id, lock=lock)
    if row is None or row.journey_id != journey_id or row.deleted_at is not None:
        raise ProblemError(
            404,
            "Not found",
            f"this journey has no comment {comment_id} (it may have been deleted); "
            f"GET /api/journeys/{journey_id}/comments lists them",
        )
    return row


def _check_target(uow: Any, journey_id: str, kind: str, target: str) -> None:
    from ...domain.snapshot import snapshot

    row = uow.journeys.get(journey_id)
    live = snapshot(uow.journeys.load(row)).items[kind]
    if target not in live:
        raise _invalid(
            "target_id",
            f"this journey has no {kind} '{target}' (it may have been deleted); "
            f"comment on one of its {kind}s, as listed in GET /api/journeys/{journey_id}",
        )


def _invalid(field: str, message: str) -> ProblemError:
    return ProblemError(
        422, "Invalid request", f"{field}: {message}", errors=[{"field": field, "message": message}]
    )


def _publics(uow: Any, rows: list[Any]) -> list[CommentPublic]:
    mentions = uow.comments.mentions([r.id for r in rows])
    ids = {r.author_id for r in rows if r.author_id} | {u for m in mentions.values() for u in m}
    users = {i: uow.accounts.user(i) for i in ids}
    name = {i: u.display_name for i, u in users.items() if u is not None}
    return [
        CommentPublic(
            id=r.id,
            target_kind=r.target_kind,
            target_id=r.target_id,
            parent_id=r.parent_id,
            author_id=r.author_id,
            author_name=name.get(r.author_id or ""),
            text=r.body,
            mentions=[MentionPublic(user_id=u, display_name=name.get(u)) for u in mentions[r.id]],
            created_at=r.created_at,
            updated_at=r.updated_at,
            resolved_at=r.resolved_at,
            etag=comment_etag(r),
        )
        for r in rows
    ]
