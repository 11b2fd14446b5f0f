"""Two journeys compared (a current map and its future state), and a journey's counterparts."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field

from ...domain.wire_ops import JourneyDiff
from .common import Shaped


class JourneyRefPublic(BaseModel):
    id: str
    title: str
    state: str = Field(description="current or future")
    rev: int


class CardChangePublic(BaseModel):
    id: str
    label: str = Field(description="the card's text")
    stage: str = Field(description="the name of the stage it is in (or was in, when removed)")
    changes: list[str] = Field(description="added, removed, restored, moved, renamed, changed")


class ResolvedPainPublic(BaseModel):
    id: str
    label: str
    stage: str
    how: str = Field(description='e.g. "removed from the newer map", "marked resolved"')


class ComparePublic(BaseModel):
    from_journey: JourneyRefPublic = Field(description="the older map (the current state)")
    to_journey: JourneyRefPublic = Field(description="the newer map (the future state)")
    changed: bool
    diff: Annotated[dict[str, Any], Shaped(JourneyDiff)] = Field(
        description="as the revision diff: the journey's own fields, then each kind"
    )
    summary: list[str] = Field(description="one line a person can read per change")
    touchpoints_added: list[CardChangePublic]
    touchpoints_removed: list[CardChangePublic]
    touchpoints_changed: list[CardChangePublic]
    pain_points_resolved: list[ResolvedPainPublic] = Field(
        description="pain points of the older map gone from the newer one, tagged `resolved` "
        "there, or eased by an opportunity there that is done"
    )


class CounterpartsPublic(BaseModel):
    current: JourneyRefPublic | None = Field(description="a future map's current map")
    futures: list[JourneyRefPublic] = Field(
        description="a current map's future states (those you may read), the one changed last first"
    )
