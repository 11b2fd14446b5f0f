"""Inserting a row whose key or unique column someone else may be inserting at the same time.

A check for an existing row and then an insert is not enough on PostgreSQL: two requests can
both find nothing, and the second insert then fails on the unique index. The insert runs in a
savepoint, so that failure is told apart (`AlreadyStored`) and the transaction goes on."""

from __future__ import annotations

from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session


class AlreadyStored(ValueError):
    """A row with that key (or unique value) is there already."""


def insert_new(session: Session, row: Any) -> None:
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        raise AlreadyStored(f"{type(row).__name__} is there already") from None
