"""Who is calling, and what they may do: every route asks here.

A caller is found, in this order, by a personal API token (`Authorization: Bearer jm_...`), a
browser session cookie (and then every unsafe request must carry the session's CSRF token in
`X-CSRF-Token`), or a read-only share link (`X-Share-Token`, which opens one journey for
reading and nothing else: not even its comments, the team's own discussion). Roles rank
viewer < commenter < editor < owner. A workspace the caller is not a member of answers 404, as
if it did not exist, so nothing leaks across workspaces.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from .http import ProblemError
from .security import csrf_ok, token_digest

SESSION_COOKIE = "jm_session"
SESSION_LIFETIME = dt.timedelta(days=14)
RANK = {"viewer": 0, "commenter": 1, "editor": 2, "owner": 3}
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN_USE_GRANULARITY = dt.timedelta(minutes=1)


@dataclass(frozen=True)
class Seen:
    """A journey as `identify` read it, in the transaction that found the caller: the route's
    role check then needs no transaction of its own."""

    journey_id: str
    workspace: str | None  # None: there is no such journey (or it is deleted)
    rev: int
    role: str | None  # the signed-in caller's role in its workspace


@dataclass(frozen=True)
class Caller:
    user_id: str | None = None
    is_admin: bool = False
    via: str = "nobody"  # "token", "session", "share" or "nobody"
    shared_journey: str | None = None  # a share link's one journey
    session_digest: str | None = None
    seen: Seen | None = None  # the journey of the request's path, when it names one


@dataclass(frozen=True)
class JourneyAccess:
    """The caller's role in a journey, and what the check read that routes need."""

    workspace: str
    role: str
    rev: int


def identify(request: Request) -> Caller:
    """The caller of a request (FastAPI dependency). The journey the path names, if any, is
    read in the same transaction (see `Seen`)."""
    db = request.app.state.db
    journey_id = request.path_params.get("journey_id")
    header = request.headers.get("authorization", "")
    if header:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise _unauthorised("send `Authorization: Bearer <token>` with a personal API token")
        with db.read() as uow:
            row = uow.access.token(token_digest(token.strip()))
            user = uow.accounts.user(row.user_id) if row else None
            seen = _seen(uow, journey_id, user.id) if user and journey_id else None
        if user is None or row is None:
            raise _unauthorised("the API token is unknown or revoked; make a new one")
        # The last use is noted to the minute: a write on every request would queue every
        # reader behind SQLite's write lock.
        now = dt.datetime.now(dt.UTC)
        if row.last_used_at is None or now - row.last_used_at > TOKEN_USE_GRANULARITY:
            with db.write() as uow:
                uow.access.note_token_use(row.id)
        return Caller(user.id, user.is_admin, "token", seen=seen)
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        digest = token_digest(cookie)
        with db.read() as uow:
            user_id = uow.access.session_user(digest)
            user = uow.accounts.user(user_id) if user_id else None
            seen = _seen(uow, journey_id, user.id) if user and journey_id else None
        if user is None:
            raise _unauthorised("the session has ended; sign in again")
        if request.method not in SAFE_METHODS and not csrf_ok(
            request.app.state.settings.secret, cookie, request.headers.get("x-csrf-token")
        ):
            raise ProblemError(
                403,
                "CSRF token missing",
                "send the X-CSRF-Token header that signing in returned with every change",
            )
        return Caller(user.id, user.is_admin, "session", session_digest=digest, seen=seen)
    shared = request.headers.get("x-share-token")
    if shared:
        with db.read() as uow:
            link = uow.access.share_link(token_digest(shared))
            seen = _seen(uow, journey_id, None) if link and journey_id else None
        if link is None:
            raise _unauthorised("the share link is unknown, revoked or expired")
        return Caller(via="share", shared_journey=link.journey_id, seen=seen)
    return Caller()


def _seen(uow: Any, journey_id: str, user_id: str | None) -> Seen:
    """What `journey_role` decides on: the journey's row and the caller's membership."""
    row = uow.journeys.get(journey_id)
    if row is None or row.deleted_at is not None:
        return Seen(journey_id, None, 0, None)
    role = uow.accounts.role(row.workspace_id, user_id) if user_id is not None else None
    return Seen(journey_id, row.workspace_id, int(row.rev), role)


def signed_in(caller: Caller) -> str:
    """The caller's user id; 401 for anyone else (a share link is not a user)."""
    if caller.user_id is None:
        raise _unauthorised("sign in, or send a personal API token")
    return caller.user_id


def workspace_role(request: Any, caller: Caller, workspace_id: str, least: str) -> str:
    """The caller's role in the workspace, when it is at least `least`; 404 when the caller is
    not a member (the workspace might as well not exist), 403 when the role is too low."""
    user_id = signed_in(caller)
    with request.app.state.db.read() as uow:
        role = uow.accounts.role(workspace_id, user_id)
    if role is None:
        raise ProblemError(404, "Not found", f"there is no workspace '{workspace_id}' of yours")
    return _enough(role, least, "this workspace")


def journey_role(
    request: Any, caller: Caller, journey_id: str, least: str, *, team_only: str | None = None
) -> JourneyAccess:
    """The journey's workspace, its revision and the caller's role there, when the role is at
    least `least`. A share link reads its own journey as a viewer, and nothing else; where the
    route serves what is the team's own (`team_only` names it, e.g. "comments"), not even
    that: 404, as for anything else a link does not open."""
    if caller.via == "nobody":
        signed_in(caller)
    seen = caller.seen
    if seen is None or seen.journey_id != journey_id:
        with request.app.state.db.read() as uow:
            seen = _seen(uow, journey_id, caller.user_id)
    role = seen.role
    if caller.via == "share" and caller.shared_journey == journey_id:
        if team_only is not None:
            raise ProblemError(
                404,
                "Not found",
                f"a share link does not open the journey's {team_only}: they are its team's "
                "own; sign in as a member of its workspace to read them",
            )
        role = "viewer"
    if seen.workspace is None or role is None:
        raise ProblemError(404, "Not found", f"there is no journey '{journey_id}' of yours")
    return JourneyAccess(seen.workspace, _enough(role, least, "this journey"), seen.rev)


def _enough(role: str, least: str, what: str) -> str:
    if RANK[role] < RANK[least]:
        raise ProblemError(
            403,
            "Not allowed",
            f"you are {_a(role)} of {what}; this needs {_a(least)} or more "
            "(an owner can change your role)",
        )
    return role


def _a(role: str) -> str:
    return ("an " if role[0] in "aeiou" else "a ") + role


def _unauthorised(detail: str) -> ProblemError:
    return ProblemError(401, "Not signed in", detail, headers={"WWW-Authenticate": "Bearer"})
