"""A journey's evidence: the measured figures drawn on its posters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class EvidencePublic(BaseModel):
    data: dict[str, Any] = Field(description="the evidence file's content (JOURNEY.evidence.json)")
    updated_by: str | None = Field(
        description="the user id of who stored it; null for a share link, which is not told who"
    )
    updated_at: dt.datetime
    etag: str = Field(description="send as If-Match to replace it")


class EvidenceIn(BaseModel):
    data: dict[str, Any] = Field(description="the evidence file's content (JOURNEY.evidence.json)")
