"""The repository of invitations to workspaces (services/invitations.py has the rules)."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .accounts import new_key
from .models import InvitationRow, UserRow, WorkspaceRow, utcnow
from .unique import insert_new


class InvitationRepo:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(
        self, workspace_id: str, email: str, role: str, invited_by: str | None
    ) -> InvitationRow:
        """AlreadyStored when the workspace has invited this email already (meanwhile too)."""
        row = InvitationRow(
            id=new_key(),
            workspace_id=workspace_id,
            email=email.strip().lower(),
            role=role,
            invited_by=invited_by,
            created_at=utcnow(),
        )
        insert_new(self.session, row)
        return row

    def get(self, invitation_id: str) -> InvitationRow | None:
        return self.session.get(InvitationRow, invitation_id)

    def of_workspace(self, workspace_id: str) -> list[InvitationRow]:
        query = (
            select(InvitationRow)
            .where(InvitationRow.workspace_id == workspace_id)
            .order_by(InvitationRow.created_at, InvitationRow.id)
        )
        return list(self.session.scalars(query))

    def count_of_workspace(self, workspace_id: str) -> int:
        query = select(func.count()).where(InvitationRow.workspace_id == workspace_id)
        return int(self.session.scalar(query) or 0)

    def for_email(self, email: str) -> list[tuple[InvitationRow, WorkspaceRow, UserRow | None]]:
        """Invitations to `email`, each with its workspace and who sent it (None once gone)."""
        query = (
            select(InvitationRow, WorkspaceRow, UserRow)
            .join(WorkspaceRow, WorkspaceRow.id == InvitationRow.workspace_id)
            .outerjoin(UserRow, UserRow.id == InvitationRow.invited_by)
            .where(InvitationRow.email == email.strip().lower())
            .order_by(InvitationRow.created_at, InvitationRow.id)
        )
        return [(i, w, u) for i, w, u in self.session.execute(query).tuples()]

    def remove(self, invitation_id: str) -> bool:
        done = self.session.execute(delete(InvitationRow).where(InvitationRow.id == invitation_id))
        return bool(getattr(done, "rowcount", 0))
