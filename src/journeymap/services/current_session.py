"""The browser session a request comes with: who it is, for the app to pick up after a reload."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .accounts import UserView, me
from .errors import NotSignedIn
from .policy import Principal

if TYPE_CHECKING:
    from ..storage import Database


def current_user(db: Database, who: Principal) -> UserView:
    """The signed-in user of a browser session; an API token or a share link has no session."""
    if who.via != "session":
        raise NotSignedIn("no browser session: sign in with POST /api/session")
    return me(db, who)
