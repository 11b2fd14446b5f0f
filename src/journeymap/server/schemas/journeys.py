"""Journeys: creating one, the library, a journey's document, and the batch of operations."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from .common import MAX_INT


class JourneyCreate(BaseModel):
    template: str | None = Field(default=None, description="e.g. online-store-checkout")
    framework: str | None = Field(default=None, description="when there is no template")
    title: str | None = Field(default=None, max_length=200)
    document: str | None = Field(
        default=None, description="a journey file's text (YAML or JSON), to import it"
    )


Text = Annotated[str, Field(max_length=5000)]
Short = Annotated[str, Field(min_length=1, max_length=200)]


class JourneyUpdate(BaseModel):
    """The journey's own fields to change; a field left out stays, a null clears it."""

    model_config = ConfigDict(extra="forbid")

    title: Short | None = None
    description: Text | None = None
    scope: Text | None = None
    owner: Short | None = None
    status: Literal["draft", "researched", "live", "retired"] | None = None
    state: Literal["current", "future"] | None = None
    current_journey: str | None = Field(
        default=None, max_length=64, description="for a future-state map: the map it improves"
    )
    review_by: dt.date | None = None
    parent: str | None = Field(default=None, max_length=64)
    tags: list[str] | None = None


class JourneySummary(BaseModel):
    id: str
    workspace_id: str
    slug: str
    title: str
    status: str
    state: str
    owner: str | None
    rev: int
    updated_at: dt.datetime
    personas: list[str] = Field(default=[], description="the live personas' names, in order")
    review_by: dt.date | None = None
    last_editor: str | None = Field(
        default=None, description="who made the last change (null: the CLI, or a deleted account)"
    )


class JourneyPublic(BaseModel):
    id: str
    workspace_id: str
    rev: int
    document: dict[str, Any] = Field(description="the journey in the file format, as JSON")


class Library(BaseModel):
    items: list[JourneySummary]
    total: int
    offset: int
    limit: int


class OpItem(BaseModel):
    op_id: str = Field(min_length=1, max_length=100)
    op: dict[str, Any] = Field(description="an edit operation: add, set, rename, move, delete")


class OpsBatch(BaseModel):
    base_rev: int = Field(ge=0, le=MAX_INT, description="the revision the client last saw")
    ops: list[OpItem] = Field(min_length=1, max_length=1000)


class AckPublic(BaseModel):
    op_id: str
    rev: int
    status: Literal["applied", "duplicate"]


class OverwritePublic(BaseModel):
    op_id: str
    entity: str
    id: str | None
    field: str
    rev: int
    actor: str | None
    by_op_id: str


class OpsResult(BaseModel):
    rev: int
    status: Literal["applied", "duplicate", "unchanged"]
    acks: list[AckPublic]
    overwrites: list[OverwritePublic]
