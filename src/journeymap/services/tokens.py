"""Personal API tokens: what scripts, notebooks and `journeymap.Client` sign in with.

A token is shown once, when it is made, and stored only as its digest with a short prefix to
tell tokens apart (services/security.py). A user makes and revokes their own; at the server's
machine, `journeymap token create` makes one for any account.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import NotFound
from .policy import Principal, admin, signed_in
from .security import new_token

if TYPE_CHECKING:
    from ..storage import Database, UnitOfWork
    from ..storage.models import TokenRow


@dataclass(frozen=True)
class TokenView:
    id: str
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


@dataclass(frozen=True)
class TokenMade(TokenView):
    token: str  # the token itself: shown this once


def tokens(db: Database, who: Principal) -> list[TokenView]:
    """The caller's tokens (never the tokens themselves)."""
    with db.read() as uow:
        return [_view(t) for t in uow.access.tokens_of(signed_in(who))]


def make_token(db: Database, who: Principal, name: str) -> TokenMade:
    """A new token of the caller's."""
    with db.write() as uow:
        return add(uow, signed_in(who), name)


def make_token_for(db: Database, who: Principal, email: str, name: str) -> TokenMade:
    """A new token of the account with `email` (admins, or at the machine)."""
    admin(who)
    with db.write() as uow:
        user = uow.accounts.user_by_email(email)
        if user is None:
            raise NotFound(f"there is no user '{email}' (journeymap user list shows them)")
        return add(uow, user.id, name)


def revoke_token(db: Database, who: Principal, token_id: str) -> None:
    """Revoke one of the caller's tokens; it stops working at once."""
    with db.write() as uow:
        if not uow.access.revoke_token(signed_in(who), token_id):
            raise NotFound(f"you have no live token '{token_id}'")


def add(uow: UnitOfWork, user_id: str, name: str) -> TokenMade:
    made = new_token()
    row = uow.access.add_token(user_id, name, made.prefix, made.digest)
    return TokenMade(**_view(row).__dict__, token=made.plaintext)


def _view(row: TokenRow) -> TokenView:
    return TokenView(row.id, row.name, row.prefix, row.created_at, row.last_used_at, row.revoked_at)
