"""Cards: the content of one cell (lane x stage or step), one class per kind."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from .base import Entity, Id, Name, Number, Ordered, Rating, ShortText, Tag, Text
from .channels import ChannelMode
from .globs import check_glob


class Confidence(StrEnum):
    """How sure the team is: assumed in a workshop, reported by customers, observed in data."""

    assumed = "assumed"
    reported = "reported"
    observed = "observed"


class Frequency(StrEnum):
    rare = "rare"
    occasional = "occasional"
    frequent = "frequent"
    constant = "constant"


class OpportunityStatus(StrEnum):
    idea = "idea"
    planned = "planned"
    in_progress = "in_progress"
    done = "done"
    dropped = "dropped"


EventText = Annotated[str, Field(min_length=1, max_length=200)]


class EventBinding(Entity):
    """Which events mean this touchpoint (or that a customer entered this stage): event names
    or glob patterns, optionally only on a channel, only with some property values, only the
    first time. Declarative: never SQL."""

    names: list[EventText] = Field(default_factory=list)
    patterns: list[EventText] = Field(default_factory=list, description="globs such as view_*")
    channel: EventText | None = None
    where: dict[EventText, str | int | float] = Field(
        default_factory=dict, description="property values the event must have"
    )
    first_only: bool = False

    @field_validator("patterns")
    @classmethod
    def _patterns_bounded(cls, patterns: list[str]) -> list[str]:
        return [check_glob(p) for p in patterns]

    @model_validator(mode="after")
    def _something_to_match(self) -> EventBinding:
        if not self.names and not self.patterns:
            raise ValueError("name at least one event in `names` or `patterns`")
        return self


class CardBase(Ordered):
    lane: Id
    stage: Id
    step: Id | None = None
    text: Text
    details: Text | None = None
    confidence: Confidence = Confidence.assumed
    evidence: list[ShortText] = Field(default_factory=list, description="links or references")
    tags: list[Tag] = Field(default_factory=list)


class NoteCard(CardBase):
    kind: Literal["note"] = "note"


class TouchpointCard(CardBase):
    kind: Literal["touchpoint"] = "touchpoint"
    channel: Annotated[str, Field(min_length=1, max_length=60)] | None = Field(
        default=None, description="where it happens; may be left out when `events` is given"
    )
    mode: ChannelMode | None = Field(default=None, description="defaults to the channel's mode")
    team: Name | None = Field(default=None, description="the team that owns this touchpoint")
    events: EventBinding | None = Field(default=None, description="the events that mean it")
    service_contact: bool = Field(
        default=False,
        description="a contact with customer service (a call, a chat, a ticket): pain-point "
        "detection counts contacts soon after each touchpoint (also settable on the lane)",
    )


class PainPointCard(CardBase):
    kind: Literal["pain_point"] = "pain_point"
    severity: Rating = 3
    frequency: Frequency | None = None


class OpportunityCard(CardBase):
    kind: Literal["opportunity"] = "opportunity"
    owner: Name | None = None
    status: OpportunityStatus = OpportunityStatus.idea
    value: Rating | None = None
    effort: Rating | None = None
    pain_points: list[Id] = Field(default_factory=list, description="ids of the pains it eases")
    impact: Text | None = Field(default=None, description="the expected impact")

    @field_validator("pain_points")
    @classmethod
    def _no_repeats(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))


class QuoteCard(CardBase):
    kind: Literal["quote"] = "quote"
    source: Name | None = Field(default=None, description="who said it")
    image: ShortText | None = Field(default=None, description="an image path or URL")
    date: dt.date | None = Field(default=None, description="when it was said")
    about: Id | None = Field(
        default=None, description="the touchpoint card the quote speaks of (a verbatim's place)"
    )


class MetricCard(CardBase):
    kind: Literal["metric"] = "metric"
    value: Number | None = None
    unit: Annotated[str, Field(max_length=20)] | None = None
    target: Number | None = None


Card = Annotated[
    NoteCard | TouchpointCard | PainPointCard | OpportunityCard | QuoteCard | MetricCard,
    Field(discriminator="kind"),
]
CARD_TYPES: dict[str, type[CardBase]] = {
    "note": NoteCard,
    "touchpoint": TouchpointCard,
    "pain_point": PainPointCard,
    "opportunity": OpportunityCard,
    "quote": QuoteCard,
    "metric": MetricCard,
}
