"""The workspace's persona library: a persona the team agreed on, and the journeys using it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field


class JourneyRef(BaseModel):
    id: str
    title: str


class LibraryPersonaPublic(BaseModel):
    id: str
    value: dict[str, Any] = Field(description="its fields, as a journey file holds them")
    created_at: dt.datetime
    updated_at: dt.datetime
    etag: str = Field(description="send as If-Match to change or delete it")
    used_in: list[JourneyRef] = Field(description="the workspace's journeys with this persona")
