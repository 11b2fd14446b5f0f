"""Invitations: owners invite an email to their workspace with a role; the person with that
email accepts or declines from their account (services/invitations.py)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from ...services import invitations as invitations_service
from ...services.invitations import InvitationToYou, InvitationView
from ...services.workspaces import WorkspaceView
from ..deps import DB, Who
from ..schemas.invitations import InvitationCreate, InvitationPublic
from ..schemas.invitations import InvitationToYou as InvitationToYouPublic
from ..schemas.workspaces import WorkspacePublic

router = APIRouter(prefix="/api", tags=["invitations"])


@router.get("/workspaces/{workspace_id}/invitations", response_model=list[InvitationPublic])
def invitations(workspace_id: str, caller: Who, db: DB) -> list[InvitationView]:
    """The workspace's invitations waiting for an answer: each invited email and its role
    (never a name: they have not joined)."""
    return invitations_service.invitations(db, caller, workspace_id)


@router.post(
    "/workspaces/{workspace_id}/invitations", status_code=201, response_model=InvitationPublic
)
def invite(workspace_id: str, body: InvitationCreate, caller: Who, db: DB) -> InvitationView:
    """Invite an email to the workspace with a role (owners). The person with that email
    joins when they accept it; the answer is the same whether or not it has an account."""
    return invitations_service.invite(db, caller, workspace_id, body.email, body.role)


@router.delete("/workspaces/{workspace_id}/invitations/{invitation_id}", status_code=204)
def withdraw(workspace_id: str, invitation_id: str, caller: Who, db: DB) -> None:
    """Take an invitation back (owners)."""
    invitations_service.withdraw(db, caller, workspace_id, invitation_id)


@router.get("/invitations", response_model=list[InvitationToYouPublic])
def mine(caller: Who, db: DB) -> list[InvitationToYou]:
    """Invitations to your email: which workspace, with what role, from whom."""
    return invitations_service.mine(db, caller)


@router.post("/invitations/{invitation_id}/accept", response_model=WorkspacePublic)
def accept(invitation_id: str, caller: Who, response: Response, db: DB) -> WorkspaceView:
    """Join the workspace the invitation is to, with its role: the workspace answers."""
    found = invitations_service.accept(db, caller, invitation_id)
    response.headers["ETag"] = found.etag
    return found


@router.post("/invitations/{invitation_id}/decline", status_code=204)
def decline(invitation_id: str, caller: Who, db: DB) -> None:
    """Say no: the invitation is gone, and the workspace is not told who you are."""
    invitations_service.decline(db, caller, invitation_id)
