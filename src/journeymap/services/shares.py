"""Read-only share links to one journey: made by an editor, shown once, revocable, may expire.

The token is stored only as its digest (as personal API tokens are); lists show its short
prefix. Whoever holds it reads that journey (the journey, its entities, export, history,
evidence and posters) and nothing else: services/policy.py sees to that.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import NotFound
from .policy import Principal, journey_access, signed_in
from .security import new_token

if TYPE_CHECKING:
    from ..storage import Database
    from ..storage.models import ShareLinkRow

SHARED_PATH = "/shared/"


@dataclass(frozen=True)
class ShareLinkView:
    id: str
    prefix: str
    created_by: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


@dataclass(frozen=True)
class ShareLinkMade(ShareLinkView):
    token: str  # shown this once
    url: str


def make_link(
    db: Database, who: Principal, journey_id: str, expires_in_days: int | None = None
) -> ShareLinkMade:
    """A new read-only link to the journey (editors)."""
    journey_access(db, who, journey_id, "editor")
    user = signed_in(who)
    made = new_token()
    expires = None
    if expires_in_days is not None:
        expires = dt.datetime.now(dt.UTC) + dt.timedelta(days=expires_in_days)
    with db.write() as uow:
        row = uow.access.add_share_link(journey_id, made.prefix, made.digest, user, expires)
        view = _view(row)
    return ShareLinkMade(**vars(view), token=made.plaintext, url=SHARED_PATH + made.plaintext)


def links(db: Database, who: Principal, journey_id: str) -> list[ShareLinkView]:
    """The journey's links, oldest first, revoked ones included (editors)."""
    journey_access(db, who, journey_id, "editor")
    with db.read() as uow:
        return [_view(r) for r in uow.access.share_links_of(journey_id)]


def revoke_link(db: Database, who: Principal, journey_id: str, link_id: str) -> None:
    """It stops working at once (editors)."""
    journey_access(db, who, journey_id, "editor")
    with db.write() as uow:
        done = uow.access.revoke_share_link(journey_id, link_id)
    if not done:
        raise NotFound(
            f"this journey has no live share link '{link_id}' (it may be revoked already); "
            f"GET /api/journeys/{journey_id}/share-links lists them"
        )


def opened_journey(db: Database, who: Principal) -> str:
    """The journey a share link opens, for the page at the link's address, which names no
    journey (404 for anyone but a link's holder, and once the journey is deleted)."""
    if who.via != "share" or who.shared_journey is None:
        raise NotFound(
            "send a share link's token as X-Share-Token; signed-in members open journeys "
            "from their workspace's library"
        )
    journey_access(db, who, who.shared_journey, "viewer")
    return who.shared_journey


def _view(row: ShareLinkRow) -> ShareLinkView:
    return ShareLinkView(
        row.id, row.prefix, row.created_by, row.created_at, row.expires_at, row.revoked_at
    )
