"""Workspaces and their members."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request, Response

from ..access import Caller, identify, signed_in, workspace_role
from ..http import ProblemError, check_if_match_at, time_etag
from ..schemas.workspaces import (
    MemberAdd,
    MemberPublic,
    MemberUpdate,
    WorkspaceCreate,
    WorkspacePublic,
    WorkspaceUpdate,
)

if TYPE_CHECKING:
    from ...storage import UnitOfWork

router = APIRouter(prefix="/api/workspaces", tags=["workspaces"])
Who = Annotated[Caller, Depends(identify)]


@router.get("", response_model=list[WorkspacePublic])
def workspaces(caller: Who, request: Request) -> list[WorkspacePublic]:
    """The workspaces you are a member of, with your role in each."""
    with request.app.state.db.read() as uow:
        rows = uow.accounts.workspaces_of(signed_in(caller))
    return [_public(w, r) for w, r in rows]


@router.post("", status_code=201, response_model=WorkspacePublic)
def create_workspace(body: WorkspaceCreate, caller: Who, request: Request) -> WorkspacePublic:
    """A new workspace; you are its owner."""
    user = signed_in(caller)
    with request.app.state.db.write() as uow:
        row = uow.accounts.add_workspace(body.name)
        uow.accounts.set_role(row.id, user, "owner")
        return _public(row, "owner")


@router.get("/{workspace_id}", response_model=WorkspacePublic)
def workspace(
    workspace_id: str, caller: Who, request: Request, response: Response
) -> WorkspacePublic:
    """The workspace and your role in it; its ETag changes with every rename."""
    role = workspace_role(request, caller, workspace_id, "viewer")
    with request.app.state.db.read() as uow:
        row = uow.accounts.workspace(workspace_id)
    assert row is not None  # a member's workspace exists
    public = _public(row, role)
    response.headers["ETag"] = public.etag
    return public


@router.patch("/{workspace_id}", response_model=WorkspacePublic)
def rename_workspace(
    workspace_id: str, body: WorkspaceUpdate, caller: Who, request: Request, response: Response
) -> WorkspacePublic:
    """Rename the workspace; owners only, with `If-Match` its ETag."""
    role = workspace_role(request, caller, workspace_id, "owner")
    with request.app.state.db.write() as uow:
        row = _locked(request, uow, workspace_id, role)
        uow.accounts.rename_workspace(row, body.name)
        public = _public(row, role)
    response.headers["ETag"] = public.etag
    return public


@router.delete("/{workspace_id}", status_code=204)
def delete_workspace(workspace_id: str, caller: Who, request: Request) -> None:
    """Delete the workspace for good, with its journeys, their history, comments, evidence and
    share links, and its memberships; owners only, with `If-Match` its ETag. There is no undo
    but a backup (`journeymap backup`)."""
    role = workspace_role(request, caller, workspace_id, "owner")
    with request.app.state.db.write() as uow:
        _locked(request, uow, workspace_id, role)
        uow.accounts.delete_workspace(workspace_id)


def _locked(request: Request, uow: UnitOfWork, workspace_id: str, role: str) -> Any:
    """The workspace's row, locked for this write, once If-Match is its ETag."""
    row = uow.accounts.workspace(workspace_id, lock=True)
    if row is None:  # deleted since the role check
        raise ProblemError(404, "Not found", f"there is no workspace '{workspace_id}' of yours")
    check_if_match_at(request.headers.get("if-match"), row.updated_at, _public(row, role))
    return row


def _public(row: Any, role: str) -> WorkspacePublic:
    return WorkspacePublic(
        id=row.id,
        name=row.name,
        created_at=row.created_at,
        updated_at=row.updated_at,
        role=role,
        etag=time_etag(row.updated_at),
    )


@router.get("/{workspace_id}/members", response_model=list[MemberPublic])
def members(workspace_id: str, caller: Who, request: Request) -> list[MemberPublic]:
    workspace_role(request, caller, workspace_id, "viewer")
    with request.app.state.db.read() as uow:
        rows = uow.accounts.members(workspace_id)
    return [
        MemberPublic(user_id=u.id, email=u.email, display_name=u.display_name, role=m.role)
        for m, u in rows
    ]


@router.post("/{workspace_id}/members", status_code=201, response_model=MemberPublic)
def add_member(workspace_id: str, body: MemberAdd, caller: Who, request: Request) -> MemberPublic:
    """Add a user (by the email they signed up with) to the workspace; owners only."""
    workspace_role(request, caller, workspace_id, "owner")
    with request.app.state.db.write() as uow:
        user = uow.accounts.user_by_email(body.email)
        if user is None:
            raise ProblemError(
                404, "Not found", f"no user has the email '{body.email}'; ask them to sign up"
            )
        if uow.accounts.role(workspace_id, user.id) is not None:
            raise ProblemError(409, "Already a member", f"{body.email} is already a member")
        uow.accounts.set_role(workspace_id, user.id, body.role)
        return MemberPublic(
            user_id=user.id, email=user.email, display_name=user.display_name, role=body.role
        )


@router.patch("/{workspace_id}/members/{user_id}", response_model=MemberPublic)
def change_role(
    workspace_id: str, user_id: str, body: MemberUpdate, caller: Who, request: Request
) -> MemberPublic:
    """Change a member's role; owners only, and a workspace always keeps an owner."""
    workspace_role(request, caller, workspace_id, "owner")
    with request.app.state.db.write() as uow:
        current = uow.accounts.role(workspace_id, user_id)
        user = uow.accounts.user(user_id)
        if current is None or user is None:
            raise ProblemError(404, "Not found", f"'{user_id}' is not a member")
        _keep_an_owner(uow, workspace_id, current, body.role)
        uow.accounts.set_role(workspace_id, user_id, body.role)
        return MemberPublic(
            user_id=user.id, email=user.email, display_name=user.display_name, role=body.role
        )


@router.delete("/{workspace_id}/members/{user_id}", status_code=204)
def remove_member(workspace_id: str, user_id: str, caller: Who, request: Request) -> None:
    """Remove a member; owners only (or yourself, to leave)."""
    leaving = signed_in(caller) == user_id
    workspace_role(request, caller, workspace_id, "viewer" if leaving else "owner")
    with request.app.state.db.write() as uow:
        current = uow.accounts.role(workspace_id, user_id)
        if current is None:
            raise ProblemError(404, "Not found", f"'{user_id}' is not a member")
        _keep_an_owner(uow, workspace_id, current, None)
        uow.accounts.remove_member(workspace_id, user_id)


def _keep_an_owner(uow: UnitOfWork, workspace_id: str, now: str, then: str | None) -> None:
    if now != "owner" or then == "owner":
        return
    owners = [m for m, _ in uow.accounts.members(workspace_id) if m.role == "owner"]
    if len(owners) <= 1:
        raise ProblemError(
            409, "Last owner", "a workspace needs an owner: make someone else owner first"
        )
