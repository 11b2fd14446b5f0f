"""A duplicate or a future-state copy of a journey."""

from __future__ import annotations

from pydantic import BaseModel, Field


class CopyRequest(BaseModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    workspace_id: str | None = Field(
        default=None,
        max_length=64,
        description="another workspace of yours to put the copy in (you edit there)",
    )
