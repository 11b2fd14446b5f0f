"""Journeys: creating one, the library, a journey's document, and the batch of operations."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ...domain.entities import HEADER_FIELDS
from ...domain.model import Journey
from ...domain.wire import JourneyDoc
from ...domain.wire_ops import Operation
from .common import MAX_INT, Shaped


class JourneyCreate(BaseModel):
    template: str | None = Field(default=None, description="e.g. online-store-checkout")
    framework: str | None = Field(default=None, description="when there is no template")
    title: str | None = Field(default=None, max_length=200)
    document: str | None = Field(
        default=None, description="a journey file's text (YAML or JSON), to import it"
    )


def _journey_update() -> Any:
    """The journey's own fields, each optional: its domain model's, with their rules."""
    fields: dict[str, Any] = {
        name: (info.rebuild_annotation() | None, Field(default=None, description=info.description))
        for name, info in Journey.model_fields.items()
        if name in HEADER_FIELDS and name != "id"
    }
    return create_model(
        "JourneyUpdate",
        __config__=ConfigDict(extra="forbid"),
        __doc__="The journey's own fields to change; a field left out stays, a null clears it.",
        **fields,
    )


if TYPE_CHECKING:

    class JourneyUpdate(BaseModel):
        """Built from the domain by `_journey_update` at run time."""

else:
    JourneyUpdate = _journey_update()


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
    document: Annotated[dict[str, Any], Shaped(JourneyDoc)] = Field(
        description="the journey: every stage, lane and card, each with its order key and the "
        "revision it last changed in"
    )


class Library(BaseModel):
    items: list[JourneySummary]
    total: int
    offset: int
    limit: int


class OpItem(BaseModel):
    op_id: str = Field(
        min_length=1, max_length=100, description="yours: sent again, it is not applied again"
    )
    op: Annotated[dict[str, Any], Shaped(Operation)] = Field(
        description="an edit operation: add, set, rename, move, delete or restore"
    )


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


class OpsRefused(BaseModel):
    """A batch refused: nothing of it was applied. When the journey's rules refused it
    (title "Operations refused"), `op_id` names the operation at fault, or is null when the
    batch as a whole broke a rule; a batch that cannot be read says where in `detail`."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = Field(description="what went wrong, and what to do")
    op_id: str | None = Field(default=None, description="the operation refused")
    hint: str | None = Field(default=None, description="how to fix it")
