"""Two writers adding the same account or library persona at once: the second is told the
row is there (AlreadyStored, a 409 over HTTP), never a database error; on both engines."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from journeymap.storage import Database
from journeymap.storage.unique import AlreadyStored


def _race(db: Database, add: Callable[[Any], object]) -> BaseException | None:
    """`add` in a transaction held open until a second writer doing the same is waiting on
    it; the second writer's error, if any."""
    second: dict[str, BaseException | None] = {"error": None}

    def other() -> None:
        try:
            with db.write() as uow:
                add(uow)
                uow.accounts.add_workspace("after the clash")  # the transaction goes on
        except BaseException as error:  # the test reads it
            second["error"] = error

    with db.write() as uow:
        add(uow)
        thread = threading.Thread(target=other)
        thread.start()
        time.sleep(0.5)  # the other writer is now blocked on our row (or the write lock)
    thread.join(timeout=60)
    assert not thread.is_alive()
    return second["error"]


def test_the_same_email_twice(db: Database) -> None:
    error = _race(db, lambda uow: uow.accounts.add_user("bo@example.com", "Bo"))
    assert isinstance(error, AlreadyStored), repr(error)
    with db.read() as uow:
        assert [u.email for u in uow.accounts.users()].count("bo@example.com") == 1


def test_the_same_library_persona_twice(db: Database) -> None:
    error = _race(db, lambda uow: uow.personas.add("w1", "hannah", {"name": "Hannah"}, "u1"))
    assert isinstance(error, AlreadyStored), repr(error)


def test_a_clash_leaves_the_transaction_usable(db: Database) -> None:
    with db.write() as uow:
        uow.accounts.add_user("cy@example.com", "Cy")
    with db.write() as uow:
        with pytest.raises(AlreadyStored):
            uow.accounts.add_user("CY@example.com", "Cy again")
        uow.accounts.add_user("di@example.com", "Di")  # the same transaction goes on
    with db.read() as uow:
        assert {u.email for u in uow.accounts.users()} >= {"cy@example.com", "di@example.com"}
