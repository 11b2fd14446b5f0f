"""A journey's evidence: the measured figures drawn on its posters."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import BaseModel, Field

from ...analytics.evidence import EvidenceSet
from .common import Shaped

# What is stored is sent back as it was stored: an evidence set, or an older file's content.
StoredEvidence = EvidenceSet | dict[str, Any]


class EvidencePublic(BaseModel):
    data: Annotated[dict[str, Any], Shaped(StoredEvidence)] = Field(
        description="the evidence file's content (JOURNEY.evidence.json): an evidence set as "
        "`journeymap analyze --save` writes it, or an older format's content as it was stored"
    )
    updated_by: str | None
    updated_at: dt.datetime
    etag: str = Field(description="send as If-Match to replace it")


class EvidenceIn(BaseModel):
    data: Annotated[dict[str, Any], Shaped(EvidenceSet)] = Field(
        description="the evidence file's content (JOURNEY.evidence.json)"
    )
