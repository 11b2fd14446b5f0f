"""The repository of saved views of journeys (services/saved_views.py has the rules)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from .accounts import new_key
from .models import SavedViewRow, UserRow, later_than, utcnow
from .unique import insert_new


class SavedViewRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self, journey_id: str, owner_id: str, name: str, shared: bool, settings: dict[str, Any]
    ) -> SavedViewRow:
        """AlreadyStored when the owner has a view of that name on the journey (meanwhile too)."""
        now = utcnow()
        row = SavedViewRow(
            id=new_key(),
            journey_id=journey_id,
            owner_id=owner_id,
            name=name,
            shared=shared,
            settings=settings,
            created_at=now,
            updated_at=now,
        )
        insert_new(self.session, row)
        return row

    def get(self, journey_id: str, view_id: str, *, lock: bool = False) -> SavedViewRow | None:
        query = select(SavedViewRow).where(
            SavedViewRow.journey_id == journey_id, SavedViewRow.id == view_id
        )
        if lock:
            query = query.with_for_update()
        return self.session.scalars(query).first()

    def visible_to(self, journey_id: str, user_id: str) -> list[tuple[SavedViewRow, UserRow]]:
        """The user's own views of the journey and those shared with its team, each with its
        owner; shared first, then by name."""
        query = (
            select(SavedViewRow, UserRow)
            .join(UserRow, UserRow.id == SavedViewRow.owner_id)
            .where(
                SavedViewRow.journey_id == journey_id,
                or_(SavedViewRow.owner_id == user_id, SavedViewRow.shared.is_(True)),
            )
            .order_by(SavedViewRow.shared.desc(), SavedViewRow.name, SavedViewRow.id)
        )
        return [(v, u) for v, u in self.session.execute(query).tuples()]

    def count(self, journey_id: str, *, owner_id: str | None = None, shared: bool = False) -> int:
        """How many views of the journey the owner has (or, `shared`, are shared)."""
        query = select(func.count()).where(SavedViewRow.journey_id == journey_id)
        if owner_id is not None:
            query = query.where(SavedViewRow.owner_id == owner_id)
        if shared:
            query = query.where(SavedViewRow.shared.is_(True))
        return int(self.session.scalar(query) or 0)

    def named(self, journey_id: str, owner_id: str, name: str) -> SavedViewRow | None:
        query = select(SavedViewRow).where(
            SavedViewRow.journey_id == journey_id,
            SavedViewRow.owner_id == owner_id,
            SavedViewRow.name == name,
        )
        return self.session.scalars(query).first()

    def change(
        self, row: SavedViewRow, name: str, shared: bool, settings: dict[str, Any]
    ) -> SavedViewRow:
        row.name, row.shared, row.settings = name, shared, settings
        row.updated_at = later_than(row.updated_at)
        self.session.flush()
        return row

    def remove(self, journey_id: str, view_id: str) -> bool:
        done = self.session.execute(
            delete(SavedViewRow).where(
                SavedViewRow.journey_id == journey_id, SavedViewRow.id == view_id
            )
        )
        return bool(getattr(done, "rowcount", 0))
