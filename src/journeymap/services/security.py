"""Secrets done once, the same way everywhere: passwords, API tokens, and CSRF tokens.

- Passwords are hashed with argon2id (argon2-cffi's defaults: RFC 9106's low-memory profile);
  a hash made with older parameters is re-hashed at the next successful login.
- API tokens are 32 random bytes, shown once. They carry a short public prefix (so a user can
  tell them apart in a list) and are stored as a SHA-256 digest: a token is random, not chosen
  by a person, so a fast digest is safe and lets every request be checked in microseconds.
- CSRF: a browser session's token is an HMAC of its session id under the server's secret, so
  nothing more is stored; it must come back in a header on every unsafe request.
- A new password must be long enough and hard to guess: zxcvbn (offline, with its own word
  lists) estimates how many guesses it takes, and says why when too few.
- Checking a password against no account costs what checking one against an account does (a
  dummy hash of the same kind is verified), so the time of an answer tells no one whether an
  email has an account. (How many guesses anyone gets: services/sign_in_limits.py.)
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

# zxcvbn's score 3, "safely unguessable": about 10^8 guesses or more. It looks at the first
# STRENGTH_WINDOW characters: its work grows far faster than the length (over a minute for
# 256 characters), and 16 characters take it 0.2 s at worst (measured: every character of its
# l33t table in a row).
STRENGTH_SCORE = 3
STRENGTH_WINDOW = 16
TOKEN_PREFIX = "jm_"
TOKEN_BYTES = 32
SESSION_BYTES = 32


def hash_password(password: str) -> str:
    """An argon2id hash (with its salt and parameters) to store in place of the password."""
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


def check_password(stored: str | None, password: str) -> tuple[bool, str | None]:
    """(whether `password` matches `stored`, a new hash to store when the parameters changed).
    With no hash to check (no such account, or one without a password) a dummy hash is
    checked instead: the same work, and never a match."""
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = PasswordHasher()
    try:
        hasher.verify(stored or _dummy_hash(), password)
    except (VerificationError, InvalidHashError):
        return False, None
    if not stored:  # pragma: no cover - no one knows the dummy's password
        return False, None
    return True, hasher.hash(password) if hasher.check_needs_rehash(stored) else None


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(24))


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """Why a new password is refused, or None. Length matters most (NIST SP 800-63B): 10 to
    256 characters, not the email; then it must not be easy to guess (zxcvbn's score 3 or
    more), with zxcvbn's reason when it is."""
    if len(password) < 10:
        return "use at least 10 characters (a few words make a good one)"
    if len(password) > 256:
        return "use at most 256 characters"
    if email and password.strip().lower() == email.strip().lower():
        return "do not use your email as the password"
    words = name.split()
    return _guessable(password, [email, email.split("@")[0], name, "".join(words), *words])


def _guessable(password: str, known: Sequence[str]) -> str | None:
    from zxcvbn import zxcvbn

    window = password[:STRENGTH_WINDOW]
    found = zxcvbn(window, user_inputs=[k for k in known if k] + ["journeymap"])
    if found["score"] >= STRENGTH_SCORE:
        return None
    advice = found["feedback"]
    why = " ".join([advice["warning"], *advice["suggestions"]]).strip()
    what = "it is" if window == password else f"its first {STRENGTH_WINDOW} characters are"
    return f"{what} too easy to guess: {why or 'add another word or two.'}"


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
