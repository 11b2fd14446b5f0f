"""A live connection's caller check: when nothing it decides on changed, one query answers
(the full check does not run); any change it decides on still ends the connection, with the
full check's own close code. On SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from journeymap.services import live
from journeymap.services.journeys import create_journey, delete_journey
from journeymap.services.live import LiveCaller, LiveClosed
from journeymap.services.preconditions import IfMatch
from journeymap.services.security import new_session_id, new_token, token_digest
from journeymap.services.templates import new_journey
from journeymap.storage import Database
from journeymap.storage.models import SessionRow, TokenRow
from tests.db_fixtures import db, db_url  # noqa: F401

NO_PASSWORD = "!"


@dataclass
class World:
    db: Database
    workspace: str
    user: str
    token: str
    token_id: str
    session: str
    journey: str


@pytest.fixture
def world(db: Database) -> World:  # noqa: F811
    made = new_token()
    session = new_session_id()
    with db.write() as uow:
        workspace = uow.accounts.add_workspace("W").id
        owner = uow.accounts.add_user("owner@example.com", "Owner", NO_PASSWORD).id
        uow.accounts.set_role(workspace, owner, "owner")
        user = uow.accounts.add_user("ed@example.com", "Ed", NO_PASSWORD).id
        uow.accounts.set_role(workspace, user, "editor")
        token_id = uow.access.add_token(user, "live", made.prefix, made.digest).id
        uow.access.add_session(user, token_digest(session), dt.timedelta(days=1))
    journey = create_journey(db, workspace, new_journey(framework="three-stage"), owner).id
    return World(db, workspace, user, made.plaintext, token_id, session, journey)


def _counting_full_checks(caller: LiveCaller, monkeypatch: pytest.MonkeyPatch) -> Callable[[], int]:
    calls = [0]
    full = caller._recheck_fully

    def counted() -> object:
        calls[0] += 1
        return full()

    monkeypatch.setattr(caller, "_recheck_fully", counted)
    return lambda: calls[0]


@pytest.mark.parametrize("via", ["token", "session"])
def test_an_unchanged_caller_is_answered_by_one_query(
    world: World, via: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if via == "token":
        caller = live.sign_in(world.db, world.journey, bearer=world.token)
    else:
        caller = live.sign_in(world.db, world.journey, session=world.session)
    caller.recheck()  # (a token's use noted at sign-in reads as a change once: checked in full)
    full_checks = _counting_full_checks(caller, monkeypatch)
    for _ in range(5):
        who = caller.recheck()
    assert who.user_id == world.user and caller.role == "editor" and caller.may_write
    assert full_checks() == 0


def _revoke(w: World) -> None:
    with w.db.write() as uow:
        assert uow.access.revoke_token(w.user, w.token_id)


def _lower(w: World) -> None:
    with w.db.write() as uow:
        uow.accounts.set_role(w.workspace, w.user, "viewer")


def _remove(w: World) -> None:
    with w.db.write() as uow:
        assert uow.accounts.remove_member(w.workspace, w.user)


def _delete(w: World) -> None:
    delete_journey(w.db, w.journey, None, IfMatch("*", None))


def _end_session(w: World) -> None:
    with w.db.write() as uow:
        uow.access.end_session(token_digest(w.session))


def _expire_session(w: World) -> None:
    with w.db.write() as uow:
        row = uow.session.get(SessionRow, token_digest(w.session))
        assert row is not None
        row.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1)


@pytest.mark.parametrize(
    ("via", "change", "code"),
    [
        ("token", _revoke, live.CLOSE_NOT_SIGNED_IN),
        ("token", _lower, live.CLOSE_FORBIDDEN),
        ("token", _remove, live.CLOSE_GONE),
        ("token", _delete, live.CLOSE_GONE),
        ("session", _end_session, live.CLOSE_NOT_SIGNED_IN),
        ("session", _expire_session, live.CLOSE_NOT_SIGNED_IN),
        ("session", _lower, live.CLOSE_FORBIDDEN),
    ],
)
def test_any_change_the_check_decides_on_still_closes(
    world: World, via: str, change: Callable[[World], None], code: int
) -> None:
    if via == "token":
        caller = live.sign_in(world.db, world.journey, bearer=world.token)
    else:
        caller = live.sign_in(world.db, world.journey, session=world.session)
    caller.recheck()  # the quick path, as between messages
    change(world)
    with pytest.raises(LiveClosed) as closed:
        caller.recheck()
    assert closed.value.code == code


def test_a_token_use_is_still_noted_once_a_minute(world: World) -> None:
    caller = live.sign_in(world.db, world.journey, bearer=world.token)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)
    with world.db.write() as uow:
        row = uow.session.get(TokenRow, world.token_id)
        assert row is not None
        row.last_used_at = long_ago
    caller.recheck()
    with world.db.read() as uow:
        row = uow.session.get(TokenRow, world.token_id)
        assert row is not None and row.last_used_at is not None
        assert row.last_used_at > long_ago
