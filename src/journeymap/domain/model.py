"""The journey map: personas, stages with steps, sections of lanes, cards and the emotion curve."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .base import Entity, Id, Name, NotBool, Ordered, ShortText, Tag, Text
from .cards import Card, Confidence, EventBinding
from .channels import ChannelInfo, ChannelMode, ChannelRegistry, registry_of
from .display import formats
from .globs import check_glob
from .messages import yaml_type

FORMAT_VERSION = 1


class LaneKind(StrEnum):
    text = "text"
    touchpoints = "touchpoints"
    emotion = "emotion"
    pain_points = "pain_points"
    opportunities = "opportunities"
    metrics = "metrics"
    quotes = "quotes"


# Which card kinds each lane kind holds; notes fit anywhere but the emotion lane.
LANE_ACCEPTS: dict[LaneKind, frozenset[str]] = {
    LaneKind.text: frozenset({"note", "quote"}),
    LaneKind.touchpoints: frozenset({"touchpoint", "note"}),
    LaneKind.emotion: frozenset(),
    LaneKind.pain_points: frozenset({"pain_point", "note"}),
    LaneKind.opportunities: frozenset({"opportunity", "note"}),
    LaneKind.metrics: frozenset({"metric", "note"}),
    LaneKind.quotes: frozenset({"quote", "note"}),
}


# The lane kind made for each card kind (a note's home is a text lane).
LANE_HOME: dict[str, LaneKind] = {
    "note": LaneKind.text,
    "touchpoint": LaneKind.touchpoints,
    "pain_point": LaneKind.pain_points,
    "opportunity": LaneKind.opportunities,
    "quote": LaneKind.quotes,
    "metric": LaneKind.metrics,
}


class Status(StrEnum):
    draft = "draft"
    researched = "researched"
    live = "live"
    retired = "retired"


class State(StrEnum):
    current = "current"
    future = "future"


def _rule_value(value: object) -> object:
    """One value or a list of them, each text or a number; checked here so that a mistake gets
    one message rather than one per branch of the union."""
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, bool):  # YAML reads `true` as a boolean; the table holds text
            raise PydanticCustomError(
                "bool_not_value",
                "{value} is read as true/false; put it in quotes ('{value}') to match the text",
                {"value": str(item).lower()},
            )
        if not isinstance(item, str | int | float) or item == "":
            raise PydanticCustomError(
                "bad_rule_value",
                "expected a value or a list of values such as [smb, mid], got {what}",
                {"what": "an empty text" if item == "" else yaml_type(item)},
            )
    if value == []:
        raise PydanticCustomError("bad_rule_value", "the list is empty; give one or more values")
    return value


RuleValue = Annotated[str | int | float | list[str | int | float], BeforeValidator(_rule_value)]
RuleText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class PersonaRule(Entity):
    """Which real customers are this persona, for analytics. Declarative: never SQL.

    `where`: attribute values the customer must have (from the customer table, else from their
    first event); a list means any of them. `did`: events (names or globs) the customer did,
    each at least once. `did_not`: events they never did. Every part must hold."""

    where: dict[RuleText, RuleValue] = Field(
        default_factory=dict, description="attribute values; a list means any of them"
    )
    did: list[RuleText] = Field(
        default_factory=list, description="events (names or globs) the customer did, each one"
    )
    did_not: list[RuleText] = Field(
        default_factory=list, description="events (names or globs) the customer never did"
    )

    @field_validator("did", "did_not")
    @classmethod
    def _patterns_bounded(cls, events: list[str]) -> list[str]:
        return [check_glob(e) for e in events]

    @model_validator(mode="after")
    def _sensible(self) -> PersonaRule:
        if not (self.where or self.did or self.did_not):
            raise ValueError(
                "give at least one of `where`, `did` or `did_not` "
                "(customers no persona matches are counted as 'unassigned')"
            )
        both = [e for e in self.did if e in self.did_not]
        if both:
            raise ValueError(f"'{both[0]}' is in both `did` and `did_not`, so nobody can match")
        return self


class Persona(Ordered):
    name: Name | None = None
    segment: Name | None = Field(default=None, description="segment or role")
    quote: Text | None = None
    description: Text | None = None
    goals: list[Text] = Field(default_factory=list)
    needs: list[Text] = Field(default_factory=list)
    frustrations: list[Text] = Field(default_factory=list)
    behaviours: list[Text] = Field(default_factory=list)
    data_sources: list[ShortText] = Field(default_factory=list, description="the data behind it")
    match: PersonaRule | None = Field(
        default=None, description="which real customers are this persona, for analytics"
    )

    @property
    def display_name(self) -> str:
        return self.name or self.id


class Channel(Ordered):
    """A channel of the journey's own, beside the built-in ones."""

    name: Name
    mode: ChannelMode = ChannelMode.digital
    aliases: list[Annotated[str, Field(min_length=1, max_length=60)]] = Field(default_factory=list)

    def info(self) -> ChannelInfo:
        return ChannelInfo(self.id, self.name, self.mode, tuple(self.aliases))


class Step(Ordered):
    """A sub-stage: a column under its stage."""

    name: Name
    description: Text | None = None


class Stage(Ordered):
    name: Name
    description: Text | None = None
    steps: list[Step] = Field(default_factory=list)
    entry_events: EventBinding | None = Field(
        default=None, description="events that mean a customer entered this stage"
    )


class Lane(Ordered):
    name: Name
    kind: LaneKind = LaneKind.text
    description: Text | None = None
    service_contact: bool = Field(
        default=False,
        description="every touchpoint in this lane is a contact with customer service",
    )


class Section(Ordered):
    """A group of lanes, usually one team's perspective (Persona, Marketing, Sales, ...)."""

    name: Name
    description: Text | None = None
    lanes: list[Lane] = Field(default_factory=list)


class EmotionPoint(Ordered):
    """How the persona feels at a stage, step or touchpoint: -2.0 (awful) to +2.0 (delighted)."""

    stage: Id
    step: Id | None = None
    card: Id | None = Field(default=None, description="a touchpoint card, for a finer curve")
    score: Annotated[float, Field(ge=-2.0, le=2.0), NotBool]
    note: Text | None = None
    confidence: Confidence = Confidence.assumed

    @field_validator("score")
    @classmethod
    def _one_decimal(cls, value: float) -> float:
        if round(value, 1) != value:
            low, high = sorted({round(value - 0.05, 1), round(value + 0.05, 1)})
            raise ValueError(f"use one decimal at most, such as {low} or {high}")
        return value


class WindowFrom(StrEnum):
    first = "first"  # every later stage within the window of entering the first
    previous = "previous"  # each stage within the window of reaching the one before


class FunnelWindow(Entity):
    """How long a customer has to go on: `{days: 30, from: first}`."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        validate_default=True,
        populate_by_name=True,
        serialize_by_alias=True,
    )

    days: Annotated[int | float, Field(gt=0, le=36_500), NotBool] = 30
    from_: WindowFrom = Field(
        default=WindowFrom.first,
        alias="from",
        description="measure the window from the first stage (first) or from the stage before "
        "(previous)",
    )

    def ms(self) -> int:
        return round(self.days * 86_400_000)


class FunnelSettings(Entity):
    """How the stage funnel is measured (docs/analytics.md has each definition)."""

    window: FunnelWindow = Field(default_factory=FunnelWindow)
    reentry: bool = Field(
        default=False,
        description="let a customer who did not go on within the window start again at a later "
        "entry into the first stage (each customer still counts once, on their furthest try)",
    )


class CurveSignal(StrEnum):
    """Which measured signal the emotion curve shows: one scale, never a blend."""

    nps = "nps"
    csat = "csat"
    ces = "ces"
    stars = "stars"
    sentiment = "sentiment"


class FeedbackSettings(Entity):
    """How customers' feedback is drawn on the map (docs/feedback.md)."""

    curve: CurveSignal | None = Field(
        default=None,
        description="the signal of the measured emotion curve (default: the feedback's first "
        "score type, else sentiment)",
    )


class Journey(Entity):
    id: Id
    title: Name
    description: Text | None = None
    scope: Text | None = None
    owner: Name | None = None
    status: Status = Status.draft
    state: State = State.current
    current_journey: Id | None = Field(
        default=None, description="for a future-state map: the current map it improves"
    )
    review_by: dt.date | None = None
    parent: Id | None = Field(default=None, description="the journey this one zooms into")
    framework: Id | None = Field(default=None, description="the preset the stages came from")
    tags: list[Tag] = Field(default_factory=list)
    personas: list[Persona] = Field(default_factory=list)
    channels: list[Channel] = Field(default_factory=list)
    stages: list[Stage] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    cards: list[Card] = Field(default_factory=list)
    emotions: list[EmotionPoint] = Field(default_factory=list)
    funnel: FunnelSettings | None = Field(
        default=None, description="how the stage funnel is measured (default: 30 days from first)"
    )
    feedback: FeedbackSettings | None = Field(
        default=None, description="how customers' feedback is drawn (the measured curve's signal)"
    )

    # Notebook display: the poster, drawn by whatever the package gave domain/display.py.
    def _repr_mimebundle_(self, include: object = None, exclude: object = None) -> dict[str, str]:
        return formats(self)

    def _repr_svg_(self) -> str | None:
        return formats(self).get("image/svg+xml")

    def _repr_html_(self) -> str | None:
        return formats(self).get("text/html")

    def channel_registry(self) -> ChannelRegistry:
        return registry_of(tuple(c.info() for c in self.channels if not c.deleted))

    # Live views: what is shown and saved. Tombstoned items, and items whose stage, step,
    # section or lane is tombstoned, stay in memory so that a restore brings them back.
    def live_personas(self) -> list[Persona]:
        return sorted((p for p in self.personas if not p.deleted), key=lambda p: p.order_key)

    def live_channels(self) -> list[Channel]:
        return sorted((c for c in self.channels if not c.deleted), key=lambda c: c.order_key)

    def live_stages(self) -> list[Stage]:
        return sorted((s for s in self.stages if not s.deleted), key=lambda s: s.order_key)

    def live_steps(self, stage: Stage) -> list[Step]:
        return sorted((s for s in stage.steps if not s.deleted), key=lambda s: s.order_key)

    def live_sections(self) -> list[Section]:
        return sorted((s for s in self.sections if not s.deleted), key=lambda s: s.order_key)

    def live_lanes(self, section: Section) -> list[Lane]:
        return sorted((ln for ln in section.lanes if not ln.deleted), key=lambda ln: ln.order_key)

    def live_cards(self) -> list[Card]:
        """Cards in reading order: stage, step, section and lane, then order in the cell."""
        stage_pos, step_pos = self._column_positions()
        lane_pos = {ln.id: i for i, ln in enumerate(self._live_lane_list())}
        cards = [
            c
            for c in self.cards
            if not c.deleted
            and c.stage in stage_pos
            and c.lane in lane_pos
            and (c.step is None or (c.stage, c.step) in step_pos)
        ]

        def position(c: Card) -> tuple[int, int, int, str]:
            step = -1 if c.step is None else step_pos[(c.stage, c.step)]
            return (stage_pos[c.stage], step, lane_pos[c.lane], c.order_key)

        return sorted(cards, key=position)

    def live_emotions(self) -> list[EmotionPoint]:
        stage_pos, step_pos = self._column_positions()
        live_cards = {c.id for c in self.live_cards()}
        points = [
            e
            for e in self.emotions
            if not e.deleted
            and e.stage in stage_pos
            and (e.step is None or (e.stage, e.step) in step_pos)
            and (e.card is None or e.card in live_cards)
        ]

        def position(e: EmotionPoint) -> tuple[int, int, str]:
            step = -1 if e.step is None else step_pos[(e.stage, e.step)]
            return (stage_pos[e.stage], step, e.order_key)

        return sorted(points, key=position)

    def _column_positions(self) -> tuple[dict[str, int], dict[tuple[str, str], int]]:
        stage_pos: dict[str, int] = {}
        step_pos: dict[tuple[str, str], int] = {}
        for i, stage in enumerate(self.live_stages()):
            stage_pos[stage.id] = i
            for j, step in enumerate(self.live_steps(stage)):
                step_pos[(stage.id, step.id)] = j
        return stage_pos, step_pos

    def _live_lane_list(self) -> list[Lane]:
        return [ln for s in self.live_sections() for ln in self.live_lanes(s)]

    # Lookups (tombstones included; callers check `deleted`).
    def stage(self, stage_id: str) -> Stage | None:
        return next((s for s in self.stages if s.id == stage_id), None)

    def lane(self, lane_id: str) -> Lane | None:
        return next((ln for s in self.sections for ln in s.lanes if ln.id == lane_id), None)

    def section_of(self, lane_id: str) -> Section | None:
        return next((s for s in self.sections if any(ln.id == lane_id for ln in s.lanes)), None)

    def card(self, card_id: str) -> Card | None:
        return next((c for c in self.cards if c.id == card_id), None)
