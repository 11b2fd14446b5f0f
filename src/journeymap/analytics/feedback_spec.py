"""The feedback source definition: where survey answers, reviews or support tickets live, which
columns mean what, and where on the map each answer belongs. A small YAML file beside the
journey, like an event source definition:

    feedback: {path: survey.csv, name: Post-purchase survey}   # CSV(.gz), XLSX, JSON lines,
    columns: {customer: email_hash, timestamp: answered_at,    # Parquet, or format: qualtrics
              score: q1, text: q2}
    scale: csat                       # nps, csat, ces, stars, or one declared under `scales`
    place: {by: touchpoint, column: touchpoint}   # or event, stage, or last_event
    events: online-store.source.yaml  # for last_event, personas and customer attributes
"""

from __future__ import annotations

import re
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from .scores import SCALES, Scale

Column = Annotated[str, StringConstraints(min_length=1, max_length=200)]
FORMATS = ("csv", "xlsx", "jsonl", "parquet", "qualtrics")
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([dhm]?)\s*$")


class _Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FeedbackFile(_Spec):
    path: Annotated[str, StringConstraints(min_length=1)]
    format: Literal["csv", "xlsx", "jsonl", "parquet", "qualtrics"] | None = Field(
        default=None,
        description="guessed from the name (qualtrics: a Qualtrics CSV export, with its three "
        "header rows)",
    )
    sheet: str | None = Field(default=None, description="the XLSX sheet (default: the first)")
    name: str | None = Field(
        default=None, description="how quotes name their source (default: the file's name)"
    )

    def kind(self) -> str:
        if self.format:
            return self.format
        name = self.path.lower().removesuffix(".gz")
        for suffix, kind in ((".xlsx", "xlsx"), (".parquet", "parquet"), (".jsonl", "jsonl")):
            if name.endswith(suffix):
                return kind
        if name.endswith((".ndjson", ".json")):
            return "jsonl"
        return "csv"

    def resolved(self, base: Path) -> Path:
        path = Path(self.path).expanduser()
        return path if path.is_absolute() else base / path

    def label(self) -> str:
        return self.name or Path(self.path).name


class FeedbackColumns(_Spec):
    timestamp: Column
    customer: Column | None = None
    id: Column | None = Field(default=None, description="the answer's own id, for reference")
    score: Column | None = None
    score_type: Column | None = Field(
        default=None, description="a column naming each row's scale (nps, csat, ...)"
    )
    text: Column | None = None
    attributes: list[Column] = Field(
        default_factory=list, description="columns to split by, such as plan or region"
    )

    @model_validator(mode="after")
    def _something(self) -> FeedbackColumns:
        if self.score is None and self.text is None:
            raise ValueError("map a `score` column, a `text` column, or both")
        return self


class Place(_Spec):
    """Where an answer belongs on the map: a column naming a touchpoint id, an event name
    (bound by the journey's rules, as events are), or a stage id; or the customer's last
    bound event before the answer, within a window."""

    by: Literal["touchpoint", "event", "stage", "last_event"]
    column: Column | None = None
    within: str = Field(default="7d", description="last_event: how long before the answer")

    @model_validator(mode="after")
    def _check(self) -> Place:
        if self.by != "last_event" and self.column is None:
            raise ValueError(f"name the column holding the {self.by}: `column: ...`")
        if self.by == "last_event" and self.column is not None:
            raise ValueError("last_event finds the place itself: leave out `column`")
        self.within_ms()
        return self

    def within_ms(self) -> int:
        found = _DURATION.match(self.within)
        if not found or float(found[1]) <= 0:
            raise ValueError(f"within: '{self.within}' is not a duration such as 7d, 12h or 90m")
        unit = {"d": 86_400_000, "h": 3_600_000, "m": 60_000, "": 86_400_000}[found[2]]
        return round(float(found[1]) * unit)


class CustomScale(_Spec):
    min: int
    max: int

    @model_validator(mode="after")
    def _check(self) -> CustomScale:
        if self.max <= self.min:
            raise ValueError("max must be above min")
        return self


class FeedbackSpec(_Spec):
    model_config = ConfigDict(extra="forbid", frozen=True)
    feedback: FeedbackFile
    columns: FeedbackColumns
    place: Place
    scales: dict[str, CustomScale] = Field(default_factory=dict, description="custom scales")
    scale: str | None = Field(
        default=None, description="the score column's scale: nps, csat, ces, stars or a custom one"
    )
    timezone: str = "UTC"
    timestamp_format: str | None = None
    events: str | None = Field(
        default=None, description="the event source definition, for last_event and splits"
    )
    sentiment: str | None = Field(
        default=None, description="the sentiment analyser (default: vader-reviews)"
    )

    @field_validator("scale")
    @classmethod
    def _known_scale(cls, value: str | None, info: ValidationInfo) -> str | None:
        known = [*SCALES, *info.data.get("scales", {})]
        if value is not None and value not in known:
            from ..domain.suggest import did_you_mean

            hint = did_you_mean(value, known, "")
            raise ValueError(
                f"unknown scale '{value}'"
                + (f" ({hint})" if hint else "")
                + f"; use one of {', '.join(known)}, or declare it under "
                "`scales: {NAME: {min: 0, max: 10}}`"
            )
        return value

    @model_validator(mode="after")
    def _check(self) -> FeedbackSpec:
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"unknown time zone '{self.timezone}' (use an IANA name such as Europe/London)"
            ) from None
        clash = [s for s in self.scales if s in SCALES or s == "sentiment"]
        if clash:
            raise ValueError(f"scale '{clash[0]}' is built in; give a custom scale another name")
        if (
            self.columns.score is not None
            and self.scale is None
            and self.columns.score_type is None
        ):
            raise ValueError(
                "say which scale the scores are on: `scale: nps` (or csat, ces, stars, or "
                "a custom one under `scales`), or map a `score_type` column"
            )
        if self.place.by == "last_event" and (self.events is None or self.columns.customer is None):
            raise ValueError(
                "place by last_event needs `events:` (the event source definition) and a "
                "`customer` column holding the same ids as the events"
            )
        if (
            self.timestamp_format is not None
            and "%" not in self.timestamp_format
            and (self.timestamp_format not in ("epoch_s", "epoch_ms"))
        ):
            raise ValueError(
                f"timestamp_format '{self.timestamp_format}' is neither a strptime format "
                "(such as '%d/%m/%Y %H:%M') nor epoch_s / epoch_ms"
            )
        return self

    def known_scales(self) -> list[str]:
        return [*SCALES, *self.scales]

    def scale_of(self, name: str) -> Scale:
        custom = self.scales.get(name)
        return Scale.of(name, custom.min, custom.max) if custom else Scale.of(name)

    def source_columns(self) -> list[str]:
        c = self.columns
        named = [c.timestamp, c.customer, c.id, c.score, c.score_type, c.text, *c.attributes]
        named.append(self.place.column)
        return list(dict.fromkeys(n for n in named if n))


_PARTS: dict[str, type[BaseModel]] = {
    "feedback": FeedbackFile,
    "columns": FeedbackColumns,
    "place": Place,
}


def load_feedback_spec(path: str | Path) -> FeedbackSpec:
    """The feedback definition in `path`; JourneyInvalid lists every problem with its place."""
    from dataclasses import replace

    from pydantic import ValidationError

    from ..domain.errors import JourneyInvalid
    from ..domain.messages import problems_from_error
    from ..domain.suggest import did_you_mean
    from ..files.journey_file import parse_text, read_text

    name = str(path)
    parsed = parse_text(read_text(path), name)
    try:
        return FeedbackSpec.model_validate(parsed.data)
    except ValidationError as error:
        problems = []
        for problem in problems_from_error(error, (), []):
            if problem.code == "unknown-field" and problem.path:
                part = problem.path[0] if len(problem.path) > 1 else None
                model = _PARTS.get(str(part), FeedbackSpec)
                fields = list(model.model_fields)
                hint = did_you_mean(
                    str(problem.path[-1]), fields, f"allowed here: {', '.join(fields)}"
                )
                problem = replace(problem, hint=hint)
            problems.append(problem)
        raise JourneyInvalid(parsed.located(problems, name)) from None
