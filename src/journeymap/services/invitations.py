"""Invitations: how someone becomes a member of a workspace. Its owners invite an email with a
role; the person with that email sees the invitation in their account and accepts it (then,
and only then, they are a member) or declines it.

- Inviting answers the same, with the same work, whether or not the email has an account, so
  no one learns which emails do; and no one is added to a workspace without saying yes.
- Until accepted, the workspace shows the invited email and role only, never the person's name
  (whoever they are, they have not joined).
- A workspace holds at most `PENDING` invitations at once: anyone may make a workspace, and an
  invitation is a line in a stranger's account.
- An owner withdraws an invitation; the invited person declines it; either way it is gone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.roles import RANK
from ..storage.unique import AlreadyStored
from .errors import Conflict, NotFound, invalid_field
from .policy import Principal, signed_in, workspace_role
from .workspaces import WorkspaceView, workspace

if TYPE_CHECKING:
    from ..storage import Database, UnitOfWork
    from ..storage.models import InvitationRow

PENDING = 100  # invitations a workspace may have waiting at once


@dataclass(frozen=True)
class InvitationView:
    """An invitation as the workspace sees it: the email only."""

    id: str
    workspace_id: str
    email: str
    role: str
    invited_at: dt.datetime


@dataclass(frozen=True)
class InvitationToYou:
    """An invitation as the invited person sees it: where to, as what, from whom."""

    id: str
    workspace_id: str
    workspace_name: str
    role: str
    invited_by: str | None  # the inviter's display name; None once their account is gone
    invited_at: dt.datetime


def invite(
    db: Database, who: Principal, workspace_id: str, email: str, role: str
) -> InvitationView:
    """Invite `email` to the workspace with `role` (owners)."""
    workspace_role(db, who, workspace_id, "owner")
    address = _email(email)
    with db.write() as uow:
        # Members are listed to the owner already, by email: telling them is no leak.
        user = uow.accounts.user_by_email(address)
        if user is not None and uow.accounts.role(workspace_id, user.id) is not None:
            raise Conflict(f"{address} is a member already", title="Already a member")
        if uow.invitations.count_of_workspace(workspace_id) >= PENDING:
            raise Conflict(
                f"this workspace has {PENDING} invitations waiting; withdraw some first",
                title="Too many invitations",
            )
        try:
            row = uow.invitations.add(workspace_id, address, role, signed_in(who))
        except AlreadyStored:
            raise Conflict(
                f"{address} is invited already; withdraw that invitation to change its role",
                title="Invited already",
            ) from None
        return _view(row)


def invitations(db: Database, who: Principal, workspace_id: str) -> list[InvitationView]:
    """The workspace's invitations waiting for an answer (its members see them)."""
    workspace_role(db, who, workspace_id, "viewer")
    with db.read() as uow:
        return [_view(r) for r in uow.invitations.of_workspace(workspace_id)]


def withdraw(db: Database, who: Principal, workspace_id: str, invitation_id: str) -> None:
    """Take an invitation back (owners)."""
    workspace_role(db, who, workspace_id, "owner")
    with db.write() as uow:
        row = uow.invitations.get(invitation_id)
        if row is None or row.workspace_id != workspace_id:
            raise NotFound(f"this workspace has no invitation '{invitation_id}'")
        uow.invitations.remove(row.id)


def mine(db: Database, who: Principal) -> list[InvitationToYou]:
    """The invitations to the caller's email."""
    with db.read() as uow:
        me = uow.accounts.user(signed_in(who))
        if me is None:
            return []
        return [
            InvitationToYou(i.id, w.id, w.name, i.role, u.display_name if u else None, i.created_at)
            for i, w, u in uow.invitations.for_email(me.email)
        ]


def accept(db: Database, who: Principal, invitation_id: str) -> WorkspaceView:
    """Join the workspace with the invitation's role (a member already keeps the higher of
    the two roles); the invitation is used up. The workspace, as its members see it."""
    user_id = signed_in(who)
    with db.write() as uow:
        row = _yours(uow, user_id, invitation_id)
        now = uow.accounts.role(row.workspace_id, user_id)
        role = row.role if now is None or RANK[row.role] > RANK[now] else now
        uow.accounts.set_role(row.workspace_id, user_id, role)
        uow.invitations.remove(row.id)
        workspace_id = row.workspace_id
    return workspace(db, who, workspace_id)


def decline(db: Database, who: Principal, invitation_id: str) -> None:
    """Say no: the invitation is gone, and the workspace never learns who you are."""
    user_id = signed_in(who)
    with db.write() as uow:
        uow.invitations.remove(_yours(uow, user_id, invitation_id).id)


def _yours(uow: UnitOfWork, user_id: str, invitation_id: str) -> InvitationRow:
    """The invitation, when it is to this user's email; 404 otherwise (as if there were none:
    another's invitations are not yours to see)."""
    me = uow.accounts.user(user_id)
    row = uow.invitations.get(invitation_id)
    if me is None or row is None or row.email != me.email:
        raise NotFound(f"you have no invitation '{invitation_id}'")
    return row


def _email(email: str) -> str:
    address = email.strip().lower()
    name, at, host = address.partition("@")
    if not (name and at and host) or any(c.isspace() for c in address):
        raise invalid_field("email", "give an email address, like ann@example.com")
    return address


def _view(row: InvitationRow) -> InvitationView:
    return InvitationView(row.id, row.workspace_id, row.email, row.role, row.created_at)
