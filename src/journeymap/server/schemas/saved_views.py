"""Saved views of a journey (services/saved_views.py has the rules and limits)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Item = Annotated[str, Field(min_length=1, max_length=200)]
Items = Annotated[list[Item], Field(max_length=200)]


class ViewSettings(BaseModel):
    """What the view shows; an empty filter shows every card."""

    model_config = ConfigDict(extra="forbid")

    hidden_sections: Items = Field(default_factory=list, description="ids of sections hidden")
    hidden_lanes: Items = Field(default_factory=list, description="ids of lanes hidden")
    channels: Items = Field(
        default_factory=list, description="touchpoints on these channels only (empty: all)"
    )
    teams: Items = Field(
        default_factory=list, description="touchpoints these teams own only (empty: all)"
    )
    personas: Items = Field(
        default_factory=list,
        description="cards naming these personas (by a tag) and cards naming none (empty: all)",
    )
    zoom: float | None = Field(default=None, ge=0.1, le=4, description="1 is actual size")


class SavedViewWrite(BaseModel):
    name: str = Field(min_length=1, max_length=80)
    shared: bool = Field(
        default=False, description="shared with the journey's team (editors); else yours only"
    )
    settings: ViewSettings = Field(default_factory=ViewSettings)


class SavedViewPublic(BaseModel):
    id: str
    journey_id: str
    name: str
    shared: bool
    owner_id: str
    owner_name: str
    mine: bool = Field(description="whether you saved it (only you may change it)")
    settings: ViewSettings
    created_at: dt.datetime
    updated_at: dt.datetime
    etag: str
