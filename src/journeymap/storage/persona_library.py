"""The workspace's persona library: its rows, one persona each."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .models import LibraryPersonaRow, later_than, utcnow
from .unique import insert_new


class PersonaLibraryRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def of(self, workspace_id: str) -> list[LibraryPersonaRow]:
        query = select(LibraryPersonaRow).where(LibraryPersonaRow.workspace_id == workspace_id)
        return list(self.session.scalars(query.order_by(LibraryPersonaRow.persona_id)))

    def get(
        self, workspace_id: str, persona_id: str, *, lock: bool = False
    ) -> LibraryPersonaRow | None:
        return self.session.get(
            LibraryPersonaRow, (workspace_id, persona_id), with_for_update=lock or None
        )

    def add(
        self, workspace_id: str, persona_id: str, data: dict[str, Any], actor: str | None
    ) -> LibraryPersonaRow:
        ts = utcnow()
        row = LibraryPersonaRow(
            workspace_id=workspace_id,
            persona_id=persona_id,
            data=data,
            created_by=actor,
            created_at=ts,
            updated_at=ts,
        )
        insert_new(self.session, row)  # AlreadyStored when the id is taken meanwhile
        return row

    def replace(self, row: LibraryPersonaRow, data: dict[str, Any]) -> None:
        row.data = data
        row.updated_at = later_than(row.updated_at)
        self.session.flush()

    def remove(self, workspace_id: str, persona_id: str) -> None:
        self.session.execute(
            delete(LibraryPersonaRow).where(
                LibraryPersonaRow.workspace_id == workspace_id,
                LibraryPersonaRow.persona_id == persona_id,
            )
        )
