"""First-run set-up, signing in, accounts and profiles, and personal API tokens."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, Field

# No @ in a name: "@Ann Lee" mentions by name, and a name shaped like someone's email must
# not take their mentions.
DisplayName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        pattern=r"^[^@]*[^@\s][^@]*$",
        description="how others see you; no @ (mentions use it)",
    ),
]


class Setup(BaseModel):
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    display_name: DisplayName
    password: str = Field(min_length=1, max_length=1000)
    workspace: str = Field(default="My workspace", min_length=1, max_length=200)


class Login(BaseModel):
    email: str = Field(min_length=1, max_length=320)
    password: str = Field(min_length=1, max_length=1000)


class UserPublic(BaseModel):
    id: str
    email: str
    display_name: str
    is_admin: bool


class SessionPublic(BaseModel):
    user: UserPublic
    csrf_token: str = Field(description="send it as X-CSRF-Token with every change")


class UserCreate(BaseModel):
    email: str = Field(min_length=3, max_length=320, pattern=r"^[^@\s]+@[^@\s]+$")
    display_name: DisplayName
    password: str = Field(
        min_length=1, max_length=1000, description="their first password; they can change it"
    )
    is_admin: bool = False


class ProfileUpdate(BaseModel):
    display_name: DisplayName


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=1, max_length=1000)


class TokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)


class TokenPublic(BaseModel):
    id: str
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreated(TokenPublic):
    token: str = Field(description="shown this once: keep it somewhere safe")
