"""Workspaces and their members (services/workspaces.py, services/members.py); someone becomes a
member by an invitation (routes/invitations.py)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ...services import members as members_service
from ...services import workspaces as workspaces_service
from ...services.members import MemberView
from ...services.workspaces import WorkspaceView
from ..deps import DB, Expect, Who
from ..schemas.workspaces import (
    MemberPublic,
    MemberUpdate,
    WorkspaceCreate,
    WorkspacePublic,
    WorkspaceUpdate,
)

router = APIRouter(prefix="/api/workspaces", tags=["workspaces"])


@router.get("", response_model=list[WorkspacePublic])
def workspaces(caller: Who, db: DB) -> list[WorkspaceView]:
    """The workspaces you are a member of, with your role in each."""
    return workspaces_service.workspaces(db, caller)


@router.post("", status_code=201, response_model=WorkspacePublic)
def create_workspace(body: WorkspaceCreate, caller: Who, db: DB) -> WorkspaceView:
    """A new workspace; you are its owner."""
    return workspaces_service.create_workspace(db, caller, body.name)


@router.get("/{workspace_id}", response_model=WorkspacePublic)
def workspace(workspace_id: str, caller: Who, response: Response, db: DB) -> WorkspaceView:
    """The workspace and your role in it; its ETag changes with every rename."""
    found = workspaces_service.workspace(db, caller, workspace_id)
    response.headers["ETag"] = found.etag
    return found


@router.patch("/{workspace_id}", response_model=WorkspacePublic)
def rename_workspace(
    workspace_id: str,
    body: WorkspaceUpdate,
    caller: Who,
    response: Response,
    db: DB,
    if_match: Expect,
) -> WorkspaceView:
    """Rename the workspace; owners only, with `If-Match` its ETag."""
    done = workspaces_service.rename_workspace(db, caller, workspace_id, body.name, if_match)
    response.headers["ETag"] = done.etag
    return done


@router.delete("/{workspace_id}", status_code=204)
def delete_workspace(workspace_id: str, caller: Who, db: DB, if_match: Expect) -> None:
    """Delete the workspace for good, with its journeys, their history, comments, evidence and
    share links, and its memberships; owners only, with `If-Match` its ETag. There is no undo
    but a backup (`journeymap backup`)."""
    workspaces_service.delete_workspace(db, caller, workspace_id, if_match)


@router.get("/{workspace_id}/members", response_model=list[MemberPublic])
def members(workspace_id: str, caller: Who, db: DB) -> list[MemberView]:
    """The workspace's members, with their roles (people invited are not, until they accept:
    GET .../invitations)."""
    return members_service.members(db, caller, workspace_id)


@router.patch("/{workspace_id}/members/{user_id}", response_model=MemberPublic)
def change_role(
    workspace_id: str, user_id: str, body: MemberUpdate, caller: Who, db: DB
) -> MemberView:
    """Change a member's role; owners only, and a workspace always keeps an owner."""
    return members_service.change_role(db, caller, workspace_id, user_id, body.role)


@router.delete("/{workspace_id}/members/{user_id}", status_code=204)
def remove_member(workspace_id: str, user_id: str, caller: Who, db: DB) -> None:
    """Remove a member; owners only (or yourself, to leave)."""
    members_service.remove_member(db, caller, workspace_id, user_id)
