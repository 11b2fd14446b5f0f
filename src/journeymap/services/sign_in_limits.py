"""How many guesses at a password anyone gets: failed sign-ins and wrong current passwords
count in one budget per account, and sign-ins in another per address, in a sliding window
(services/security.py's `LoginLimiter`), checked before any password is.

Kept in memory per database this process serves: a restart forgets, which errs towards
letting people in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..per_pool import PerPool
from .errors import TooManyAttempts
from .security import LoginLimiter

if TYPE_CHECKING:
    from ..storage import Database

_limiter_for = PerPool(LoginLimiter)


def limiter(db: Database) -> LoginLimiter:
    return _limiter_for(db.engine.pool)


def account_key(email: str) -> str:
    """The key of guesses at one account's password."""
    return f"user:{email.strip().lower()}"


def address_key(address: str) -> str:
    """The key of sign-ins from one network address."""
    return f"ip:{address}"


def check_allowed(db: Database, *keys: str) -> None:
    """429, saying when to try again, once any of `keys` has used up its guesses."""
    wait = limiter(db).retry_after(*keys)
    if wait:
        seconds = int(wait) + 1
        raise TooManyAttempts(f"too many failed sign-ins; try again in {seconds} s", seconds)


def failed(db: Database, *keys: str) -> None:
    limiter(db).failed(*keys)


def succeeded(db: Database, key: str) -> None:
    limiter(db).succeeded(key)
