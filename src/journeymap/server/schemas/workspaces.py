"""Workspaces and their members, with each member's role (invitations: invitations.py)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from ...domain.roles import Role

__all__ = ["Role"]


class WorkspaceCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class WorkspaceUpdate(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class WorkspacePublic(BaseModel):
    id: str
    name: str
    created_at: dt.datetime
    updated_at: dt.datetime
    role: Role = Field(description="your role in it")
    etag: str = Field(description="send as If-Match to rename or delete it")


class MemberUpdate(BaseModel):
    role: Role


class MemberPublic(BaseModel):
    user_id: str
    email: str
    display_name: str
    role: Role
