"""Read-only share links to one journey."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field


class ShareLinkCreate(BaseModel):
    expires_in_days: int | None = Field(
        default=None,
        ge=1,
        le=3650,
        description="the link stops working after this; never if left out",
    )


class ShareLinkPublic(BaseModel):
    id: str
    prefix: str = Field(description="the token's first characters, to tell links apart")
    created_by: str | None
    created_at: dt.datetime
    expires_at: dt.datetime | None
    revoked_at: dt.datetime | None


class ShareLinkCreated(ShareLinkPublic):
    token: str = Field(description="shown this once; send it as X-Share-Token")
    url: str = Field(description="the path of the shared page, e.g. /shared/jm_...")


class SharedJourney(BaseModel):
    """What a share link opens: the page at its url reads this, then the journey."""

    journey_id: str = Field(description="read it with GET /api/journeys/{journey_id}")
