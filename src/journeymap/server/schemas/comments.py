"""Comments on a card or a stage, in threads, with @mentions."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from .common import MAX_INT

Kind = Literal["card", "stage"]
MAX_TEXT = 10_000
Text = Annotated[str, Field(min_length=1, max_length=MAX_TEXT)]


class CommentCreate(BaseModel):
    text: Text = Field(description="@email or @display name mentions a member")
    target_kind: Kind | None = Field(default=None, description="a reply's is its parent's")
    target_id: str | None = Field(default=None, min_length=1, max_length=64)
    parent_id: int | None = Field(
        default=None, ge=1, le=MAX_INT, description="the comment this one answers"
    )


class CommentUpdate(BaseModel):
    text: Text | None = None
    resolved: bool | None = None


class MentionPublic(BaseModel):
    user_id: str
    display_name: str | None


class CommentPublic(BaseModel):
    id: int
    target_kind: str
    target_id: str
    parent_id: int | None
    author_id: str | None
    author_name: str | None
    text: str
    mentions: list[MentionPublic]
    created_at: dt.datetime
    updated_at: dt.datetime
    resolved_at: dt.datetime | None
    etag: str = Field(description="send as If-Match to change or delete it")
