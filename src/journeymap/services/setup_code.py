"""The first run's set-up code: whoever reaches a new server first must also know the code
`journeymap serve` printed on its console, or anyone on the network could make themselves the
server's admin.

The code is made when the server starts with no account (or taken from
`$JOURNEYMAP_SETUP_CODE`, for automated installs), kept in the process only as its SHA-256
digest, and compared in constant time. Sixteen random characters (80 bits) need no attempt
limit. Once the first account exists, set-up is refused whatever the code.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .accounts import UserView, set_up_server
from .errors import Conflict, Forbidden

if TYPE_CHECKING:
    from ..storage import Database

ENV = "JOURNEYMAP_SETUP_CODE"
# No 0/O, 1/I/L: the code is read off a console and typed.
_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


@dataclass(frozen=True)
class SetupCode:
    """A set-up code's digest; the plain code is never kept."""

    digest: bytes

    @classmethod
    def of(cls, code: str) -> SetupCode:
        return cls(_digest(code))

    def matches(self, given: str) -> bool:
        return hmac.compare_digest(self.digest, _digest(given))


def new_code() -> str:
    """A fresh code, grouped in fours to read aloud: `K7QM-2XDA-...`."""
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(chars[i : i + 4] for i in range(0, 16, 4))


def code_for_start(db: Database) -> str | None:
    """The code a starting server prints: None when the database already has an account."""
    with db.read() as uow:
        if uow.accounts.user_count():
            return None
    return os.environ.get(ENV) or new_code()


def _digest(code: str) -> bytes:
    # Dashes, spaces and case are how a person copies it, not part of it.
    normal = "".join(code.split()).replace("-", "").upper()
    return hashlib.sha256(normal.encode()).digest()


def set_up_with_code(
    db: Database,
    expected: SetupCode | None,
    given: str,
    email: str,
    display_name: str,
    password: str,
    workspace: str,
) -> UserView:
    """The first account, when `given` is the code this server printed."""
    if expected is None or not expected.matches(given):
        with db.read() as uow:
            if uow.accounts.user_count():
                raise Conflict("this server has users; sign in instead", title="Already set up")
        raise Forbidden(
            "setup_code: that is not the set-up code; `journeymap serve` prints it on its "
            "console when the database has no account yet (or set "
            f"{ENV} before starting it)",
            title="Wrong set-up code",
        )
    return set_up_server(db, email, display_name, password, workspace)
