"""Who is calling: a personal API token, a browser session, or a share link; and signing in
and out.

A caller is found by the first credential it sends, in this order: a personal API token, a
browser session, a read-only share link. An unknown, revoked or expired one is refused (401),
never taken for nobody.

Signing in counts the attempt first (services/sign_in_limits.py: of many guesses at once, only
the allowed few are checked), then checks the password outside any write transaction (argon2
takes about 0.1 s, which would hold SQLite's write lock), the same work for an email with no
account (a dummy hash), and only then writes the session.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

from .accounts import UserView, user_view
from .errors import NotSignedIn
from .policy import NOBODY, Principal, seen, signed_in
from .security import check_password, new_session_id, token_digest

if TYPE_CHECKING:
    from ..storage import Database
    from ..storage.models import ShareLinkRow
    from .sign_in_limits import SignInLimiter

SESSION_LIFETIME = dt.timedelta(days=14)
TOKEN_USE_GRANULARITY = dt.timedelta(minutes=1)


def identify(
    db: Database,
    *,
    token: str | None = None,
    session: str | None = None,
    share: str | None = None,
    journey_id: str | None = None,
) -> Principal:
    """The caller of a request, by the first credential given. The journey the request names
    (`journey_id`), if any, is read in the same transaction (see `policy.Seen`)."""
    if token is not None:
        return _by_token(db, token, journey_id)
    if session is not None:
        return _by_session(db, session, journey_id)
    if share is not None:
        with db.read() as uow:
            link = uow.access.share_link(token_digest(share))
            found = seen(uow, journey_id, None) if link and journey_id else None
            closed = None if link else uow.access.share_link_row(token_digest(share))
        if link is None:
            _closed_link(closed)
        return Principal(via="share", shared_journey=link.journey_id, seen=found)
    return NOBODY


def _closed_link(row: ShareLinkRow | None) -> NoReturn:
    """Why a share link opens nothing: whoever holds a revoked or expired link is told which
    (the page then says so plainly); an unknown one says no more."""
    if row is not None and row.revoked_at is not None:
        raise NotSignedIn(
            "this share link was revoked; ask whoever sent it for a new one",
            title="Share link revoked",
        )
    if row is not None:
        raise NotSignedIn(
            "this share link has expired; ask whoever sent it for a new one",
            title="Share link expired",
        )
    raise NotSignedIn("the share link is unknown, revoked or expired")


def _by_token(db: Database, token: str, journey_id: str | None) -> Principal:
    with db.read() as uow:
        row = uow.access.token(token_digest(token))
        user = uow.accounts.user(row.user_id) if row else None
        found = seen(uow, journey_id, user.id) if user and journey_id else None
    if user is None or row is None:
        raise NotSignedIn("the API token is unknown or revoked; make a new one")
    # The last use is noted to the minute: a write on every request would queue every reader
    # behind SQLite's write lock.
    now = dt.datetime.now(dt.UTC)
    if row.last_used_at is None or now - row.last_used_at > TOKEN_USE_GRANULARITY:
        with db.write() as uow:
            uow.access.note_token_use(row.id)
    return Principal(user.id, user.is_admin, "token", seen=found)


def _by_session(db: Database, session: str, journey_id: str | None) -> Principal:
    digest = token_digest(session)
    with db.read() as uow:
        user_id = uow.access.session_user(digest)
        user = uow.accounts.user(user_id) if user_id else None
        found = seen(uow, journey_id, user.id) if user and journey_id else None
    if user is None:
        raise NotSignedIn("the session has ended; sign in again")
    return Principal(user.id, user.is_admin, "session", session_digest=digest, seen=found)


@dataclass(frozen=True)
class SignedIn:
    user: UserView
    session_id: str  # the cookie's value: shown to the browser, stored only as a digest


def sign_in(
    db: Database, limiter: SignInLimiter, email: str, password: str, address: str
) -> SignedIn:
    """A new browser session for the account, when the password is right. The same answer,
    after the same work, for a wrong password and for an email with no account."""
    attempt = limiter.begin(email, address)  # 429 here, before any password is checked
    with db.read() as uow:
        user = uow.accounts.user_by_email(email)
        user_id, stored = (user.id, user.password_hash) if user else (None, None)
    ok, upgraded = check_password(stored, password)
    if not ok:
        raise NotSignedIn("the email or the password is wrong", challenge=False)
    with db.write() as uow:
        user = uow.accounts.user(user_id) if user_id else None
        if user is None or user.password_hash != stored:  # deleted or changed meanwhile
            raise NotSignedIn("the email or the password is wrong", challenge=False)
        if upgraded:
            user.password_hash = upgraded
        session_id = new_session_id()
        uow.access.add_session(user.id, token_digest(session_id), SESSION_LIFETIME)
        view = user_view(user)
    attempt.succeeded()
    return SignedIn(view, session_id)


def sign_out(db: Database, who: Principal) -> None:
    """End the caller's browser session (a token has none to end)."""
    signed_in(who)
    if who.session_digest:
        with db.write() as uow:
            uow.access.end_session(who.session_digest)
