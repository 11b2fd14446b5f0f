"""Secrets done once, the same way everywhere: passwords, API tokens, CSRF tokens, login limits.

- Passwords are hashed with argon2id (argon2-cffi's defaults: RFC 9106's low-memory profile);
  a hash made with older parameters is re-hashed at the next successful login.
- API tokens are 32 random bytes, shown once. They carry a short public prefix (so a user can
  tell them apart in a list) and are stored as a SHA-256 digest: a token is random, not chosen
  by a person, so a fast digest is safe and lets every request be checked in microseconds.
- CSRF: a browser session's token is an HMAC of its session id under the server's secret, so
  nothing more is stored; it must come back in a header on every unsafe request.
- Logins are limited per account and per address, in a sliding window, before any password is
  checked, so guessing costs the guesser time and not the server.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

TOKEN_PREFIX = "jm_"
TOKEN_BYTES = 32
SESSION_BYTES = 32


def hash_password(password: str) -> str:
    """An argon2id hash (with its salt and parameters) to store in place of the password."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


def check_password(stored: str, password: str) -> tuple[bool, str | None]:
    """(whether `password` matches `stored`, a new hash to store when the parameters changed)."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = PasswordHasher()
    try:
        hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False, None
    return True, hasher.hash(password) if hasher.check_needs_rehash(stored) else None


def password_problem(password: str, username: str = "") -> str | None:
    """Why a new password is refused, or None. Length is what matters most (NIST SP 800-63B):
    at least 10 characters, at most 256, and not the user name."""
    if len(password) < 10:
        return "use at least 10 characters (a few words make a good one)"
    if len(password) > 256:
        return "use at most 256 characters"
    if username and password.strip().lower() == username.strip().lower():
        return "do not use the user name as the password"
    return None


@dataclass(frozen=True)
class NewToken:
    plaintext: str  # shown to the user once, never stored
    prefix: str  # stored and shown in lists: "jm_Ab3dE"
    digest: str  # stored: SHA-256 of the plaintext, hex


def new_token() -> NewToken:
    body = secrets.token_urlsafe(TOKEN_BYTES)
    plaintext = TOKEN_PREFIX + body
    return NewToken(plaintext, plaintext[: len(TOKEN_PREFIX) + 5], token_digest(plaintext))


def token_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def new_session_id() -> str:
    return secrets.token_urlsafe(SESSION_BYTES)


def csrf_token(secret: bytes, session_id: str) -> str:
    """The CSRF token of a browser session: it changes with the session, and needs no storage."""
    return hmac.new(secret, b"csrf:" + session_id.encode(), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, session_id: str, presented: str | None) -> bool:
    return presented is not None and hmac.compare_digest(csrf_token(secret, session_id), presented)


@dataclass
class LoginLimiter:
    """At most `attempts` failed logins per key (an account, an address) in `window_s`
    seconds; a success clears the account's count. Thread-safe; the clock can be replaced in
    tests. Kept in memory: a restart forgets, which errs towards letting people in."""

    attempts: int = 5
    window_s: float = 300.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, *keys: str) -> float:
        """Seconds until a login may be tried again for these keys; 0 when it may now."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key in keys:
                recent = self._recent(key, now)
                if len(recent) >= self.attempts:
                    wait = max(wait, recent[0] + self.window_s - now)
        return wait

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for key in keys:
                self._recent(key, now).append(now)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def _recent(self, key: str, now: float) -> deque[float]:
        recent = self._failures.setdefault(key, deque())
        while recent and recent[0] <= now - self.window_s:
            recent.popleft()
        return recent
