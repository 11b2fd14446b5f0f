"""Mentions of me: comments that @mention the caller, across their workspaces."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class MentionOfMePublic(BaseModel):
    comment_id: int
    parent_id: int | None = Field(description="set when the mention is in a reply")
    journey_id: str
    journey_title: str
    workspace_id: str
    target_kind: str = Field(description="card or stage")
    target_id: str
    target_name: str = Field(description="the card's title or the stage's name (its id if gone)")
    target_live: bool = Field(description="false when the card or stage has been deleted")
    author_name: str | None
    text: str
    created_at: dt.datetime
    resolved_at: dt.datetime | None = Field(
        description="when its thread was resolved (a reply's thread is its parent's)"
    )


class MentionsPagePublic(BaseModel):
    items: list[MentionOfMePublic]
    total: int = Field(description="how many match the filter, over every page")
    open: int = Field(description="unresolved mentions of you, whatever the filter")
    limit: int
    offset: int
