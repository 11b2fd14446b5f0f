"""A workspace's data sources, a journey's choice of them, its refresh and the pain points it
found."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field

from ...analytics.feedback_spec import FeedbackSpec
from ...analytics.source_spec import SourceSpec
from .common import Shaped

Definition = SourceSpec | FeedbackSpec


class SourceIn(BaseModel):
    kind: Literal["events", "feedback"]
    definition: Annotated[dict[str, Any], Shaped(Definition)] = Field(
        description="the CLI's source file as JSON: for events `source` (a `path` relative to "
        "the server's sources folder, or a `url` without a password, and a `table`), "
        "`columns`, `derive`, `customers`...; for feedback `feedback` (a path), `columns`, "
        "`scale`, `place`..."
    )


class SourceNew(SourceIn):
    name: str = Field(description="lower-case letters, digits and dashes, e.g. shop-events")


class SourcePublic(BaseModel):
    name: str
    kind: Literal["events", "feedback"]
    definition: Annotated[dict[str, Any], Shaped(Definition)]
    updated_at: dt.datetime
    password_variable: str = Field(
        description="for a database source: the server's environment variable holding its "
        "password (set by the operator, with ..._URL naming its database), or use the "
        "operator's credentials file"
    )


class OptionsIO(BaseModel):
    window_days: float | None = Field(
        default=None, description="the funnel's conversion window; null: the journey's own"
    )
    min_count: int = Field(default=10, description="figures from fewer customers show as '<n'")
    split_by: str | None = Field(
        default=None, description="persona, or a customer attribute or event property"
    )
    periods: tuple[tuple[str, str], tuple[str, str]] | None = Field(
        default=None, description="two periods to compare, each [start, end) as ISO dates"
    )


class JourneySourcesIO(BaseModel):
    events: str = Field(description="the name of the workspace's events source")
    feedback: str | None = Field(default=None, description="a feedback source's name")
    options: OptionsIO = Field(default_factory=OptionsIO)


class JourneySourcesPublic(JourneySourcesIO):
    updated_at: dt.datetime


class RefreshPublic(BaseModel):
    journey_id: str
    state: Literal["running", "done", "failed", "cancelled"]
    stage: str = Field(description="what it is doing, in words")
    fraction: float = Field(description="how far along, 0 to 1")
    message: str | None = Field(description="why it failed, in words")
    started_by: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    findings: int | None = Field(description="the pain points found, once done")


class SignalPublic(BaseModel):
    name: str
    count: int
    n: int
    rate: float | None
    baseline: float | None
    p_value: float | None
    excess: float
    counts: bool = Field(description="significant and above the journey's baseline")
    detail: str


class FindingPublic(BaseModel):
    id: str = Field(description="what `.../pain-points/{finding}/add` takes")
    touchpoint: str
    name: str
    stage: str
    step: str | None
    reach: int | None
    score: float
    signals: list[SignalPublic]
    explanation: str
    card: str | None = Field(description="the card made by adding it to the map, if it was")


class PainPointsPublic(BaseModel):
    findings: list[FindingPublic]
    found_at: dt.datetime | None
