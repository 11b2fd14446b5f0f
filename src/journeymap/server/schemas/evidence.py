"""A journey's evidence: the measured figures drawn on its posters."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, Field

from ...analytics.evidence import EvidenceSet
from .common import Shaped

# What is stored is sent back as it was stored: an evidence set, or an older file's content.
StoredEvidence = EvidenceSet | dict[str, Any]


class StalePublic(BaseModel):
    """What changed in the journey since its figures were measured: those figures are stale."""

    touchpoints: list[str] = Field(
        description="touchpoints rebound, moved, added or unbound since: their reach is stale"
    )
    stages: list[str] = Field(description="stages whose entry events changed")
    order: bool = Field(description="the stages were added, removed or reordered")
    funnel: bool = Field(description="the journey's funnel settings changed")
    words: str = Field(description="the same, for a person")


class EvidencePublic(BaseModel):
    data: Annotated[dict[str, Any], Shaped(StoredEvidence)] = Field(
        description="the evidence file's content (JOURNEY.evidence.json): an evidence set as "
        "`journeymap analyze --save` writes it, or an older format's content as it was stored"
    )
    updated_by: str | None = Field(
        description="the user id of who stored it; null for a share link, which is not told who"
    )
    updated_at: dt.datetime
    etag: str = Field(description="send as If-Match to replace it")
    stale: StalePublic | None = Field(
        default=None,
        description="when the journey changed since the figures were measured: what changed "
        "(the funnel, drop-off, transitions and paths rest on every binding; a touchpoint's "
        "reach on its own); null when nothing did",
    )


class EvidenceIn(BaseModel):
    data: Annotated[dict[str, Any], Shaped(EvidenceSet)] = Field(
        description="the evidence file's content (JOURNEY.evidence.json)"
    )
