"""Invitations to a workspace: what its members see (the email only) and what the invited
person sees (where to, as what, from whom)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from .workspaces import Role


class InvitationCreate(BaseModel):
    email: str = Field(
        min_length=3,
        max_length=320,
        description="whom to invite: the answer is the same whether or not it has an account",
    )
    role: Role = Field(description="their role once they accept")


class InvitationPublic(BaseModel):
    """An invitation as the workspace sees it: the invited email, never a name."""

    id: str
    workspace_id: str
    email: str
    role: Role
    invited_at: dt.datetime


class InvitationToYou(BaseModel):
    """An invitation to you: accept it to join the workspace, or decline it."""

    id: str
    workspace_id: str
    workspace_name: str
    role: Role
    invited_by: str | None = Field(description="who invited you; null once their account is gone")
    invited_at: dt.datetime
