"""A workspace's members and their roles (services/policy.py says what each role may do).

Someone becomes a member by accepting an invitation (services/invitations.py); owners change
members' roles and remove members; anyone may leave. A workspace always keeps an owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .errors import NotFound
from .policy import Principal, keep_an_owner, to_remove_member, workspace_role

if TYPE_CHECKING:
    from ..storage import Database, UnitOfWork
    from ..storage.models import UserRow


@dataclass(frozen=True)
class MemberView:
    user_id: str
    email: str
    display_name: str
    role: str


def members(db: Database, who: Principal, workspace_id: str) -> list[MemberView]:
    workspace_role(db, who, workspace_id, "viewer")
    with db.read() as uow:
        return [_view(u, m.role) for m, u in uow.accounts.members(workspace_id)]


def change_role(
    db: Database, who: Principal, workspace_id: str, user_id: str, role: str
) -> MemberView:
    """Owners only, and a workspace always keeps an owner."""
    workspace_role(db, who, workspace_id, "owner")
    with db.write() as uow:
        current = uow.accounts.role(workspace_id, user_id)
        user = uow.accounts.user(user_id)
        if current is None or user is None:
            raise NotFound(f"'{user_id}' is not a member")
        keep_an_owner(lambda: _owners(uow, workspace_id), current, role)
        uow.accounts.set_role(workspace_id, user_id, role)
        return _view(user, role)


def remove_member(db: Database, who: Principal, workspace_id: str, user_id: str) -> None:
    """Owners only (or the member themselves, leaving)."""
    workspace_role(db, who, workspace_id, to_remove_member(who, user_id))
    with db.write() as uow:
        current = uow.accounts.role(workspace_id, user_id)
        if current is None:
            raise NotFound(f"'{user_id}' is not a member")
        keep_an_owner(lambda: _owners(uow, workspace_id), current, None)
        uow.accounts.remove_member(workspace_id, user_id)


def _owners(uow: UnitOfWork, workspace_id: str) -> int:
    return sum(1 for m, _ in uow.accounts.members(workspace_id) if m.role == "owner")


def _view(user: UserRow, role: str) -> MemberView:
    return MemberView(user.id, user.email, user.display_name, role)
