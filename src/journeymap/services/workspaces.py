"""Workspaces: a team's journeys, personas, members and evidence, kept together.

Anyone signed in makes one (and owns it); its members read it; its owners rename and delete it,
naming its ETag (If-Match). Deleting a workspace deletes everything in it, for good: each of its
journeys is then announced as deleted (services/journey_changes.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import preconditions
from .errors import NotFound
from .journey_changes import JourneyChanged, publish
from .policy import Principal, signed_in, workspace_role
from .preconditions import IfMatch, time_etag

if TYPE_CHECKING:
    from ..storage import Database, UnitOfWork
    from ..storage.models import WorkspaceRow


@dataclass(frozen=True)
class WorkspaceView:
    id: str
    name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    role: str  # the caller's
    etag: str  # moves with every rename


def workspaces(db: Database, who: Principal) -> list[WorkspaceView]:
    """The caller's workspaces, with their role in each."""
    with db.read() as uow:
        return [_view(w, r) for w, r in uow.accounts.workspaces_of(signed_in(who))]


def create_workspace(db: Database, who: Principal, name: str) -> WorkspaceView:
    """A new workspace, owned by the caller."""
    user = signed_in(who)
    with db.write() as uow:
        row = uow.accounts.add_workspace(name)
        uow.accounts.set_role(row.id, user, "owner")
        return _view(row, "owner")


def workspace(db: Database, who: Principal, workspace_id: str) -> WorkspaceView:
    role = workspace_role(db, who, workspace_id, "viewer")
    with db.read() as uow:
        row = uow.accounts.workspace(workspace_id)
    if row is None:  # deleted since the role check
        raise NotFound(f"there is no workspace '{workspace_id}' of yours")
    return _view(row, role)


def rename_workspace(
    db: Database, who: Principal, workspace_id: str, name: str, if_match: IfMatch | None
) -> WorkspaceView:
    """Owners only."""
    role = workspace_role(db, who, workspace_id, "owner")
    with db.write() as uow:
        row = _locked(uow, workspace_id, role, if_match)
        uow.accounts.rename_workspace(row, name)
        return _view(row, role)


def delete_workspace(
    db: Database, who: Principal, workspace_id: str, if_match: IfMatch | None
) -> None:
    """Owners only; its journeys, their history, comments, evidence and share links, and its
    memberships go with it."""
    role = workspace_role(db, who, workspace_id, "owner")
    with db.write() as uow:
        _locked(uow, workspace_id, role, if_match)
        gone = [(r.id, r.rev) for r in uow.journeys.in_workspace(workspace_id)]
        uow.accounts.delete_workspace(workspace_id)
    for journey_id, rev in gone:
        publish(db, JourneyChanged(journey_id, rev, who.user_id, "deleted"))


def _locked(
    uow: UnitOfWork, workspace_id: str, role: str, if_match: IfMatch | None
) -> WorkspaceRow:
    """The workspace's row, locked for this write, once If-Match is its ETag."""
    row = uow.accounts.workspace(workspace_id, lock=True)
    if row is None:  # deleted since the role check
        raise NotFound(f"there is no workspace '{workspace_id}' of yours")
    preconditions.check_at(if_match, row.updated_at, _view(row, role))
    return row


def _view(row: WorkspaceRow, role: str) -> WorkspaceView:
    return WorkspaceView(
        row.id, row.name, row.created_at, row.updated_at, role, time_etag(row.updated_at)
    )
