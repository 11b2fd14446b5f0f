"""Passwords, tokens and CSRF: the secrets every route relies on. (The sign-in limiter and the
strength check against hostile input: tests/hostile/test_sign_in.py.)"""

from __future__ import annotations

from journeymap.services import security as s


def test_passwords_are_hashed_with_argon2id_and_checked() -> None:
    stored = s.hash_password("correct horse battery")
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert s.check_password(stored, "correct horse battery") == (True, None)
    assert s.check_password(stored, "correct horse battery!") == (False, None)
    assert s.check_password("not a hash", "anything") == (False, None)
    assert s.hash_password("same words here") != s.hash_password("same words here")  # salted


def test_an_old_hash_is_upgraded_at_the_next_login() -> None:
    from argon2 import PasswordHasher

    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("long enough pass")
    ok, upgraded = s.check_password(weak, "long enough pass")
    assert ok and upgraded is not None and upgraded != weak
    assert s.check_password(upgraded, "long enough pass") == (True, None)


def test_password_rules() -> None:
    assert s.password_problem("short") == "use at least 10 characters (a few words make a good one)"
    assert s.password_problem("x" * 257) == "use at most 256 characters"
    assert s.password_problem("Alex@Example.com", "alex@example.com") == (
        "do not use your email as the password"
    )
    assert s.password_problem("a perfectly fine pass", "alex@example.com") is None
    # Easy to guess, with zxcvbn's reason.
    assert s.password_problem("aaaaaaaaaa") == (
        'it is too easy to guess: Repeats like "aaa" are easy to guess. Add another word or '
        "two. Uncommon words are better. Avoid repeated words and characters."
    )
    assert "commonly used password" in (s.password_problem("password1!") or "")
    assert s.password_problem(" " * 10) is not None
    # What the account is called is easy to guess too.
    assert s.password_problem("alexlovelace42", "alex@example.com", "Alex Lovelace") is not None
    assert s.password_problem("alexlovelace42", "bo@example.com", "Bo") is None
    # Only the first 16 characters are scored, and the reason says so.
    weak_start = s.password_problem("aaaaaaaaaaaaaaaaaaaa and then words")
    assert (weak_start or "").startswith("its first 16 characters are too easy to guess:")


def test_tokens_are_shown_once_and_stored_as_a_digest() -> None:
    first, second = s.new_token(), s.new_token()
    assert first.plaintext != second.plaintext and first.plaintext.startswith("jm_")
    assert len(first.plaintext) > 40 and first.plaintext.startswith(first.prefix)
    assert first.digest == s.token_digest(first.plaintext) and first.plaintext not in first.digest
    assert s.token_digest(first.plaintext + "x") != first.digest


def test_csrf_tokens_belong_to_their_session() -> None:
    secret = b"k" * 32
    one, two = s.new_session_id(), s.new_session_id()
    token = s.csrf_token(secret, one)
    assert s.csrf_ok(secret, one, token)
    assert not s.csrf_ok(secret, two, token)  # another session's token
    assert not s.csrf_ok(b"other secret", one, token)  # another server's
    assert not s.csrf_ok(secret, one, None) and not s.csrf_ok(secret, one, "")
