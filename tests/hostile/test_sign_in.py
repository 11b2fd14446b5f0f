"""Guessing passwords: each attempt counted before its password is checked (30 at once check
5), an email with no account answered after the same argon2 work, the limiter's memory bounded
however many emails are tried, a stranger's guesses never locking the owner out of their own
address, and weak passwords refused wherever a password is set, with the reason."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from journeymap.services import accounts, sessions
from journeymap.services.errors import Invalid, NotSignedIn, TooManyAttempts
from journeymap.services.policy import MACHINE
from journeymap.services.sign_in_limits import SignInLimiter, SignInLimits
from journeymap.storage import Database, open_database
from tests.server.conftest import PASSWORD, Site

OWNER = "ada@example.com"


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A server's database, set up: Ada is its admin."""
    database = open_database(tmp_path / "team.db")
    accounts.set_up_server(database, OWNER, "Ada", PASSWORD, "Team")
    yield database
    database.dispose()


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The hash argon2 verifies each password against, one entry per check, as it happens."""
    from argon2 import PasswordHasher

    seen: list[str] = []
    lock = threading.Lock()
    real = PasswordHasher.verify

    def counted(self: PasswordHasher, stored: str | bytes, password: str | bytes) -> Any:
        with lock:
            seen.append(stored if isinstance(stored, str) else stored.decode())
        return real(self, stored, password)

    monkeypatch.setattr(PasswordHasher, "verify", counted)
    return seen


def at_once(n: int, call: Callable[[], object]) -> Counter[str]:
    """`call()` in `n` threads released together: how many ended in each way."""
    start = threading.Barrier(n)
    ends: Counter[str] = Counter()
    lock = threading.Lock()

    def run() -> None:
        start.wait()
        try:
            call()
            end = "signed in"
        except Exception as error:
            end = type(error).__name__
        with lock:
            ends[end] += 1

    threads = [threading.Thread(target=run) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return ends


def test_thirty_wrong_passwords_at_once_check_five(db: Database, verified: list[str]) -> None:
    limiter = SignInLimiter()

    ends = at_once(30, lambda: sessions.sign_in(db, limiter, OWNER, "a wrong guess", "10.6.6.6"))
    assert ends == Counter({"TooManyAttempts": 25, "NotSignedIn": 5})
    assert len(verified) == 5  # the other 25 were refused before argon2 ran
    # From another stranger's address too: the account's budget is spent.
    with pytest.raises(TooManyAttempts) as refused:
        sessions.sign_in(db, limiter, OWNER, PASSWORD, "10.7.7.7")
    assert 290 <= refused.value.retry_after_s <= 301
    assert "try again in" in refused.value.detail and len(verified) == 5


def test_an_unknown_email_costs_the_same_argon2_work(db: Database, verified: list[str]) -> None:
    limiter = SignInLimiter()
    answers = []
    for email in (OWNER, "nobody@example.com"):
        with pytest.raises(NotSignedIn) as wrong:
            sessions.sign_in(db, limiter, email, "a wrong guess", "10.6.6.6")
        answers.append((wrong.value.status, wrong.value.detail, wrong.value.headers))
    assert answers[0] == answers[1]  # the same answer
    known, unknown = verified  # one check each ...
    with db.read() as uow:
        user = uow.accounts.user_by_email(OWNER)
        assert user is not None and known == user.password_hash
    assert unknown != known  # ... of a dummy hash with the same parameters:
    assert unknown.rsplit("$", 2)[0] == known.rsplit("$", 2)[0]  # $argon2id$v=19$m=...,t=...,p=...
    # and unknown emails run out of guesses as known ones do.
    for _ in range(4):
        with pytest.raises(NotSignedIn):
            sessions.sign_in(db, limiter, "nobody@example.com", "a wrong guess", "10.6.6.7")
    with pytest.raises(TooManyAttempts):
        sessions.sign_in(db, limiter, "Nobody@Example.com ", "a wrong guess", "10.6.6.8")


def test_a_strangers_guesses_do_not_lock_the_owner_out_of_their_own_address(
    db: Database,
) -> None:
    limiter = SignInLimiter()
    sessions.sign_in(db, limiter, OWNER, PASSWORD, "192.168.1.20")  # Ada, at the office
    for _ in range(5):
        with pytest.raises(NotSignedIn):
            sessions.sign_in(db, limiter, OWNER, "a wrong guess", "10.6.6.6")
    with pytest.raises(TooManyAttempts):  # the stranger is stopped, from any address
        sessions.sign_in(db, limiter, OWNER, "another guess", "10.6.6.99")
    # Ada signs in at the office still; on a new device she waits (slowed, not locked out).
    assert sessions.sign_in(db, limiter, OWNER, PASSWORD, "192.168.1.20").user.email == OWNER
    with pytest.raises(TooManyAttempts):
        sessions.sign_in(db, limiter, OWNER, PASSWORD, "172.16.0.5")
    # Her own typos at the office count against her office alone.
    for _ in range(5):
        with pytest.raises(NotSignedIn):
            sessions.sign_in(db, limiter, OWNER, "a typo", "192.168.1.20")
    with pytest.raises(TooManyAttempts):
        sessions.sign_in(db, limiter, OWNER, PASSWORD, "192.168.1.20")


def test_one_address_trying_many_accounts_is_stopped(db: Database) -> None:
    limiter = SignInLimiter(SignInLimits(address_attempts=8))
    for n in range(8):
        with pytest.raises(NotSignedIn):
            sessions.sign_in(db, limiter, f"guess{n}@example.com", "a wrong guess", "10.6.6.6")
    with pytest.raises(TooManyAttempts):
        sessions.sign_in(db, limiter, OWNER, PASSWORD, "10.6.6.6")
    assert sessions.sign_in(db, limiter, OWNER, PASSWORD, "10.0.0.1").user.email == OWNER


def test_the_limiters_memory_is_bounded() -> None:
    now = [1000.0]
    limiter = SignInLimiter(SignInLimits(entries=500), clock=lambda: now[0])
    # An attempt that is refused makes no entry.
    for _ in range(5):
        limiter.begin(OWNER, "10.0.0.1")
    before = limiter.size()
    for _ in range(100):
        with pytest.raises(TooManyAttempts):
            limiter.begin(OWNER, "10.0.0.1")
    assert limiter.size() == before == 2  # the account's count and the address's
    # 20,000 new emails from 2,000 addresses: never more than the cap.
    for n in range(20_000):
        limiter.begin(f"new{n}@example.com", f"10.{n // 2500}.{n // 10 % 250}.1")
        assert limiter.size() <= 500
        now[0] += 0.001
    # Once the window has passed, the old entries go as new attempts come (not only at the
    # cap: each new entry drops up to two that have expired): 150 attempts later (300 new
    # entries), only theirs are held.
    now[0] += 301
    for n in range(150):
        limiter.begin(f"later{n}@example.com", f"10.9.{n}.9")
    assert limiter.size() == 300


def test_many_new_emails_use_a_few_megabytes() -> None:
    """The default cap: 60,000 guesses at new emails (the attack that took 42 MB when every
    email stayed) hold a bounded number of entries, in a few MB."""
    import tracemalloc

    limiter = SignInLimiter()
    tracemalloc.start()
    try:
        for n in range(60_000):
            limiter.begin(f"someone{n}@example.com", f"10.{n // 2000}.{n // 10 % 200}.1")
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert limiter.size() <= SignInLimits().entries
    assert held < 12 * 1024 * 1024, held


def test_a_success_takes_its_attempt_back(db: Database) -> None:
    limiter = SignInLimiter()
    sessions.sign_in(db, limiter, OWNER, PASSWORD, "10.0.0.1")
    for _ in range(4):
        with pytest.raises(NotSignedIn):
            sessions.sign_in(db, limiter, OWNER, "a typo", "10.0.0.1")
    for _ in range(3):  # right passwords do not use the budget up
        sessions.sign_in(db, limiter, OWNER, PASSWORD, "10.0.0.1")
    with pytest.raises(NotSignedIn):
        sessions.sign_in(db, limiter, OWNER, "a fifth typo", "10.0.0.1")
    with pytest.raises(TooManyAttempts):
        sessions.sign_in(db, limiter, OWNER, PASSWORD, "10.0.0.1")


WEAK = ["aaaaaaaaaa", " " * 10, "password1!"]


@pytest.mark.parametrize("weak", WEAK)
def test_weak_passwords_are_refused_with_the_reason_everywhere(
    db: Database, tmp_path: Path, weak: str
) -> None:
    fresh = open_database(tmp_path / "fresh.db")
    with pytest.raises(Invalid) as setup:
        accounts.set_up_server(fresh, "bo@example.com", "Bo", weak, "Team")
    fresh.dispose()
    assert setup.value.title == "Weak password"
    assert setup.value.detail.startswith("password: it is too easy to guess: ")
    with pytest.raises(Invalid) as made:  # an admin's new account (and `journeymap user add`)
        accounts.add_user(db, MACHINE, "cy@example.com", "Cy", weak)
    assert made.value.extra["errors"][0]["field"] == "password"
    with pytest.raises(Invalid):  # `journeymap user password`
        accounts.reset_password(db, MACHINE, OWNER, weak)
    with db.read() as uow:
        assert uow.accounts.user_by_email("cy@example.com") is None  # nothing made
    signed = sessions.sign_in(db, SignInLimiter(), OWNER, PASSWORD, "10.0.0.1")
    ada = sessions.identify(db, session=signed.session_id)
    with pytest.raises(Invalid) as changed:
        accounts.change_password(db, SignInLimiter(), ada, PASSWORD, weak, "10.0.0.1")
    assert changed.value.detail.startswith("new_password: it is too easy to guess: ")
    # The old password goes on working: nothing was changed.
    assert sessions.sign_in(db, SignInLimiter(), OWNER, PASSWORD, "10.0.0.1")


def test_weak_passwords_over_http_and_the_cli(make_site: Callable[..., Site]) -> None:
    site = make_site()
    c = site.client
    body = {"email": "cy@example.com", "display_name": "Cy", "password": "password1!"}
    refused = c.post("/api/users", json=body, headers=site.auth())
    assert refused.status_code == 422, refused.text
    problem = refused.json()
    assert problem["title"] == "Weak password"
    assert "similar to a commonly used password" in problem["detail"]
    assert problem["errors"][0]["field"] == "password"


def test_limits_come_from_the_environment() -> None:
    from journeymap.services.limits import ENV, ServerLimits

    limits = ServerLimits.from_env(
        {ENV["attempts"]: "3", ENV["entries"]: "100", ENV["window_s"]: "60"}
    )
    assert limits.sign_in == SignInLimits(attempts=3, address_attempts=20, window_s=60, entries=100)
    with pytest.raises(ValueError, match="JOURNEYMAP_SIGN_IN_ATTEMPTS"):
        ServerLimits.from_env({ENV["attempts"]: "0"})
